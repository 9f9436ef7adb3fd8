"""The Content-Security-Policy as Chromium applies it: the portal's pages break none of it.

Every page a person uses most (login, MyDesktop, the roster, a domain saved by
htmx, the monitoring dashboard's charts and map, PIBK's school page, an htmx
tick, the PIBK dashboard's year switch) is opened with a listener for
``securitypolicyviolation`` events and console errors; none may occur, and the
scripts still do their work (charts drawn, htmx swaps made).
"""

import re

import pytest
from playwright.sync_api import expect

from monitoring.rollups import rollups_rebuild
from surveys.models import Respondent
from surveys.rating import rating_recompute
from tests.browser.test_foundation_browser import login
from tests.pibk.conftest import DAY, csv_bytes
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} `
                        + `at ${e.sourceFile}:${e.lineNumber} on ${location.pathname}`);
});
"""


@pytest.fixture
def watched(browser, live_server):
    """A page whose CSP violations (events and console messages) are collected."""
    context = browser.new_context(base_url=live_server.url, locale="ms-MY")
    violations = []
    context.expose_binding("__cspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(10_000)

    def on_console(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(f"console: {message.text}")

    page.on("console", on_console)
    yield page, violations
    context.close()


def test_the_detector_sees_a_violation(watched):
    """The harness itself: an inline style is refused and reported."""
    page, violations = watched
    response = page.goto("/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<i style=\"color:red\"></i>')")
    page.wait_for_timeout(300)
    assert any("style-src" in v for v in violations), violations


def test_the_main_pages_run_under_the_csp(world, mini_cycle, watched, live_server, monkeypatch):
    page, violations = watched
    monkeypatch.setattr("pibk.services.today", lambda: DAY)
    world.a.longitude, world.a.latitude = 101.64, 3.10
    world.a.save()
    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)

    # A stranger: the login page.
    page.goto("/login/")
    expect(page.locator("input[name=username]")).to_be_visible()

    # The coordinator: MyDesktop, the roster, the SSQS result, then PIBK.
    login(page, world.a.code)
    expect(page).to_have_url(re.compile(r"/mydesktop/$"))
    page.click("[data-card=roster]")
    expect(page.locator("tr[data-tag]").first).to_be_visible()
    from pibk.family_register import register_import
    from pibk.services import school_year_ensure

    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(school_year=school_year, data=csv_bytes(), filename="d.csv", on=DAY)
    page.goto("/pibk/sekolah/BBA0001/")
    expect(page.locator("[data-activity-link=E]")).to_be_visible()
    page.click("[data-activity-link=E]")
    page.wait_for_load_state("load")  # htmx binds the search box on load
    page.fill("input[data-search=families]", "aminah")  # htmx search
    expect(page.locator("li[data-family]")).to_have_count(1)
    page.click("li[data-family=K1] [data-action=tick]")  # htmx tick
    expect(page.locator("li[data-family=K1]")).to_have_attribute("data-present", "true")
    page.click("[data-action=logout]")

    # A respondent: a domain saved by htmx, no reload.
    pupil = Respondent.objects.filter(school=world.a, category="pupil", completed_at=None).first()
    login(page, f"{world.a.code}R")
    page.fill("input[name=tag_number]", pupil.tag)
    page.click("main button[type=submit]")
    page.locator("#domain-nav a[data-domain]").first.click()
    page.evaluate("window.__no_reload = true")
    page.locator("fieldset.question input[type=radio]").first.check()
    page.click("button[name=save]")
    expect(page.locator("[data-saved=true]")).to_be_visible()
    assert page.evaluate("window.__no_reload") is True
    page.click("[data-action=logout]")

    # The district officer: the dashboard's charts and map, then PIBK's year switch.
    login(page, world.users["officer_d1"].username)
    page.goto("/pemantauan/district/SGR-PETALING/")
    expect(page.locator("#geo-wrap")).to_have_attribute("data-ready", "1")  # monitoring.js ran
    page.wait_for_function("Chart.getChart('chart-stars') !== undefined")
    page.goto("/pibk/pemantauan/district/SGR-PETALING/")
    page.select_option("select[name=year]", "2026")
    expect(page).to_have_url(re.compile(r"\?year=2026$"))
    page.goto("/sekolah/BBA0001/")
    expect(page.locator("h1")).to_have_text("SK ALFA")
    page.click("[data-action=logout]")

    # The ministry's administrator: the Django admin.
    login(page, "admin")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    page.wait_for_timeout(300)
    assert violations == []
