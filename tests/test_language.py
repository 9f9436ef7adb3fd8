"""Malay first: English only when chosen, each language spoken throughout (issue 13, item 21)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import coordinator_for

YEAR = 365 * 24 * 60 * 60


def html_lang(response):
    return re.search(r'<html lang="(\w+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_first_visit_is_in_malay_whatever_the_browser_asks_for(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(response) == "ms"
    assert "Log masuk" in response.content.decode()
    assert response["Content-Language"] == "ms"
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_the_choice_of_english_is_remembered_for_a_year(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == YEAR
    # The chosen English wins over a browser asking for Malay, on every later page.
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="ms")
    assert html_lang(response) == "en"
    client.post("/i18n/setlang/", {"language": "ms", "next": "/login/"})
    assert html_lang(client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")) == "ms"


@pytest.mark.django_db
def test_an_unknown_language_in_the_cookie_gives_malay(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert html_lang(client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")) == "ms"


def messages_of(password, user=None):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


@pytest.mark.django_db
def test_djangos_password_messages_read_as_the_portal_writes_in_malay():
    with translation.override("ms"):
        common = messages_of("password")
        short = messages_of("Zx9!")
        numeric = messages_of("83920174615")
        form = PasswordChangeForm(user=None)
        labels = [str(form.fields[name].label) for name in form.fields]
        help_text = str(form.fields["new_password1"].help_text)
    # Django's own Malay said "too short" for "too common".
    assert "terlalu biasa digunakan" in common and "singkat" not in common
    assert "aksara" in short and "karakter" not in short
    assert "nombor sahaja" in numeric
    assert labels == ["Kata laluan lama", "Kata laluan baharu", "Pengesahan kata laluan baharu"]
    assert "aksara" in help_text and "karakter" not in help_text and " baru" not in help_text


@pytest.mark.django_db
def test_english_pages_of_the_coordinator_speak_english(world, real_cycle, client):
    client.force_login(coordinator_for(world.a))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    desktop = client.get("/mydesktop/").content.decode()
    assert "Maklumat Responden:" not in desktop and "Profil Sekolah:" not in desktop
    assert "Tag numbers to print and hand out" in desktop
    profile = client.get("/ssqs/profil/").content.decode()
    assert "<title>School profile · SSQS Portal</title>" in profile
    # The official Malay name stands beside its translation, marked as Malay.
    assert '<span lang="ms">Profil Sekolah</span> · SSQS 2026' in profile
    roster = client.get("/ssqs/responden/").content.decode()
    assert '<span lang="ms">Maklumat Responden</span> · SSQS 2026' in roster


@pytest.mark.django_db
def test_malay_pages_speak_malay(world, real_cycle, client):
    client.force_login(coordinator_for(world.a))
    profile = client.get("/ssqs/profil/").content.decode()
    assert 'lang="ms">Profil Sekolah</span>' not in profile  # not twice in Malay
    result = client.get(f"/ssqs/sekolah/{world.a.code}/").content.decode()
    assert 'aria-label="Anda di sini"' in result and 'aria-label="breadcrumb"' not in result


def test_every_django_message_we_override_is_one_django_uses():
    """A msgid Django no longer uses would be translated in vain (5.2 changed one)."""
    import ast
    from pathlib import Path

    import django

    import accounts.django_messages as listed

    def strings_in(path):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }

    root = Path(django.__file__).parent
    djangos = set().union(
        *(
            strings_in(root / name)
            for name in (
                "contrib/auth/password_validation.py",
                "contrib/auth/forms.py",
                "core/validators.py",
                "forms/fields.py",
            )
        )
    )
    ours = {s for s in strings_in(Path(listed.__file__)) if " " in s or s[:1].isupper()}
    ours.discard(listed.__doc__)
    assert len(ours) >= 20
    assert ours - djangos == set()


@pytest.mark.django_db
def test_the_english_login_names_the_roster_page_in_english(world, client):
    from tests.factories import respondent_account_for

    account = respondent_account_for(world.a)
    account.set_unusable_password()
    account.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/login/", {"username": account.username, "password": "x"})
    text = page.content.decode()
    assert "has no password yet" in text and "Respondent information page" in text
    assert "Maklumat Responden" not in text
