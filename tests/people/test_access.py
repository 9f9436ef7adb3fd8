"""The one access rule (core.people.access): units, programmes, "at or below"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.people import access
from core.people.units import unit_resolve
from tests.factories import SchoolFactory, UserFactory, grant, officer, person


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_a_person_with_no_role_sees_nothing_and_may_do_nothing(world):
    nobody = UserFactory()
    assert not access.schools_for(nobody).exists()
    assert not access.can(nobody, "schools.view")
    with pytest.raises(PermissionDenied):
        access.require(nobody, "schools.list")


def test_a_person_with_roles_in_two_schools_sees_both(world):
    teacher = person(roles=[("ict_coordinator", world.a), ("pibk_coordinator", world.c)])
    assert codes(access.schools_for(teacher)) == {"BBA0001", "ABA0003"}
    assert access.can(teacher, "ssqs.roster.manage", world.a)
    assert not access.can(teacher, "ssqs.roster.manage", world.c)
    assert access.can(teacher, "pibk.enter", world.c)
    assert not access.can(teacher, "pibk.enter", world.a)
    assert codes(access.schools_for(teacher, programme="pibk")) == {"ABA0003"}
    assert access.school_codes(teacher, "desktop.view") == ["ABA0003", "BBA0001"]


def test_a_role_in_a_district_covers_its_schools_only(world):
    ppd = officer("district", world.d1)
    assert codes(access.schools_for(ppd)) == {"BBA0001"}
    assert codes(access.districts_for(ppd)) == {"SGR-PETALING"}
    assert not access.states_for(ppd).exists()
    assert access.can(ppd, "pibk.review", world.a)
    assert not access.can(ppd, "pibk.review", world.b)  # same state, another district
    with pytest.raises(Http404):
        access.require(ppd, "pibk.review", world.b)


def test_a_state_contains_its_districts_and_their_schools(world):
    jpn = officer("state", world.s1)
    assert codes(access.schools_for(jpn)) == {"BBA0001", "BBB0002"}
    assert codes(access.districts_for(jpn)) == {"SGR-PETALING", "SGR-KLANG"}
    assert access.can(jpn, "monitoring.view", world.d2)
    assert not access.can(jpn, "monitoring.view", world.d3)


def test_an_officer_for_one_programme_sees_only_that_programme(world):
    ppd = officer("district", world.d1, programmes=["pibk"])
    assert access.can(ppd, "pibk.view", world.a)
    assert not access.can(ppd, "monitoring.view", world.d1)
    assert not access.can(ppd, "ssqs.results.view", world.a)
    assert codes(access.schools_for(ppd, programme="ssqs")) == set()
    assert codes(access.schools_for(ppd, programme="pibk")) == {"BBA0001"}
    with pytest.raises(PermissionDenied):  # not SSQS anywhere: refused, not "not found"
        access.require(ppd, "ssqs.results.view", world.a)


def test_an_officer_for_ssqs_in_a_district_and_pibk_in_a_state(world):
    # "an officer follows SSQS for a district and PASR for a state" (domain.md 0)
    both = person(roles=[("officer", world.d1, ["ssqs"]), ("officer", world.s1, ["pibk"])])
    assert codes(access.schools_for(both, act="monitoring.view")) == {"BBA0001"}
    assert codes(access.schools_for(both, act="pibk.view")) == {"BBA0001", "BBB0002"}
    assert access.home_node(both, "pibk.view") == ("state", "SGR")
    assert access.home_node(both, "monitoring.view") == ("district", "SGR-PETALING")


def test_a_school_outside_scope_answers_like_a_missing_one(world):
    head = person(roles=[("head", world.a)])
    assert access.get_school(head, "bba0001", "pibk.view") == world.a
    for code in ("BBB0002", "ZZZ9999", "BBA\x000001"):
        with pytest.raises(Http404):
            access.get_school(head, code, "pibk.view")
    with pytest.raises(PermissionDenied):
        access.get_school(head, "BBA0001", "pibk.enter")


def test_superusers_are_administrators_and_respondent_accounts_only_answer(world):
    root = UserFactory(is_superuser=True)
    assert access.can(root, "officers.manage") and access.sees_nation(root)
    respondent = world.users["resp_a"]
    assert access.can(respondent, "ssqs.answer", world.a)
    assert not access.can(respondent, "ssqs.answer", world.b)
    assert not access.can(respondent, "ssqs.results.view")


def test_an_inactive_person_has_no_rights(world):
    ppd = officer("district", world.d1)
    ppd.is_active = False
    assert access.grants_of(ppd) == []


def test_grants_are_read_once_per_user_object(world):
    teacher = person(roles=[("head", world.a), ("teacher", world.a)])
    access.forget(teacher)
    with CaptureQueriesContext(connection) as queries:
        access.grants_of(teacher)
        access.can(teacher, "pibk.view", world.a)
        access.schools_for(teacher)
        access.school_codes(teacher, "desktop.view")
    assert len(queries) == 1


def test_the_unit_codes_resolve_in_any_case(world):
    assert unit_resolve("kpm").key == ("nation", "KPM")
    assert unit_resolve("jpk").key == ("skills_body", "JPK")
    assert unit_resolve("sgr").key == ("state", "SGR")
    assert unit_resolve("sgr-petaling").key == ("district", "SGR-PETALING")
    school = unit_resolve("bba0001")
    assert school.key == ("school", "BBA0001")
    assert ("district", "SGR-PETALING") in school.within and ("state", "SGR") in school.within


def _many_districts(world, n):
    from tests.factories import DistrictFactory

    return [DistrictFactory(state=world.s2) for _ in range(n)]


@pytest.mark.parametrize(
    "url",
    ["/sekolah/", "/pemantauan/district/SGR-PETALING/", "/pibk/pemantauan/district/SGR-PETALING/"],
)
def test_access_adds_a_constant_number_of_queries_per_page(world, real_cycle, login, url):
    """A district officer with 1 grant or with 5 grants: the same number of queries."""
    one = officer("district", world.d1, username="ppd.one")
    five = officer("district", world.d1, username="ppd.five")
    for district in _many_districts(world, 4):
        SchoolFactory(district=district)
        grant(five, "officer", district)
    counts = []
    for user in (one, five):
        client = login(user)
        client.get(url)  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
