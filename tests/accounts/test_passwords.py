"""Default and weak passwords (issue 11, item 3)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.validators import NotBuiltFromUsernameValidator
from tests.factories import PASSWORD, coordinator_for
from tests.schools.test_import import GOOD, SMALL, csv_text, write


def post_login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_an_imported_respondent_account_cannot_log_in_with_the_initial_password(
    tmp_path, client, capsys
):
    call_command(
        "import_schools", write(tmp_path, csv_text(GOOD, SMALL)), initial_password="Awal-12345"
    )
    out = capsys.readouterr().out
    respondent = get_user_model().objects.get(username="BBA5008R")
    assert not respondent.has_usable_password()
    assert not respondent.check_password("Awal-12345")
    response = post_login(client, "BBA5008R", "Awal-12345")
    assert response.status_code == 200
    assert "belum mempunyai kata laluan" in response.content.decode()
    assert "respondent accounts (code + R) cannot log in" in out
    # The coordinator's account still starts with the initial password, to be changed.
    coordinator = get_user_model().objects.get(username="BBA5008")
    assert coordinator.check_password("Awal-12345") and coordinator.must_change_password


def test_the_roster_says_respondents_cannot_log_in_until_the_password_is_set(
    world, real_cycle, login
):
    account = world.users["resp_a"]
    account.set_unusable_password()
    account.save()
    client = login(world.users["coord_a"])
    content = client.get("/ssqs/responden/").content.decode()
    assert 'data-respondent-password="unset"' in content
    client.post(
        "/ssqs/responden/kata-laluan/",
        {"password1": "Responden-2026!", "password2": "Responden-2026!"},
    )
    content = client.get("/ssqs/responden/").content.decode()
    assert 'data-respondent-password="set"' in content
    assert post_login(client, "BBA0001R", "Responden-2026!").status_code == 302


def change(client, old, new):
    return client.post(
        "/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.fixture
def forced(world, client):
    user = coordinator_for(world.a)
    user.must_change_password = True
    user.save()
    post_login(client, "BBA0001", PASSWORD)
    return user


def test_a_forced_change_refuses_the_old_password_again(forced, client):
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "mesti berbeza daripada kata laluan lama" in response.content.decode()
    forced.refresh_from_db()
    assert forced.must_change_password


@pytest.mark.parametrize(
    "new", ["BBA0001BBA0001", "bba0001-2026!", "Sekolah-BBA-0001", "2026.bba0001.Baru"]
)
def test_a_forced_change_refuses_a_password_built_from_the_school_code(forced, client, new):
    response = change(client, PASSWORD, new)
    assert response.status_code == 200
    assert "kod sekolah" in response.content.decode()
    forced.refresh_from_db()
    assert forced.must_change_password and forced.check_password(PASSWORD)


def test_a_forced_change_to_a_new_own_password_still_works(forced, client):
    assert change(client, PASSWORD, "Sekolah-Baru-2026!").status_code == 302
    forced.refresh_from_db()
    assert not forced.must_change_password and forced.check_password("Sekolah-Baru-2026!")


@pytest.mark.parametrize(
    "password", ["BBA0001R-2026", "bba0001bba0001", "Murid.BBA0001.Pintar", "BBA0001-12345"]
)
def test_the_respondent_password_cannot_be_built_from_the_school_code(
    world, real_cycle, login, password
):
    client = login(world.users["coord_a"])
    response = client.post(
        "/ssqs/responden/kata-laluan/",
        {"password1": password, "password2": password},
        follow=True,
    )
    assert any("kod sekolah" in str(m) for m in response.context["messages"])
    world.users["resp_a"].refresh_from_db()
    assert world.users["resp_a"].check_password(PASSWORD)


def test_the_respondent_password_cannot_be_the_coordinators_own(world, real_cycle, login):
    account = world.users["resp_a"]
    account.set_password("Lain-Sekali-2026")
    account.save()
    client = login(world.users["coord_a"])  # whose password is PASSWORD
    response = client.post(
        "/ssqs/responden/kata-laluan/",
        {"password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert any("kata laluan penyelaras" in str(m) for m in response.context["messages"])
    account.refresh_from_db()
    assert account.check_password("Lain-Sekali-2026")


class Account:
    def __init__(self, username, school_code=None, role="coordinator"):
        self.username, self.role = username, role
        self.school = type("School", (), {"code": school_code})() if school_code else None


@pytest.mark.parametrize(
    ("account", "password", "refused"),
    [
        (Account("BBA8101", "BBA8101"), "BBA8101BBA8101", True),
        (Account("BBA8101", "BBA8101"), "bba8101", True),
        (Account("BBA8101", "BBA8101"), "Bba-8101-Baru", True),
        (Account("BBA8101R", "BBA8101", "respondent"), "BBA8101-Murid", True),
        (Account("BBA8101R", "BBA8101", "respondent"), "bba8101r2026", True),
        (Account("BBA8101", "BBA8101"), "Sekolah-Baru-2026!", False),
        (Account("BBA8101", "BBA8101"), "BBA8102-lain", False),
        (Account("kpm"), "kpmkpmkpm", True),
        (Account("kpm"), "KPM-KPM-KPM", True),
        (Account("kpm"), "Pejabat-kpm-Putrajaya", False),  # a short name inside is fine
        (Account("ppd.petaling"), "ppdpetaling2026", True),
        (Account("ppd.petaling"), "Pegawai-2026!", False),
    ],
)
def test_the_validator_refuses_passwords_built_from_the_username(account, password, refused):
    validator = NotBuiltFromUsernameValidator()
    if refused:
        with pytest.raises(ValidationError):
            validator.validate(password, account)
    else:
        validator.validate(password, account)


def test_the_validator_is_one_of_the_portals_password_validators():
    with pytest.raises(ValidationError):
        validate_password("BBA8101BBA8101", Account("BBA8101", "BBA8101"))
