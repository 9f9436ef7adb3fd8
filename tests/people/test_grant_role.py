"""manage.py grant_role USERNAME ROLE UNIT [--password P] (interfaces.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.people.models import RoleGrant

PASSWORD = "Guru-Besar-2026!"


def grants(username):
    return set(
        RoleGrant.objects.filter(user__username=username).values_list(
            "role", "unit_kind", "unit_code"
        )
    )


def test_it_creates_the_account_with_a_first_password_to_change(world, capsys):
    call_command("grant_role", "gb.alfa", "head", "bba0001", "--password", PASSWORD)
    user = get_user_model().objects.get(username="gb.alfa")
    assert user.check_password(PASSWORD) and user.must_change_password
    assert user.role == "person" and user.school is None
    assert grants("gb.alfa") == {("head", "school", "BBA0001")}
    assert "head in BBA0001 given" in capsys.readouterr().out


def test_it_is_idempotent_and_keeps_an_existing_password(world, capsys):
    call_command("grant_role", "gb.alfa", "head", "BBA0001", "--password", PASSWORD)
    user = get_user_model().objects.get(username="gb.alfa")
    user.set_password("Dipilih-Sendiri-99")
    user.must_change_password = False
    user.save()
    call_command("grant_role", "GB.ALFA", "head", "BBA0001", "--password", "Lain-Lagi-2026!")
    user.refresh_from_db()
    assert user.check_password("Dipilih-Sendiri-99") and not user.must_change_password
    assert RoleGrant.objects.filter(user=user).count() == 1
    assert "already held" in capsys.readouterr().out


def test_a_person_gets_roles_in_several_units(world):
    call_command("grant_role", "p.ali", "officer", "sgr-petaling", "--password", PASSWORD)
    call_command("grant_role", "p.ali", "officer", "PRK")
    call_command("grant_role", "p.ali", "admin", "KPM")
    assert grants("p.ali") == {
        ("officer", "district", "SGR-PETALING"),
        ("officer", "state", "PRK"),
        ("admin", "nation", "KPM"),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x.y", "headmaster", "BBA0001", "--password", PASSWORD], "Unknown role 'headmaster'"),
        (["x.y", "head", "NOWHERE", "--password", PASSWORD], "No unit has the code 'NOWHERE'"),
        (["x.y", "officer", "BBA0001", "--password", PASSWORD], "in a unit of kind school"),
        (["x.y", "head", "SGR", "--password", PASSWORD], "cannot be given in a unit of kind state"),
        (["x.y", "head", "BBA0001"], "give --password"),
        (["x.y", "assessor", "JPK", "--password", PASSWORD], "of kind skills_body"),
        (["x.y", "head", "BBA0001", "--password", "123"], "too short"),
        (["BBA0002R", "head", "BBA0001", "--password", PASSWORD], "looks like a school code"),
    ],
)  # fmt: skip
def test_it_refuses_clearly_and_saves_nothing(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", *args)
    assert not get_user_model().objects.filter(username__iexact=args[0]).exists()
    assert not RoleGrant.objects.filter(user__username__iexact=args[0]).exists()


def test_a_respondent_account_cannot_be_given_a_role(world):
    with pytest.raises(CommandError, match="respondent account"):
        call_command("grant_role", "BBA0001R", "head", "BBA0001")
    assert not RoleGrant.objects.filter(user=world.users["resp_a"]).exists()


def test_a_skills_centre_is_a_unit_once_the_skills_app_has_it(world):
    from core.people.units import CENTRE, SKILLS_BODY, centre_resolve, unit_resolve
    from skills.models import Centre

    assert centre_resolve("PB001") is None
    Centre.objects.create(code="PB001", name="Pusat Latihan Alfa")
    unit = unit_resolve("pb001")
    assert (unit.kind, unit.code) == (CENTRE, "PB001")
    assert (SKILLS_BODY, "JPK") in unit.within
