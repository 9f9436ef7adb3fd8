"""The school's staff page: its head or coordinator makes and manages named accounts."""

import pytest
from django.contrib.auth import get_user_model

from core.people.models import RoleGrant
from tests.factories import person

URL = "/mydesktop/staf/"
PASSWORD = "Setiausaha-2026!"


def new_staff(**overrides):
    data = {
        "username": "cikgu.baru",
        "first_name": "Siti",
        "last_name": "Aminah",
        "email": "",
        "roles": ["exam_secretary", "teacher"],
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return data | overrides


def roles_of(username, code="BBA0001"):
    return set(
        RoleGrant.objects.filter(
            user__username=username, unit_kind="school", unit_code=code
        ).values_list("role", flat=True)
    )


@pytest.mark.parametrize("persona", ["coord_a", "head_a", "teacher_a"])
def test_the_head_or_coordinator_creates_a_staff_account(world, login, persona):
    client = login(world.users[persona])
    response = client.post(URL, new_staff())
    assert response.status_code == 302 and response.url == URL
    user = get_user_model().objects.get(username="cikgu.baru")
    assert user.must_change_password and user.check_password(PASSWORD)
    assert user.role == "person" and user.get_full_name() == "Siti Aminah"
    assert roles_of("cikgu.baru") == {"exam_secretary", "teacher"}
    grant = RoleGrant.objects.filter(user=user).first()
    assert grant.granted_by == world.users[persona]
    page = client.get(URL).content.decode()
    assert 'data-staff="cikgu.baru" data-roles="exam_secretary teacher"' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("exam_sec_a", 403), ("resp_a", 403), ("officer_d1", 403), ("admin", 403), ("anonymous", 302)],
)
def test_nobody_else_creates_staff(world, login, persona, status):
    response = login(world.users[persona]).post(URL, new_staff())
    assert response.status_code == status
    assert not get_user_model().objects.filter(username="cikgu.baru").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "BBB0002"}, "looks like a school code"),
        ({"username": "bba0001r"}, "looks like a school code"),
        ({"username": "GURU.BESAR"}, "is taken"),  # head_a's, in another case
        ({"username": "bad name!"}, "Enter a valid username"),
        ({"roles": []}, "This field is required"),
        ({"roles": ["officer"]}, "Select a valid choice"),
        ({"password2": "Lain-2026-xyz"}, "not the same"),
        ({"password1": "cikgu.baru1", "password2": "cikgu.baru1"}, "username"),
    ],
)
def test_a_bad_form_says_why_and_saves_nothing(world, login, overrides, message):
    before = get_user_model().objects.count(), RoleGrant.objects.count()
    client = login(world.users["head_a"])
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    response = client.post(URL, new_staff(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (get_user_model().objects.count(), RoleGrant.objects.count()) == before


def test_the_list_shows_the_schools_staff_only(world, login):
    person("cikgu.bravo", roles=[("teacher", world.b)])
    page = login(world.users["head_a"]).get(URL).content.decode()
    assert 'data-staff="guru.besar"' in page and 'data-staff="cikgu.aminah"' in page
    assert 'data-staff="cikgu.bravo"' not in page
    assert 'data-staff="BBA0001"' not in page  # the shared code login is not staff


def test_a_role_is_added_and_removed(world, login):
    client = login(world.users["head_a"])
    member = world.users["exam_sec_a"]
    url = f"/mydesktop/staf/{member.pk}/peranan/"
    client.post(url, {"role": "subject_head", "action": "add"})
    assert roles_of(member.username) == {"exam_secretary", "subject_head"}
    client.post(url, {"role": "exam_secretary", "action": "remove"})
    assert roles_of(member.username) == {"subject_head"}
    response = client.post(url, {"role": "officer", "action": "add"})
    assert response.status_code == 302 and roles_of(member.username) == {"subject_head"}


def test_nobody_takes_away_their_own_role(world, login):
    head = world.users["head_a"]
    login(head).post(f"/mydesktop/staf/{head.pk}/peranan/", {"role": "head", "action": "remove"})
    assert roles_of(head.username) == {"head"}


def test_staff_of_another_school_is_not_found(world, login):
    other = person("cikgu.bravo", roles=[("teacher", world.b)])
    client = login(world.users["head_a"])
    response = client.post(
        f"/mydesktop/staf/{other.pk}/peranan/", {"role": "head", "action": "add"}
    )
    assert response.status_code == 404 and roles_of("cikgu.bravo", "BBB0002") == {"teacher"}
    response = client.post(
        f"/mydesktop/staf/{other.pk}/kata-laluan/",
        {"password1": "Baru-Sahaja-2026", "password2": "Baru-Sahaja-2026"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.check_password("Baru-Sahaja-2026")


def test_a_password_reset_forces_a_change_at_next_login(world, login):
    member = world.users["exam_sec_a"]
    response = login(world.users["coord_a"]).post(
        f"/mydesktop/staf/{member.pk}/kata-laluan/",
        {"password1": "Baru-Sahaja-2026", "password2": "Baru-Sahaja-2026"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Baru-Sahaja-2026") and member.must_change_password


def test_a_school_cannot_reset_the_password_of_someone_with_rights_elsewhere(world, login):
    both = person("p.ganda", roles=[("teacher", world.a), ("officer", world.d2)])
    login(world.users["head_a"]).post(
        f"/mydesktop/staf/{both.pk}/kata-laluan/",
        {"password1": "Baru-Sahaja-2026", "password2": "Baru-Sahaja-2026"},
    )
    both.refresh_from_db()
    assert not both.check_password("Baru-Sahaja-2026") and not both.must_change_password


def test_mydesktop_links_the_staff_page_for_those_who_manage_staff(world, login):
    assert 'data-card="staff"' in login(world.users["head_a"]).get("/mydesktop/").content.decode()
    page = login(world.users["exam_sec_a"]).get("/mydesktop/").content.decode()
    assert 'data-card="staff"' not in page


def test_mydesktop_shows_every_card_a_person_with_several_roles_may_use(world, login):
    page = login(world.users["teacher_a"]).get("/mydesktop/").content.decode()
    for card in ("profile", "roster", "result", "pibk", "staff"):
        assert f'data-card="{card}"' in page, card
    head = login(world.users["head_a"]).get("/mydesktop/").content.decode()
    assert 'data-card="result"' in head and 'data-card="pibk"' in head
    assert 'data-card="roster"' not in head


def test_a_person_in_two_schools_chooses_the_school_on_mydesktop(world, login):
    both = person("cikgu.dua", roles=[("ict_coordinator", world.a), ("head", world.c)])
    client = login(both)
    assert 'data-school="ABA0003"' in client.get("/mydesktop/").content.decode()
    client.post("/mydesktop/", {"school": "BBA0001"})
    assert 'data-school="BBA0001"' in client.get("/mydesktop/").content.decode()
    client.post("/mydesktop/", {"school": "BBB0002"})  # not theirs: ignored
    assert 'data-school="BBA0001"' in client.get("/mydesktop/").content.decode()
