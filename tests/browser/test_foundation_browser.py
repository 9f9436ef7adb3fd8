import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, coordinator_for

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username, password=PASSWORD):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_first_login_forces_a_change_then_mydesktop_then_english(world, page, shot):
    user = coordinator_for(world.a)
    user.must_change_password = True
    user.save()
    login(page, "bba0001")
    expect(page).to_have_url(re.compile(r"/password/$"))
    expect(page.locator("[data-forced-change]")).to_be_visible()
    shot("01-forced-password-change")
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "Sekolah-Alfa-2026!")
    page.fill("input[name=new_password2]", "Sekolah-Alfa-2026!")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/mydesktop/$"))
    expect(page.locator("h1")).to_have_text("MyDesktop")
    expect(page.locator("text=Kata laluan anda telah ditukar.")).to_be_visible()
    expect(page.locator("[data-action=logout]")).to_contain_text("Log keluar")
    shot("02-mydesktop-ms")
    page.click("[data-language=en]")
    expect(page.locator("[data-action=logout]")).to_contain_text("Log out")
    expect(page.locator("text=My school")).to_be_visible()
    shot("03-mydesktop-en")
    page.click("[data-language=ms]")
    expect(page.locator("[data-action=logout]")).to_contain_text("Log keluar")


def test_repeated_wrong_passwords_lock_the_login(world, page, settings, shot):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(page, "BBA0001", "salah-salah")
    expect(page.locator("[data-lockout=true]")).to_be_visible()
    shot("04-lockout")
    login(page, "BBA0001")
    expect(page.locator("[data-lockout=true]")).to_be_visible()


def test_an_officer_searches_the_school_list(world, page):
    login(page, world.users["officer_s1"].username)
    expect(page.locator("tr[data-school]")).to_have_count(2)
    page.fill("input[name=q]", "bravo")
    expect(page.locator("tr[data-school]")).to_have_count(1)
    expect(page.locator("tr[data-school=BBB0002]")).to_be_visible()
