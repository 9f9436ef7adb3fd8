import pytest

from ssqs_portal.scoping import districts_for_user, schools_for_user, states_for_user
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("persona", "schools", "districts", "states"),
    [
        ("coord_a", {"BBA0001"}, set(), set()),
        ("resp_a", {"BBA0001"}, set(), set()),
        ("officer_d1", {"BBA0001"}, {"SGR-PETALING"}, set()),
        ("officer_s1", {"BBA0001", "BBB0002"}, {"SGR-PETALING", "SGR-KLANG"}, {"SGR"}),
        (
            "national",
            {"BBA0001", "BBB0002", "ABA0003"},
            {"SGR-PETALING", "SGR-KLANG", "PRK-KINTA"},
            {"SGR", "PRK"},
        ),
        ("anonymous", set(), set(), set()),
    ],
)
def test_each_role_sees_its_node_and_nothing_else(world, persona, schools, districts, states):
    from django.contrib.auth.models import AnonymousUser

    user = world.users[persona] or AnonymousUser()
    assert set(schools_for_user(user).values_list("code", flat=True)) == schools
    assert set(districts_for_user(user).values_list("code", flat=True)) == districts
    assert set(states_for_user(user).values_list("code", flat=True)) == states


def test_an_inactive_or_roleless_user_sees_nothing(world):
    inactive = world.users["national"]
    inactive.is_active = False
    assert not schools_for_user(inactive).exists()
    nobody = UserFactory(username="nobody")  # a person with no role anywhere
    assert not schools_for_user(nobody).exists()
    homeless = UserFactory(username="homeless", role="person")
    homeless.role = "respondent"  # a respondent account without a school
    assert not schools_for_user(homeless).exists()
