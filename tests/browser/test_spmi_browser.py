"""SPMI in Chromium (issue 18): a quality team from the pre-filled evaluation to an approved
plan and its PDF. The team opens the cycle (pre-filled from SSQS and PIBK), rates every
criterion (a rating far from the data is refused until justified, and shows in the
divergence view), picks priorities, finishes, writes an action; the head approves and the
plan prints as ``spmi-plan``. axe-core checks the pages in Malay and English, and no page
scrolls sideways at 390 px.
"""

import pytest
from playwright.sync_api import expect

from spmi.models import Action, Cycle
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility_browser import Walk
from tests.browser.test_foundation_browser import login
from tests.factories import person
from tests.spmi.conftest import YEAR, pibk_fill, ssqs_last_year

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page, label):
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{label} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_quality_team_from_the_prefilled_evaluation_to_an_approved_plan(
    world, mini_cycle, browser, live_server
):
    from spmi.standards import standards_load
    from surveys.rating import rating_recompute
    from tests.surveys.conftest import complete, respondents

    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating = rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    ssqs_last_year(mini_cycle, world.a)
    pibk_fill(world.a, YEAR, [(10, 9)] * 6, 100, 30)
    standards_load()
    team = person("mutu.alfa", roles=[("quality_team", world.a)])
    ARTIFACTS.mkdir(exist_ok=True)
    walk = Walk(browser, live_server)
    school = f"/spmi/sekolah/{world.a.code}/"

    context, page = walk.context()
    login(page, team.username)
    page.goto(school + f"?year={YEAR}")
    page.click("[data-act=spmi-open]")
    stars = page.locator("tr[data-source='ssqs.stars']")
    expect(stars).to_have_attribute("data-current", f"{rating.stars}.00")
    expect(stars).to_have_attribute("data-previous", "2.00")
    expect(page.locator("tr[data-source='pibk.average']")).to_have_attribute("data-current",
                                                                             "90.00")  # fmt: skip
    walk.check(page, "SPMI evaluation")

    def rate(code, level, priority=False, justification=""):
        form = page.locator(f"form[data-form='rate-{code}']")
        form.locator(f"input[type=radio][value='{level}']").check()
        form.locator("textarea[name$=evidence]").fill("Minit mesyuarat jawatankuasa kualiti")
        form.locator("textarea[name$=justification]").fill(justification)
        if priority:
            form.locator("input[name$=priority]").check()
        form.locator("button[name=save]").click()

    # PIBK says 3 for S3.1 (average 90, KPI 1 reached): rating it 1 is refused until justified.
    rate("S3.1", 1)
    expect(page.locator("form[data-form='rate-S3.1'] .invalid-feedback")).to_be_visible()
    rate("S3.1", 1, justification="Kehadiran dikira daripada keluarga yang sama.")
    expect(page.locator("[data-divergence] tr[data-diverges='S3.1']")).to_have_attribute(
        "data-justified", "true"
    )
    for article in page.locator("article[data-criterion]").all():
        code = article.get_attribute("data-criterion")
        if article.get_attribute("data-rating") or code == "S3.1":
            continue
        data = article.get_attribute("data-data-level") or "3"
        rate(code, int(data), priority=code == "S4.1")
    expect(page.locator("[data-rated]")).to_have_attribute("data-rated", "9")
    walk.check(page, "SPMI evaluation rated")
    _no_sideways_scroll(page, "SPMI evaluation")
    page.click("[data-act=spmi-finish]")
    expect(page).to_have_url(f"{live_server.url}{school}pelan/?year={YEAR}")

    form = page.locator("form[data-form=spmi-action]")
    form.locator("select[name=indicator]").select_option(label=page.locator(
        "select[name=indicator] option", has_text="S4.1.1").inner_text())  # fmt: skip
    for name, value in {"goal": "Setiap guru dicerap dua kali setahun", "baseline": "1",
                        "baseline_source": "Rekod pencerapan 2025", "target": "2",
                        "target_date": f"{YEAR}-12-15", "implements": "PK Kurikulum",
                        "assists": "Ketua Panitia", "oversees": "Guru Besar",
                        "resources": "Borang pencerapan", "success": "Setiap guru dicerap dua kali"
                        }.items():  # fmt: skip
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[name=add]").click()
    expect(page.locator("tr[data-action]")).to_have_count(1)
    expect(page.locator("[data-act=spmi-approve]")).to_have_count(0)  # not the team's
    walk.check(page, "SPMI plan")
    _no_sideways_scroll(page, "SPMI plan")
    context.close()

    context, page = walk.context()
    login(page, world.users["head_a"].username)
    page.goto(school + f"pelan/?year={YEAR}")
    page.click("[data-act=spmi-approve]")
    expect(page.locator("[data-approved]")).to_have_attribute("data-approved", "true")
    assert Cycle.objects.get(school=world.a, year=YEAR).stage == "carrying_out"
    link = page.locator("a[data-print=spmi-plan]")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "spmi-plan.pdf").write_bytes(pdf.body())
    action = Action.objects.get()
    page.goto(school + f"tindakan/{action.pk}/")
    walk.check(page, "SPMI action")
    context.close()

    context, page = walk.context()
    login(page, world.users["officer_d1"].username)
    walk.visit(page, f"/spmi/pemantauan/?year={YEAR}", "SPMI follow")
    expect(page.locator(f"tr[data-school='{world.a.code}']")).to_have_attribute(
        "data-stage", "carrying_out"
    )
    walk.visit(page, "/spmi/standard/", "SPMI standards")
    context.close()
    walk.assert_clean()
