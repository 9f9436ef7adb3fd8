"""A trainee gets a login (issue 16, item 7): from the intake's list, a slip, first password.

The centre's administrator gives an enrolled trainee an account (a random username, never
the identity number; a random first password shown once on a printable slip, changed at
first login), or a new first password when they have one; logging in leads the trainee
to their own page.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from skills.services import accounts

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee


@pytest.fixture
def enrolled(skills_world):
    sw = skills_world
    sw.intake = intake_of(sw)
    sw.person = trainee("Nur Aisyah binti Kamal", id_number="020202105678")
    sw.enrolment = enrol(sw, sw.intake, sw.person, ALL_COMPETENT)
    return sw


def _url(sw, enrolment=None):
    return reverse("skills:trainee_account", kwargs={
        "code": sw.intake.centre.code, "pk": sw.intake.pk,
        "enrolment": (enrolment or sw.enrolment).pk})  # fmt: skip


def _slip(response):
    page = response.content.decode()
    username = re.search(r'data-username="([^"]+)"', page).group(1)
    password = re.search(r'data-first-password="([^"]+)"', page).group(1)
    return username, password


# --- the rule of the username and the first password ---
@pytest.mark.parametrize(
    ("draws", "expected"),
    [
        ([0] * 8, "pelatih-00000000"),
        ([31, 30, 10, 11, 0, 1, 2, 3], "pelatih-zyab0123"),
    ],
)
def test_a_username_is_pelatih_and_eight_drawn_characters(db, draws, expected):
    it = iter(draws)
    assert accounts.new_username(lambda n: next(it)) == expected


def test_a_first_password_is_three_groups_of_four_unambiguous_characters():
    password = accounts.new_password()
    assert re.fullmatch(r"[346789A-HJKMNP-RT-Y]{4}(-[346789A-HJKMNP-RT-Y]{4}){2}", password)
    assert not set("015OILSZ2") & set(password)
    assert len({accounts.new_password() for _ in range(50)}) == 50


# --- giving a login ---
def test_the_centre_admin_gives_a_login_and_the_slip_shows_it_once(enrolled, login):
    sw = enrolled
    client = login(sw.users["centre_admin_a"])
    response = client.post(_url(sw))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    username, password = _slip(response)
    sw.person.refresh_from_db()
    user = sw.person.user
    assert user is not None and user.username == username
    assert re.fullmatch(r"pelatih-[0-9a-z]{8}", username)
    assert "020202105678" not in username and "5678" not in username
    assert user.check_password(password) and user.must_change_password
    assert user.first_name == "Nur Aisyah binti Kamal" and not user.grants.exists()
    page = response.content.decode()
    assert 'data-slip="new"' in page and "020202105678" not in page  # masked on the slip
    # Nothing keeps the password in clear: the intake's page shows only that a login exists.
    page = client.get(reverse("skills:intake", args=[sw.intake.centre.code, sw.intake.pk]))
    assert password not in page.content.decode()
    assert f'data-login="{sw.enrolment.pk}" data-has-login="1"' in page.content.decode()


def test_logging_in_with_the_slip_leads_to_the_trainees_own_page(enrolled, client):
    sw = enrolled
    client.force_login(sw.users["centre_admin_a"])
    username, password = _slip(client.post(_url(sw)))
    client.logout()
    # Any capitals in the username: it is looked up as the portal's logins are.
    response = client.post(reverse("accounts:login"),
                           {"username": username.upper(), "password": password})  # fmt: skip
    assert response.status_code == 302
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Kelapa-Sawit-2026!",
         "new_password2": "Kelapa-Sawit-2026!"},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("skills:me")
    page = response.content.decode()
    assert "Nur Aisyah binti Kamal" in page and 'data-id-shown="' in page
    user = get_user_model().objects.get(username=username)
    assert not user.must_change_password and not user.check_password(password)


def test_a_trainee_with_a_login_gets_a_new_first_password_not_a_second_account(enrolled, login):
    sw = enrolled
    client = login(sw.users["centre_admin_a"])
    username, first = _slip(client.post(_url(sw)))
    users = get_user_model().objects.count()
    user = get_user_model().objects.get(username=username)
    user.set_password("Chosen-By-Her-99")
    user.must_change_password = False
    user.save()
    response = client.post(_url(sw))
    again, second = _slip(response)
    assert 'data-slip="reset"' in response.content.decode()
    assert again == username and second != first
    assert get_user_model().objects.count() == users
    user.refresh_from_db()
    assert user.check_password(second) and not user.check_password("Chosen-By-Her-99")
    assert user.must_change_password


def test_a_login_that_is_a_working_account_is_not_the_centres_to_reset(enrolled, login):
    """The trainee's login holds a role (an assessor who trains): only an administrator."""
    from tests.factories import person

    sw = enrolled
    staff = person("pp.trainee", roles=[("assessor", sw.centre_b)])
    staff.set_password("Own-Password-77")
    staff.save()
    sw.person.user = staff
    sw.person.save()
    client = login(sw.users["centre_admin_a"])
    client.cookies["ssqs_language"] = "en"
    response = client.post(_url(sw), follow=True)
    assert "only an administrator can reset" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("Own-Password-77") and not staff.must_change_password


def test_only_this_intakes_enrolment(enrolled, login):
    sw = enrolled
    other = intake_of(sw)
    elsewhere = enrol(sw, other, trainee(), ALL_COMPETENT)
    response = login(sw.users["centre_admin_a"]).post(_url(sw, elsewhere))
    assert response.status_code == 404
    elsewhere.trainee.refresh_from_db()
    assert elsewhere.trainee.user_id is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("centre_admin_b", 404),  # another centre's administrator: as if it did not exist
        ("assessor_ab", 403),  # an assessor of this centre may not
        ("verifier", 403),
        ("cert_officer", 403),
        ("trainee", 403),
    ],
)
def test_nobody_else_gives_a_login(enrolled, login, persona, status):
    sw = enrolled
    users = get_user_model().objects.count()
    response = login(sw.users[persona]).post(_url(sw))
    assert response.status_code == status
    sw.person.refresh_from_db()
    assert sw.person.user_id is None and get_user_model().objects.count() == users


def test_a_get_gives_nothing(enrolled, login):
    sw = enrolled
    response = login(sw.users["centre_admin_a"]).get(_url(sw))
    assert response.status_code == 405
    sw.person.refresh_from_db()
    assert sw.person.user_id is None


def test_the_intake_page_offers_it_to_the_centre_admin_only(
    enrolled, login, django_assert_max_num_queries
):
    sw = enrolled
    url = reverse("skills:intake", args=[sw.intake.centre.code, sw.intake.pk])
    client = login(sw.users["centre_admin_a"])
    client.get(url)
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert 'data-section="logins"' in page and _url(sw) in page
    assert f'data-login="{sw.enrolment.pk}" data-has-login="0"' in page
    page = login(sw.users["assessor_ab"]).get(url).content.decode()
    assert 'data-section="logins"' not in page and _url(sw) not in page
