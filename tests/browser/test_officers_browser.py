"""Issue 13: an officer reads the map (DOSM boundaries), hovers, recolours and clicks through."""

import re

import pytest
from playwright.sync_api import expect

from monitoring.rollups import rollups_rebuild
from surveys.rating import rating_recompute
from tests.browser.test_foundation_browser import login
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db(transaction=True)


def fill_of(locator):
    return locator.evaluate("e => getComputedStyle(e).fill")


def test_the_national_map_is_coloured_hovered_and_clicked_through(world, mini_cycle, page, shot):
    world.a.longitude, world.a.latitude = 101.60, 3.10
    world.a.save()
    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)

    login(page, world.users["national"].username)
    expect(page).to_have_url(re.compile(r"/pemantauan/national/KPM/$"))
    expect(page.locator("#geo-wrap")).to_have_attribute("data-ready", "1")
    states = page.locator("#node-map .geo-area")
    expect(states).to_have_count(16)
    selangor = page.locator('#node-map a[href="/pemantauan/state/SGR/"]')
    box = selangor.locator("path").bounding_box()
    assert box["width"] > 20 and box["height"] > 20  # a state's shape, not a dot
    # Colour by completeness: Selangor has data, Johor (no schools here) has none.
    johor = page.locator("#node-map .geo-area", has_text="").filter(
        has=page.locator("title", has_text="Johor")
    )
    assert fill_of(selangor.locator("path")) != fill_of(johor.locator("path"))
    assert fill_of(johor.locator("path")) == "rgb(233, 236, 239)"  # no data
    before = fill_of(selangor.locator("path"))
    page.select_option("#map-measure", "stars")
    expect(page.locator('[data-legend="stars"]')).to_be_visible()
    expect(page.locator('[data-legend="completeness"]')).to_be_hidden()
    assert fill_of(selangor.locator("path")) != before
    selangor.hover()
    expect(page.locator("#map-detail")).to_contain_text("Selangor")
    expect(page.locator("#map-detail")).to_contain_text("sekolah: 2")
    shot("13-national-map")
    selangor.focus()  # keyboard: the state is a link, focusable and followed with Enter
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pemantauan/state/SGR/$"))
    expect(page.locator("#node-map .geo-area")).to_have_count(9)
    shot("13-state-map")
    page.click('#node-map a[href="/pemantauan/district/SGR-PETALING/"]')
    expect(page).to_have_url(re.compile(r"/pemantauan/district/SGR-PETALING/$"))
    expect(page.locator("#node-map .geo-point")).to_have_count(1)
    shot("13-district-map")
    page.click("#node-map .geo-point")
    expect(page).to_have_url(re.compile(r"/sekolah/BBA0001/$"))
