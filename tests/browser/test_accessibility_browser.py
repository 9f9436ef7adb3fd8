"""axe-core finds no serious or critical violation on any kind of page.

Every kind of page each role uses (a stranger, the coordinator, a respondent
after Pilih, a district officer, a national officer, the ministry's
administrator) is opened in Malay and in English, and checked at a desktop
width (1280 px) and a phone width (390 px) with axe-core (vendored for the
tests in tests/browser/vendor/, see its README). One browser, one world, one
context per role: the whole walk stays well under three minutes.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from monitoring.rollups import rollups_rebuild
from surveys.models import Respondent
from surveys.rating import rating_recompute
from tests.browser.test_foundation_browser import login
from tests.pibk.conftest import DAY, csv_bytes
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The portal's CSP (script-src 'self') refuses a script added inline, which is
# what page.add_script_tag(path=...) does. Rather than switch the CSP off for
# the whole context (bypass_csp=True, which would also hide a page that only
# works without it), axe is served from a same-origin address the browser
# never sends to the server: page.route answers it with the vendored file, and
# add_script_tag(url=...) loads it as any of the portal's own scripts.
AXE_URL = "/__tests__/axe.min.js"
BLOCKING = ("serious", "critical")
WIDTHS = (1280, 390)
MISSING = "/tiada-di-sini/"
LANGUAGES = ("ms", "en")

RUN_AXE = r"""async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary
        .split("\n").filter((line) => !line.startsWith("Fix ")).join(" ").trim()),
    }));
}"""


class Walk:
    """Opens pages for one role and collects axe's serious and critical findings."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.base_url = live_server.url
        self.found = {}  # (rule, impact, help, node) -> where
        self.checked = 0
        self.missing = []  # any 404 but the page that is meant to be missing

    def context(self):
        context = self.browser.new_context(base_url=self.base_url, locale="ms-MY")
        context.route(
            f"**{AXE_URL}",
            lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "response",
            lambda r: r.status == 404 and MISSING not in r.url and self.missing.append(r.url),
        )
        return context, page

    def language(self, page, code):
        page.context.add_cookies([{"name": "ssqs_language", "value": code, "url": self.base_url}])

    def check(self, page, label):
        """Run axe at each width on the page as it stands."""
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=AXE_URL)
        lang = page.evaluate("document.documentElement.lang")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for v in page.evaluate(RUN_AXE):
                for node in v["nodes"]:
                    key = (v["id"], v["impact"], v["help"], node)
                    self.found.setdefault(key, []).append(f"{label} {lang} {width}px")
            self.checked += 1

    def report(self):
        """axe's serious and critical findings, one line each with where they were seen."""
        return [
            f"{impact} {rule} ({help_}): {node}\n    on {', '.join(where)}"
            for (rule, impact, help_, node), where in self.found.items()
        ]

    def assert_clean(self):
        """No page answered 404 unexpectedly, and axe found nothing serious or critical."""
        assert self.missing == []
        report = self.report()
        assert report == [], f"{len(report)} serious or critical violations:\n" + "\n".join(report)

    def visit(self, page, path, label, status=200):
        """Open ``path`` in each language and check it."""
        for code in LANGUAGES:
            self.language(page, code)
            response = page.goto(path)
            assert response.status == status, (path, response.status)
            assert page.evaluate("document.documentElement.lang") == code, path
            self.check(page, label)


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    world, mini_cycle, browser, live_server, monkeypatch
):
    monkeypatch.setattr("pibk.services.today", lambda: DAY)  # E and F are being collected
    world.a.longitude, world.a.latitude = 101.64, 3.10
    world.a.save()
    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)
    from pibk.family_register import register_import
    from pibk.services import school_year_ensure

    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(school_year=school_year, data=csv_bytes(), filename="d.csv", on=DAY)

    walk = Walk(browser, live_server)
    district = "/pemantauan/district/SGR-PETALING/"
    pibk_district = "/pibk/pemantauan/district/SGR-PETALING/"

    # A stranger: the login page and a page that does not exist.
    context, page = walk.context()
    walk.visit(page, "/login/", "login")
    walk.visit(page, MISSING, "404", status=404)
    # The public skills pages anyone reaches from the footer (issue 17: complaints).
    walk.visit(page, "/kemahiran/aduan/baru/", "complaint form")
    walk.visit(page, "/kemahiran/aduan/semak/", "complaint lookup")
    icon = page.request.get("/favicon.ico")  # what a browser asks for on its own
    assert icon.ok and icon.url.endswith("/static/favicon.ico"), icon.url
    context.close()

    # The coordinator.
    context, page = walk.context()
    login(page, world.a.code)
    expect(page).to_have_url(re.compile(r"/mydesktop/$"))
    for path, label in [
        ("/mydesktop/", "MyDesktop"),
        ("/ssqs/profil/", "profile"),
        ("/ssqs/responden/", "roster"),
        ("/ssqs/sekolah/BBA0001/", "school result"),
        ("/pibk/sekolah/BBA0001/", "PIBK school"),
        ("/pibk/aktiviti/E/", "attendance"),
        ("/pibk/sukarelawan/", "volunteers"),
        ("/pibk/murid/", "pupils"),
        ("/pibk/bilangan/", "counts"),
        ("/pibk/daftar/", "register"),
        ("/password/", "password change"),
        ("/mydesktop/staf/", "school staff"),
    ]:
        walk.visit(page, path, label)
    walk.visit(page, "/pibk/sasaran/", "403", status=403)
    context.close()

    # A respondent, before and after Pilih.
    teacher = Respondent.objects.filter(
        school=world.a, category="teacher", completed_at=None
    ).first()
    context, page = walk.context()
    login(page, f"{world.a.code}R")
    walk.visit(page, "/ssqs/pilih/", "Pilih")
    page.fill("input[name=tag_number]", teacher.tag)
    page.click("main button[type=submit]")
    walk.visit(page, "/ssqs/domain/", "domain list")
    walk.visit(page, "/ssqs/domain/U1/", "domain form")
    context.close()

    # The district officer, with a batch of star certificates being made.
    from monitoring.models import CertificateBatch

    batch = CertificateBatch.objects.create(
        cycle=mini_cycle, district=world.d1, total=3, done=1, requested_by=world.users["officer_d1"]
    )
    context, page = walk.context()
    login(page, world.users["officer_d1"].username)
    for path, label in [
        ("/sekolah/", "school list"),
        ("/sekolah/BBA0001/", "school page"),
        (district, "monitoring dashboard"),
        (district + "sekolah/", "school table"),
        ("/ssqs/sekolah/BBA0001/", "school result (officer)"),
        (pibk_district, "PIBK dashboard"),
        (pibk_district + "sekolah/", "PIBK school table"),
        ("/pibk/sekolah/BBA0001/", "PIBK school (officer)"),
        (f"/pemantauan/sijil/{batch.pk}/", "certificates"),
        ("/sejarah/sekolah/BBA0001/", "change history"),
    ]:
        walk.visit(page, path, label)
    context.close()

    # The national officer: the nation's dashboards and the PIBK targets.
    national = world.users["national"]
    context, page = walk.context()
    login(page, national.username)
    for path, label in [
        ("/pemantauan/national/KPM/", "national dashboard"),
        ("/pibk/pemantauan/national/KPM/", "PIBK national dashboard"),
        ("/pibk/sasaran/", "targets"),
    ]:
        walk.visit(page, path, label)
    context.close()

    # The ministry's administrator lands on the school list.
    context, page = walk.context()
    login(page, "admin")
    walk.visit(page, "/", "admin landing")
    context.close()

    print(f"axe checked {walk.checked} page views")
    assert walk.missing == []
    assert walk.checked == 4 * 34  # 34 pages, two languages, two widths
    report = walk.report()
    print("\n".join(report))
    assert report == [], f"{len(report)} serious or critical violations:\n" + "\n".join(report)
