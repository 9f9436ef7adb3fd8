"""The seed's seven steps in Chromium, from the coordinator's login to a green domain."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Respondent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username, password=PASSWORD):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def answer_all(page):
    for fieldset in page.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        boxes = fieldset.locator("input[type=checkbox]")
        text = fieldset.locator("input[type=text]")
        if radios.count():
            radios.last.check()
        elif boxes.count():
            boxes.first.check()
        elif text.count() and text.first.get_attribute("inputmode") == "decimal":
            text.first.fill("12")


def test_the_seven_steps_of_the_seed(world, real_cycle, page, shot):
    # 1. The coordinator logs in with the school code and password.
    login(page, world.a.code)
    expect(page).to_have_url(re.compile(r"/mydesktop/$"))
    # 2. Profil Sekolah: the "Lain-lain" domain, update, then MyDesktop.
    page.click("[data-card=profile]")
    expect(page.locator("[data-domain=L1]")).to_have_attribute("data-complete", "false")
    page.fill("input[name=L1-01]", "45")
    page.fill("input[name=L1-02]", "1")
    page.fill("input[name=L1-03]", "100")
    page.check("input[name=L1-04][value=gentian]")
    page.check("input[name=L1-06][value=ya]")
    page.click("main button[name=save]")
    expect(page.locator("[data-domain=L1]")).to_have_attribute("data-complete", "true")
    shot("10-profil-sekolah")
    page.click("main >> text=MyDesktop")
    expect(page).to_have_url(re.compile(r"/mydesktop/$"))
    # 3. Maklumat Responden: the tag numbers, printed; the respondent password set.
    page.click("[data-card=roster]")
    expect(page.locator("tr[data-tag]")).to_have_count(62)
    pupil = Respondent.objects.filter(school=world.a, category="pupil").order_by("number").first()
    page.fill(f"input[name=name-{pupil.pk}]", "Nur Aisyah")
    page.click("text=Simpan nama")
    expect(page.locator(f"input[name=name-{pupil.pk}]")).to_have_value("Nur Aisyah")
    page.fill("input[name=password1]", "Responden-Alfa-26")
    page.fill("input[name=password2]", "Responden-Alfa-26")
    page.click("text=Tetapkan kata laluan responden")
    shot("11-maklumat-responden")
    slips = page.request.get(page.locator("[data-print=respondent-slips]").get_attribute("href"))
    assert slips.headers["content-type"] == "application/pdf"
    # 4. Log out.
    page.click("[data-action=logout]")
    expect(page).to_have_url(re.compile(r"/login/$"))
    # 5. The respondent logs in with the school code plus R.
    login(page, f"{world.a.code}R", "Responden-Alfa-26")
    # 6. Pilih Responden: the tag number, continue.
    expect(page.locator("h1")).to_have_text("Pilih Responden")
    page.fill("input[name=tag_number]", "ZZZZ-ZZZZ")
    page.click("main button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("tidak ada dalam senarai")
    page.fill("input[name=tag_number]", pupil.tag_display.lower())
    page.click("main button[type=submit]")
    # 7. Domains red until done, green when done; saved with htmx, no reload.
    buttons = page.locator("#domain-nav a[data-domain]")
    expect(buttons).to_have_count(2)
    expect(page.locator("a[data-domain=U2]")).to_have_attribute("data-complete", "false")
    expect(page.locator("a[data-domain=U2]")).to_have_class(re.compile("btn-danger"))
    shot("12-domains-red")
    page.click("a[data-domain=U2]")
    expect(page.locator("text=*").first).to_be_visible()
    page.evaluate("window.__no_reload = true")
    page.check("input[name=U2-06][value='4']")
    page.click("button[name=save]")
    expect(page.locator("[data-saved=true]")).to_be_visible()
    expect(page.locator("a[data-domain=U2]")).to_have_attribute("data-complete", "false")
    answer_all(page)
    page.click("button[name=save]")
    expect(page.locator("a[data-domain=U2]")).to_have_attribute("data-complete", "true")
    expect(page.locator("a[data-domain=U2]")).to_have_class(re.compile("btn-success"))
    assert page.evaluate("window.__no_reload") is True  # htmx swapped; the page stayed
    shot("13-domain-green")
    page.click("a[data-domain=H3]")
    answer_all(page)
    page.click("button[name=save]")
    expect(page.locator("a[data-domain=H3]")).to_have_attribute("data-complete", "true")
    page.click("text=Semua domain")
    expect(page.locator("[data-all-done=true]")).to_be_visible()
    form = page.request.get(page.locator("[data-print=respondent-form]").get_attribute("href"))
    assert form.headers["content-type"] == "application/pdf"
    shot("14-all-green")
    # Answers are kept between visits.
    page.click("a[data-domain=U2]")
    expect(page.locator("input[name=U2-06][value='4']")).to_be_checked()


def test_a_domain_saves_without_javascript_too(world, real_cycle, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    pupil = Respondent.objects.filter(school=world.a, category="pupil").first()
    login(page, f"{world.a.code}R")
    page.fill("input[name=tag_number]", pupil.tag)
    page.click("main button[type=submit]")
    page.goto("/ssqs/domain/H3/")
    answer_all(page)
    page.click("button[name=save]")
    expect(page.locator("a[data-domain=H3]")).to_have_attribute("data-complete", "true")
    context.close()
