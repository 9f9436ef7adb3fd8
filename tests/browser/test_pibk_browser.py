"""A school imports a small register and ticks one activity; the district sees it and verifies."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_foundation_browser import login
from tests.pibk.conftest import DAY, PRIMARY_CSV

pytestmark = pytest.mark.django_db(transaction=True)


def test_school_ticks_attendance_and_the_district_verifies(
    world, page, shot, browser, live_server, monkeypatch, tmp_path
):
    monkeypatch.setattr("pibk.services.today", lambda: DAY)  # E and F are being collected
    register = tmp_path / "daftar.csv"
    register.write_text(PRIMARY_CSV, encoding="utf-8")

    # The coordinator: MyDesktop -> PIBK -> register -> import.
    login(page, "BBA0001")
    page.click("a[data-card=pibk]")
    expect(page).to_have_url(re.compile(r"/pibk/sekolah/BBA0001/$"))
    page.click("[data-pibk-nav] >> text=Daftar")
    page.set_input_files("input[type=file]", str(register))
    page.click("button[name=import]")
    expect(page.locator("p[data-families]")).to_have_attribute("data-families", "4")
    shot("40-pibk-register")

    # The district officer looks first: nothing to count yet.
    officer_context = browser.new_context(base_url=live_server.url, locale="ms-MY")
    officer = officer_context.new_page()
    officer.set_default_timeout(10_000)
    login(officer, world.users["officer_d1"].username)
    officer.goto("/pibk/sekolah/BBA0001/")
    expect(officer.locator("[data-average]")).to_have_attribute("data-average", "")

    # Sports day: two families expected (K1 and K2); K1 came. On a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-activity-link=E]")
    expect(page.locator("#activity-counts")).to_have_attribute("data-expected", "2")
    page.wait_for_load_state("load")  # htmx binds the search box on load
    page.fill("input[data-search=families]", "aminah")
    expect(page.locator("li[data-family]")).to_have_count(1)
    page.click("li[data-family=K1] [data-action=tick]")
    expect(page.locator("li[data-family=K1]")).to_have_attribute("data-present", "true")
    expect(page.locator("#activity-counts")).to_have_attribute("data-attended", "1")
    shot("41-pibk-attendance-phone")

    # The district sees the average move to 50% (1 of 2) and verifies the window.
    officer.reload()
    expect(officer.locator("[data-average]")).to_have_attribute("data-average", "50.00")
    expect(officer.locator("tr[data-activity=E]")).to_have_attribute("data-rate", "50.00")
    officer.select_option("#review-window", "K1-NOV")
    officer.click("[data-action=verify]")
    # F (awards day) is not held yet: the page names it and asks to confirm.
    expect(officer.locator("[data-missing-item]")).to_have_count(1)
    expect(officer.locator("[data-missing-item]")).to_contain_text("F ")
    officer.click("[data-action=confirm-verify]")
    expect(officer.locator("tr[data-window=K1-NOV]")).to_have_attribute("data-status", "verified")
    officer.screenshot(path=str(ARTIFACTS / "42-pibk-verified.png"), full_page=True)
    officer.goto("/pibk/pemantauan/district/SGR-PETALING/")
    row = officer.locator("[data-grid] tr[data-school=BBA0001]")
    expect(row).to_have_attribute("data-average", "50.00")
    expect(row.locator("[data-window=K1-NOV]")).to_have_attribute("data-status", "verified")
    expect(row.locator("[data-window=K1-MAR]")).to_have_attribute("data-status", "open")
    expect(officer.locator("[data-verified-window=K1-NOV]")).to_have_attribute("data-verified", "1")
    officer.screenshot(path=str(ARTIFACTS / "43-pibk-district.png"), full_page=True)
    officer_context.close()

    # Verified data is locked for the school.
    page.reload()
    expect(page.locator("[data-locked]")).to_be_visible()
    expect(page.locator("[data-action=tick]")).to_have_count(0)
