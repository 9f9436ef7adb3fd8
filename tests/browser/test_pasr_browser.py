"""PASR in Chromium: the exam secretary registers (and sees a refusal explained), a teacher
rates, the subject head moderates and submits, the head verifies, the report PDF opens.

Then axe-core walks every PASR page each role uses, in Malay and English, at a desktop
and a phone width (0 serious or critical), and no page scrolls sideways at 390 px.
"""

import datetime

import pytest
from playwright.sync_api import expect

from pasr import rules
from pasr.models import Candidate, Rating
from pasr.services import calendar as calendar_services
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility_browser import Walk
from tests.browser.test_foundation_browser import login

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2026
DAY = datetime.date(YEAR, 5, 20)  # ProKhas 1 is being administered; registration reopened


def _board_calendar(by):
    calendar_services.window_set(year=YEAR, window=rules.REGISTRATION,
                                 opens=datetime.date(YEAR, 3, 1),
                                 closes=datetime.date(YEAR, 5, 31), by=by,
                                 reason="Dibuka semula untuk ujian")  # fmt: skip
    calendar_services.window_set(year=YEAR, window=rules.PROKHAS1,
                                 opens=datetime.date(YEAR, 4, 6),
                                 closes=datetime.date(YEAR, 5, 31), by=by)  # fmt: skip
    calendar_services.results_due_set(year=YEAR, due=datetime.date(YEAR, 12, 15), by=by)


def _fill_registration(page, **values):
    data = {
        "name": "Nur Aisyah Humaira binti Mohd Khairul",
        "id_number": "140315-10-1234",
        "date_of_birth": "2014-03-15",
        "class_name": "6 Cekal",
        **values,
    }
    for name, value in data.items():
        page.fill(f"input[name={name}]", value)
    page.select_option("select[name=programme]", "ppki")
    page.select_option("select[name=curriculum]", "kssr_pk_mp")
    page.select_option("select[name=tahap]", "2")
    page.check("input[name=final_year][value=yes]")
    page.select_option("select[name=medical]", "oku_card")
    page.check("input[name=mainstream_exam][value=no]")
    page.select_option("select[name=kh_component]", "masakan")


def _no_sideways_scroll(page, label):
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{label} is {width} px wide at 390 px"


def test_register_rate_moderate_verify_and_print(world, browser, live_server, monkeypatch):
    monkeypatch.setattr("pasr.calendar.today", lambda: DAY)
    world.a.has_ppki = True
    world.a.save()
    _board_calendar(world.users["lp_officer"])
    ARTIFACTS.mkdir(exist_ok=True)
    walk = Walk(browser, live_server)
    school = f"/pasr/sekolah/{world.a.code}/"

    # The exam secretary: a pupil born on 1 January 2011 is 15 on 1 January 2026: refused,
    # with the age rule named and nothing saved; then an eligible pupil is registered.
    context, page = walk.context()
    login(page, world.users["exam_sec_a"].username)
    page.goto(school + "daftar/")
    _fill_registration(page, id_number="110101-10-4321", date_of_birth="2011-01-01")
    page.check("input[name=mainstream_exam][value=yes]")
    page.click("form[data-form=pasr-register] button[type=submit]")
    expect(page.locator("[data-rule=age]")).to_be_visible()
    expect(page.locator("[data-rule=exclusive]")).to_be_visible()
    expect(page.locator("[data-rule]")).to_have_count(2)
    assert not Candidate.objects.exists()
    page.screenshot(path=str(ARTIFACTS / "60-pasr-refusal.png"), full_page=True)
    walk.check(page, "PASR refusal")
    _fill_registration(page)
    page.click("form[data-form=pasr-register] button[type=submit]")
    candidate = Candidate.objects.get(id_number="140315101234")
    page.goto(school + "calon/")
    row = page.locator(f"[data-candidate='{candidate.id_number}']")
    expect(row).to_have_attribute("data-status", "registered")
    _no_sideways_scroll(page, "candidate list")
    context.close()

    # The teacher rates every construct of ProKhas 1.
    context, page = walk.context()
    login(page, world.users["pasr_teacher_a"].username)
    page.goto(school + "nilai/prokhas1/")
    selects = page.locator("select[name^=r-]")
    expect(selects).to_have_count(10)  # BM 4, MT 2, KH 3 (in the chosen component), NI 1
    for i in range(selects.count()):
        selects.nth(i).select_option(rules.KOMPETEN)
    page.click("button[data-action=rate]")
    expect(page.locator(f"[data-cell='{candidate.pk}-P1-BM-1']")).to_have_attribute(
        "data-stage", "assessed"
    )
    walk.check(page, "PASR rating grid")
    context.close()

    # The subject head changes one level with a reason, confirms the rest and submits.
    context, page = walk.context()
    login(page, world.users["subject_head_a"].username)
    page.goto(school + "moderasi/prokhas1/")
    page.select_option(f"select[name=m-{candidate.pk}-P1-BM-2]", rules.KOMPETEN_TERPUJI)
    page.fill(f"input[name=why-{candidate.pk}-P1-BM-2]", "Menulis karangan pendek sendiri.")
    page.click("button[data-action=moderate]")
    page.click("button[data-action=confirm-all]")
    walk.check(page, "PASR moderation")
    page.goto(school)
    page.click("[data-results-instrument=prokhas1] button[data-action=submit]")
    expect(page.locator("[data-results-instrument=prokhas1]")).to_have_attribute(
        "data-status", "submitted"
    )
    context.close()
    moderated = Rating.objects.get(candidate=candidate, construct="P1-BM-2", stage="moderated")
    assert moderated.level == rules.KOMPETEN_TERPUJI and moderated.reason
    # The teacher's first rating is never overwritten.
    assert Rating.objects.get(candidate=candidate, construct="P1-BM-2", stage="assessed").level == (
        rules.KOMPETEN
    )

    # The head verifies for the committee: the results are locked; the report PDF opens.
    context, page = walk.context()
    login(page, world.users["head_a"].username)
    page.goto(school)
    page.click("[data-results-instrument=prokhas1] button[data-action=verify]")
    expect(page.locator("[data-results-instrument=prokhas1]")).to_have_attribute(
        "data-status", "verified"
    )
    page.screenshot(path=str(ARTIFACTS / "61-pasr-verified.png"), full_page=True)
    page.goto(school + f"calon/{candidate.pk}/")
    construct = page.locator("[data-construct='P1-BM-2']").first
    expect(construct).to_have_attribute("data-stage", "verified")
    expect(construct).to_have_attribute("data-level", rules.KOMPETEN_TERPUJI)
    report = page.request.get(school + f"calon/{candidate.pk}/laporan.pdf")
    assert report.ok and report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF")
    (ARTIFACTS / "62-pasr-report.pdf").write_bytes(report.body())
    context.close()
    assert Rating.objects.filter(candidate=candidate, stage="verified").count() == 10

    # axe on every PASR page, per role, both languages, both widths.
    pages = [
        ("exam_sec_a", [(school, "PASR school"), (school + "daftar/", "PASR registration"),
                        (school + "daftar/fail/", "PASR import"), (school + "calon/", "PASR list"),
                        (school + "pindah/", "PASR transfer")]),
        ("head_a", [(school + f"calon/{candidate.pk}/", "PASR candidate"),
                    (school + "analisis/", "PASR analysis"),
                    (school + "jaminan-kualiti/", "PASR QA")]),
        ("officer_d1", [(f"/pasr/pemantauan/district/{world.d1.code}/", "PASR district"),
                        (f"/pasr/pemantauan/district/{world.d1.code}/sekolah/", "PASR schools"),
                        ("/pasr/pemantauan/pindahan/", "PASR transfers")]),
        ("lp_officer", [("/pasr/lp/", "PASR board"),
                        ("/pasr/pemantauan/national/KPM/", "PASR nation")]),
    ]  # fmt: skip
    for persona, paths in pages:
        context, page = walk.context()
        login(page, world.users[persona].username)
        for path, label in paths:
            walk.visit(page, path + f"?year={YEAR}", label)
            _no_sideways_scroll(page, label)
        context.close()
    walk.assert_clean()
