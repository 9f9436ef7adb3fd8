"""Security issue 11 (PIBK): hostile numbers, years, files and NUL bytes get a clear message.

Each test reproduces one finding of the fuzzing: before the fix each answered
500 (or froze the national roll-up, or took a minute and a gigabyte to refuse).
"""

import logging

import pytest
from django.db import IntegrityError, connection, transaction

from pibk import rules
from pibk.models import (
    Activity,
    PibkRollUp,
    PibkYear,
    SchoolYear,
)
from pibk.services import rollups_rebuild, school_year_ensure

pytestmark = pytest.mark.django_db
INT_MAX = 2**31 - 1


@pytest.fixture
def login(login):
    """Log in with the pages in English, which the messages below are asserted in."""

    def _login(user):
        client = login(user)
        client.cookies["ssqs_language"] = "en"
        return client

    return _login


def _counts(**values):
    return {"families": "", "volunteers": "", **values}


# -- item 1: numbers a user types ---------------------------------------------------------


def test_a_family_count_over_the_limit_is_refused(world, login, day):
    client = login(world.users["coord_a"])
    response = client.post("/pibk/bilangan/", _counts(families=str(INT_MAX), volunteers="1"))
    assert response.status_code == 200
    assert "20,000" in response.content.decode() or "20000" in response.content.decode()
    row = SchoolYear.objects.get(school=world.a, year=2026)
    assert (row.families, row.volunteers) == (0, 0)


def test_a_family_count_beyond_a_database_integer_is_refused(world, login, day):
    client = login(world.users["coord_a"])
    response = client.post("/pibk/bilangan/", _counts(families=str(INT_MAX + 1)))
    assert response.status_code == 200
    assert SchoolYear.objects.get(school=world.a, year=2026).families == 0


def test_a_23_digit_count_is_refused_with_a_message_naming_the_field(world, login, day):
    client = login(world.users["coord_a"])
    huge = "9" * 23
    response = client.post(
        "/pibk/bilangan/",
        _counts(families=huge, volunteers=huge, held_on_E="2026-11-02", expected_E=huge,
                attended_E=huge),
    )  # fmt: skip
    content = response.content.decode()
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"families", "volunteers", "expected_E", "attended_E"}
    assert errors["families"] == [
        "Families in the school: at most 20000 (a school has no more families)."
    ]
    assert errors["expected_E"][0].startswith("Sports day (Hari Sukan), Expected: at most")
    assert "at most 20000" in content
    assert Activity.objects.get(school_year__school=world.a, code="E").expected == 0
    assert SchoolYear.objects.get(school=world.a, year=2026).families == 0


def test_counts_within_the_limits_are_saved(world, login, day):
    client = login(world.users["coord_a"])
    response = client.post(
        "/pibk/bilangan/",
        _counts(families=str(rules.MAX_FAMILIES), volunteers="5", held_on_E="2026-11-02",
                expected_E=str(rules.MAX_FAMILIES), attended_E="10"),
    )  # fmt: skip
    assert response.status_code == 302
    row = SchoolYear.objects.get(school=world.a, year=2026)
    assert (row.families, row.volunteers) == (rules.MAX_FAMILIES, 5)


@pytest.mark.parametrize(
    "model, field", [(SchoolYear, "families"), (Activity, "expected")]
)  # fmt: skip
def test_the_database_refuses_a_count_over_the_limit(world, model, field):
    school_year = school_year_ensure(school=world.a, year=2026)
    rows = model.objects.filter(pk=school_year.pk) if model is SchoolYear else (
        model.objects.filter(school_year=school_year, code="C")
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{field: rules.MAX_FAMILIES + 1})


def test_a_national_total_beyond_two_to_the_31_is_stored(world):
    """The roll-up columns are 64-bit: a sum over many schools cannot overflow them."""
    from django.utils import timezone

    from ssqs_portal.hierarchy import rollups_store

    total = 3 * 2**31
    row = PibkRollUp(year=2026, level="national", code="KPM", name="KPM", families=total,
                     volunteers=total - 1, computed_at=timezone.now())  # fmt: skip
    rollups_store(PibkRollUp, [row], year=2026)
    assert PibkRollUp.objects.get(year=2026, level="national").families == total


def _without_check_constraints(table, names):
    """Let the test write rows the check constraints refuse (as data from before them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # dropped inside the test's transaction only
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks, so ALTER may run
            for name in names:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")


def _restore_check_constraints():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def test_one_schools_absurd_counts_never_stop_the_national_roll_up(world, day, caplog):
    """Defence in depth: a row that slipped past the limits is left out and logged."""
    good = school_year_ensure(school=world.b, year=2026)
    SchoolYear.objects.filter(pk=good.pk).update(families=400, volunteers=100)
    odd = school_year_ensure(school=world.a, year=2026)
    other = school_year_ensure(school=world.c, year=2026)
    _without_check_constraints(
        "pibk_schoolyear", ["pibk_families_within_limit", "pibk_volunteers_within_families"]
    )
    try:
        SchoolYear.objects.filter(pk__in=[odd.pk, other.pk]).update(
            families=INT_MAX, volunteers=INT_MAX
        )
        with caplog.at_level(logging.WARNING, logger="pibk.services"):
            rollups_rebuild(year=2026)
    finally:
        _restore_check_constraints()
    nation = PibkRollUp.objects.get(year=2026, level="national")
    assert (nation.families, nation.volunteers, str(nation.kpi2)) == (400, 100, "25.00")
    assert "BBA0001" in caplog.text and "left out" in caplog.text


@pytest.mark.django_db(transaction=True)  # the request's transaction commits, as in production
def test_a_failing_roll_up_does_not_turn_a_save_into_an_error(world, login, day, monkeypatch):
    """The save is committed; a roll-up that fails afterwards is logged, not a 500."""

    def broken(**kwargs):
        raise RuntimeError("roll-up failed")

    monkeypatch.setattr("pibk.services.rollups_rebuild", broken)
    client = login(world.users["coord_a"])
    response = client.post("/pibk/bilangan/", _counts(families="30", volunteers="3"))
    assert response.status_code == 302
    assert SchoolYear.objects.get(school=world.a, year=2026).families == 30


@pytest.mark.parametrize("goal_year", ["9" * 23, "1900", "3000"])
def test_a_goal_year_out_of_range_is_refused(world, login, day, goal_year):
    client = login(world.users["national"])
    response = client.post(
        "/pibk/sasaran/",
        {"kpi1_target": "85", "kpi2_target": "25", "kpi2_goal": "60", "kpi2_goal_year": goal_year},
    )
    assert response.status_code == 200
    assert "kpi2_goal_year" in response.context["form"].errors
    assert not PibkYear.objects.filter(kpi2_goal_year=int(goal_year)).exists()
