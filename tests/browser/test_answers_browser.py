"""Issue 13 in Chromium: answers saved as the respondent goes, and nothing typed is lost.

Each test fails on the portal before the issue: answers were saved only by
the button, a failed save was lost, an ended session pasted the login page
into the form, "Tiada" could be ticked with the rest, and the notice was at
the top of the form, out of sight.
"""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Answer
from surveys.rosters import respondent_password_set
from tests.browser.test_ssqs_browser import login
from tests.surveys.conftest import respondents

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Semua jawapan telah disimpan."
KEPT = "Object.keys(localStorage).filter(k => k.startsWith('ssqs-unsaved:'))"


def saved(respondent, code):
    return (
        Answer.objects.filter(respondent=respondent, question=code)
        .values_list("value", flat=True)
        .first()
    )


def choose(page, world, real_cycle, category="teacher", password=None):
    respondent = respondents(real_cycle, world.a, category).order_by("number").first()
    login(page, f"{world.a.code}R", *([password] if password else []))
    page.fill("input[name=tag_number]", respondent.tag)
    page.click("main button[type=submit]")
    expect(page.locator("#domain-nav")).to_be_visible()
    return respondent


def test_ticked_answers_are_saved_when_going_to_the_next_domain(world, real_cycle, page):
    teacher = choose(page, world, real_cycle)
    page.goto("/ssqs/domain/U1/")
    page.check("input[name=U1-01][value='4']")
    page.check("input[name=U1-02][value='3']")
    page.click("text=Domain seterusnya")  # at once: before the pause that saves
    expect(page).to_have_url(re.compile(r"/ssqs/domain/U2/$"))
    assert saved(teacher, "U1-01") == "4" and saved(teacher, "U1-02") == "3"
    expect(page.locator("a[data-domain=U1] [data-progress]")).to_have_text("2 daripada 4")


def test_a_change_is_saved_in_the_background_without_a_button(world, real_cycle, page):
    teacher = choose(page, world, real_cycle)
    page.goto("/ssqs/domain/U1/")
    page.check("input[name=U1-04][value='2']")
    page.fill("input[name=U1-10]", "Guna tablet")
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)
    assert saved(teacher, "U1-04") == "2" and saved(teacher, "U1-10") == "Guna tablet"
    expect(page.locator("a[data-domain=U1] [data-progress]")).to_have_text("1 daripada 4")


def test_a_save_made_offline_is_kept_and_sent_when_the_connection_returns(world, real_cycle, page):
    teacher = choose(page, world, real_cycle)
    page.goto("/ssqs/domain/U1/")
    page.context.set_offline(True)
    page.check("input[name=U1-01][value='2']")
    state = page.locator("[data-save-state]")
    expect(state).to_contain_text("Belum disimpan – mencuba semula")
    assert saved(teacher, "U1-01") is None
    kept = page.evaluate(KEPT)
    assert kept == [f"ssqs-unsaved:{world.a.code}:{teacher.pk}:U1"]
    # Leaving now asks first.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.evaluate("setTimeout(() => window.location.assign('/ssqs/domain/'), 0)")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/ssqs/domain/U1/$"))
    page.context.set_offline(False)
    expect(state).to_have_text(SAVED, timeout=15_000)
    assert saved(teacher, "U1-01") == "2"
    assert page.evaluate(KEPT) == []


def test_after_the_session_ends_the_respondent_logs_in_and_finds_their_answers(
    world, real_cycle, page
):
    teacher = choose(page, world, real_cycle)
    page.goto("/ssqs/domain/U1/")
    # The coordinator sets a new respondent password: every respondent session ends.
    respondent_password_set(school=world.a, password="Responden-Baharu-26")
    page.check("input[name=U1-01][value='3']")
    page.check("input[name=U1-07][value='1']")
    expect(page).to_have_url(re.compile(r"/login/\?next=%2Fssqs%2Fdomain%2FU1%2F$"))
    assert saved(teacher, "U1-01") is None
    page.fill("input[name=username]", f"{world.a.code}R")
    page.fill("input[name=password]", "Responden-Baharu-26")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ssqs/pilih/\?next=%2Fssqs%2Fdomain%2FU1%2F$"))
    page.fill("input[name=tag_number]", teacher.tag)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ssqs/domain/U1/$"))
    expect(page.locator("input[name=U1-01][value='3']")).to_be_checked()
    expect(page.locator("input[name=U1-07][value='1']")).to_be_checked()
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)
    assert saved(teacher, "U1-01") == "3" and saved(teacher, "U1-07") == "1"


def test_another_respondent_on_the_same_browser_does_not_get_them(world, real_cycle, page):
    teacher = choose(page, world, real_cycle)
    page.goto("/ssqs/domain/U1/")
    context = page.context
    context.set_offline(True)
    page.check("input[name=U1-01][value='3']")
    expect(page.locator("[data-save-state]")).to_contain_text("Belum disimpan")
    page.close()  # the tab is closed while offline; the answers stay in this browser
    context.set_offline(False)
    other = respondents(real_cycle, world.a, "teacher").order_by("number")[1]
    page = context.new_page()
    page.goto("/ssqs/pilih/")
    page.fill("input[name=tag_number]", other.tag)
    page.click("main button[type=submit]")
    page.goto("/ssqs/domain/U1/")
    expect(page.locator("[data-save-state]")).to_have_text("")
    expect(page.locator("input[name=U1-01][value='3']")).not_to_be_checked()
    page.wait_for_timeout(300)
    assert saved(other, "U1-01") is None and saved(teacher, "U1-01") is None
    kept = page.evaluate(KEPT)
    assert kept == [f"ssqs-unsaved:{world.a.code}:{teacher.pk}:U1"]


def test_none_of_these_unticks_the_others_and_is_saved_alone(world, real_cycle, page):
    coordinator = choose(page, world, real_cycle, category="coordinator")
    page.goto("/ssqs/domain/U1/")
    page.check("input[name=U1-08][value=cuti]")
    page.check("input[name=U1-08][value=jadual]")
    page.check("input[name=U1-08][value=tiada]")
    expect(page.locator("input[name=U1-08][value=cuti]")).not_to_be_checked()
    expect(page.locator("input[name=U1-08][value=jadual]")).not_to_be_checked()
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)
    assert saved(coordinator, "U1-08") == ["tiada"]
    page.check("input[name=U1-08][value=inventori]")
    expect(page.locator("input[name=U1-08][value=tiada]")).not_to_be_checked()
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)
    assert saved(coordinator, "U1-08") == ["inventori"]


def test_the_notice_appears_where_the_respondent_looks_with_links_to_what_is_missing(
    world, real_cycle, page
):
    page.set_viewport_size({"width": 800, "height": 500})
    choose(page, world, real_cycle)
    page.goto("/ssqs/domain/U1/")
    page.check("input[name=U1-01][value='4']")
    page.click("button[name=save]")
    notice = page.locator("[data-save-notice]")
    expect(notice.locator("[data-saved=true]")).to_contain_text("Jawab semua soalan bertanda *")
    assert page.evaluate("document.activeElement.matches('[data-save-notice]')")
    expect(notice).to_be_in_viewport()
    links = notice.locator("a[data-goto-question]")
    expect(links).to_have_count(3)
    expect(page.locator("#q-U1-02 [data-missing-mark]")).to_be_visible()
    expect(page.locator("#q-U1-01 [data-missing-mark]")).to_be_hidden()
    links.first.click()
    assert page.evaluate("document.activeElement.name") == "U1-02"
    expect(page.locator("#q-U1-02")).to_be_in_viewport()


def test_the_profile_notice_takes_the_focus_after_saving(world, real_cycle, page):
    page.set_viewport_size({"width": 800, "height": 500})
    login(page, world.a.code)
    page.goto("/ssqs/profil/")
    page.fill("input[name=L1-01]", "45")
    page.click("main button[name=save]")
    notice = page.locator("[data-save-notice]")
    expect(notice).to_contain_text("Belum dijawab lagi:")
    expect(page.locator("[data-progress]")).to_have_text("1 daripada 5")
    page.wait_for_function("document.activeElement.matches('[data-save-notice]')")
    expect(notice).to_be_in_viewport()
