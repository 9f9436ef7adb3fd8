"""PIBK at the school gate, on a 390 px phone (issue 13, items 8 and 9).

No page scrolls sideways and every tick button stays on screen; a tick that
fails (offline, a server error, a session that has ended) says it was not
saved and is tried again, never silently lost.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from pibk.family_register import register_import
from pibk.models import Attendance, Family, SchoolYear
from pibk.rollups import rollups_rebuild
from pibk.services import school_year_ensure
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_foundation_browser import login
from tests.pibk.conftest import DAY

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
JAN = datetime.date(2026, 1, 15)

# Families as a real school has them: long names, three or four siblings.
LONG_CSV = "ID_KELUARGA,NAMA_PENJAGA,NAMA_MURID,TAHUN,KELAS,SUKAN,ANUGERAH\n" + "".join(
    f"K{n},Nurul Syazwani binti Mohd Khairul Anuar {n},{child} binti Abdul Rahman {n},"
    f"{year},{year} Cemerlang Bestari,YA,YA\n"
    for n in range(1, 6)
    for child, year in (
        ("Nur Aisyah Humaira", "1"),
        ("Muhammad Irfan Hakimi", "3"),
        ("Siti Nurhaliza Qistina", "5"),
        ("Ahmad Danial Haziq", "6"),
    )
)


def no_sideways_scroll(page, url):
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide at {PHONE['width']} px"
    for button in page.locator("[data-action=tick], [data-action=volunteer], [data-flag]").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{url}: {box}"


@pytest.fixture
def school(world, monkeypatch):
    monkeypatch.setattr("pibk.services.today", lambda: DAY)  # E, F and KPI 2 open
    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(school_year=school_year, data=LONG_CSV.encode(), filename="d.csv", on=JAN)
    other = school_year_ensure(school=world.b, year=2026)
    SchoolYear.objects.filter(pk=other.pk).update(mode=SchoolYear.Mode.COUNTS)
    rollups_rebuild(year=2026)
    return school_year


def test_no_pibk_page_scrolls_sideways_on_a_phone(world, school, browser, live_server):
    coordinator_pages = [
        "/pibk/sekolah/BBA0001/",
        "/pibk/daftar/",
        "/pibk/murid/",
        *[f"/pibk/aktiviti/{code}/" for code in "ABCDEF"],
        "/pibk/sukarelawan/",
        "/pibk/bilangan/",
    ]
    officer_pages = {
        "officer_d1": [
            "/pibk/sekolah/BBA0001/",
            "/pibk/pemantauan/district/SGR-PETALING/",
            "/pibk/pemantauan/district/SGR-PETALING/sekolah/",
        ],
        "officer_s1": ["/pibk/pemantauan/state/SGR/", "/pibk/pemantauan/state/SGR/sekolah/"],
        "national": [
            "/pibk/pemantauan/national/KPM/",
            "/pibk/pemantauan/national/KPM/sekolah/",
            "/pibk/sasaran/",
        ],
    }
    people = [("BBA0001", coordinator_pages)] + [
        (world.users[key].username, pages) for key, pages in officer_pages.items()
    ]
    for username, pages in people:
        context = browser.new_context(base_url=live_server.url, locale="ms-MY", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, username)
        for url in pages:
            no_sideways_scroll(page, url)
        if username == "BBA0001":
            page.goto("/pibk/aktiviti/E/")
            expect(page.locator("li[data-family]").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "44-pibk-phone-siblings.png"), full_page=True)
        context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ms-MY", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield context, page
    context.close()


def ticked(key):
    return Attendance.objects.filter(family__key=key, activity__code="E").exists()


def test_a_tick_made_offline_says_not_saved_and_is_saved_when_back_online(school, phone):
    context, page = phone
    login(page, "BBA0001")
    page.goto("/pibk/aktiviti/E/")
    row = page.locator("li[data-family=K1]")
    context.set_offline(True)
    row.locator("[data-action=tick]").click()
    expect(row).to_have_attribute("data-save-state", "failed")
    expect(row.locator("[data-save-note]")).to_contain_text("Tidak disimpan")
    expect(row.locator("[data-save-note] [data-action=retry]")).to_be_visible()
    assert not ticked("K1")
    page.screenshot(path=str(ARTIFACTS / "45-pibk-tick-not-saved.png"), full_page=True)
    context.set_offline(False)  # the browser's "online": tried again at once
    expect(page.locator("li[data-family=K1]")).to_have_attribute("data-present", "true")
    expect(page.locator("li[data-family=K1] [data-save-note]")).to_have_count(0)
    assert ticked("K1")


def test_a_tick_the_server_fails_says_not_saved_and_retry_saves_it(school, phone):
    context, page = phone
    login(page, "BBA0001")
    page.goto("/pibk/sukarelawan/")
    page.route("**/pibk/sukarelawan/*/", lambda route: route.fulfill(status=500, body="boom"))
    row = page.locator("li[data-family=K2]")
    row.locator("[data-action=volunteer]").click()
    expect(row.locator("[data-save-note]")).to_contain_text("Tidak disimpan")
    assert not Family.objects.get(key="K2").volunteering.exists()
    page.unroute("**/pibk/sukarelawan/*/")
    row.locator("[data-action=retry]").click()
    expect(page.locator("li[data-family=K2]")).to_have_attribute("data-volunteering", "true")
    assert Family.objects.get(key="K2").volunteering.exists()


def test_a_tick_after_the_session_ended_goes_to_login_saying_not_saved(school, phone):
    context, page = phone
    login(page, "BBA0001")
    page.goto("/pibk/aktiviti/F/")
    context.clear_cookies(name="sessionid")  # the session has ended (8 hours, or signed out)
    page.locator("li[data-family=K3] [data-action=tick]").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=%2Fpibk%2Faktiviti%2FF%2F$"))
    expect(page.locator("main")).to_contain_text("tidak disimpan")
    assert not Attendance.objects.filter(family__key="K3", activity__code="F").exists()
