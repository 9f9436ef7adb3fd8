"""A district officer drills from the district to a school, filters and exports."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from monitoring.rollups import rollups_rebuild
from surveys.rating import rating_recompute
from tests.browser.test_foundation_browser import login
from tests.factories import SchoolFactory
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_officer_drills_filters_and_exports(world, mini_cycle, page, shot):
    world.a.longitude, world.a.latitude = 101.64, 3.10
    world.a.save()
    SchoolFactory(code="BBA0009", name="SK DELTA", district=world.d1, longitude=101.7, latitude=3.2)
    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)

    login(page, world.users["officer_d1"].username)
    page.click("nav >> text=Pemantauan")
    expect(page).to_have_url(re.compile(r"/pemantauan/district/SGR-PETALING/$"))
    expect(page.locator("tr[data-school]")).to_have_count(2)
    expect(page.locator("#node-map .geo-point")).to_have_count(2)
    shot("20-district-dashboard")
    page.click("text=Jadual sekolah dan eksport")
    page.select_option("#f-status", "not_started")
    page.click("main button[type=submit]")
    expect(page.locator("tr[data-school]")).to_have_count(1)
    expect(page.locator("tr[data-school=BBA0009]")).to_be_visible()
    with page.expect_download() as download:
        page.click("[data-export=csv]")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(content) == 2 and content[1].startswith("BBA0009,")
    shot("21-school-table")
    page.goto("/pemantauan/district/SGR-PETALING/")
    page.click("tr[data-school=BBA0001] a")
    expect(page.locator("h1")).to_have_text("SK ALFA")
    page.fill("#review-comment", "Data lengkap")
    page.click("[data-action=verify]")
    # Not every respondent has finished: the page says how many and asks to confirm.
    expect(page.locator("[data-missing-item]").first).to_contain_text("62")
    page.click("[data-action=confirm-verify]")
    expect(page.locator("[data-review=verified]")).to_be_visible()
