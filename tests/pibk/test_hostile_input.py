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
    WindowEvent,
    WindowStatus,
)
from pibk.services import register_import, rollups_rebuild, school_year_ensure
from tests.pibk.conftest import csv_bytes

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


# -- item 7: the year and the searches ---------------------------------------------------

PAGES_WITH_A_YEAR = [
    ("coord_a", "/pibk/sekolah/BBA0001/"),
    ("national", "/pibk/sekolah/BBA0001/"),
    ("national", "/pibk/pemantauan/national/KPM/"),
    ("national", "/pibk/pemantauan/national/KPM/sekolah/"),
    ("national", "/pibk/sasaran/"),
]
# The coordinator's data entry is always this year's and reads no ?year=.
PAGES_OF_THIS_YEAR = ["/pibk/daftar/", "/pibk/murid/", "/pibk/aktiviti/E/", "/pibk/sukarelawan/",
                      "/pibk/bilangan/"]  # fmt: skip
ODD_YEARS = ["²", "٢٠٢٦", "2026\x00", "9" * 30, "-1", "2026.0"]


@pytest.mark.parametrize("year", ODD_YEARS)
@pytest.mark.parametrize("who, url", PAGES_WITH_A_YEAR)
def test_a_year_that_is_not_ascii_digits_is_ignored_with_a_message(world, login, day, who, url,
                                                                  year):  # fmt: skip
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users[who])
    response = client.get(url, {"year": year})
    assert response.status_code == 200
    assert "Ignored the year" in response.content.decode()
    assert response.context["year"] == 2026


@pytest.mark.parametrize("url", PAGES_OF_THIS_YEAR)
def test_an_odd_year_on_a_data_entry_page_changes_nothing(world, login, day, url):
    client = login(world.users["coord_a"])
    for year in ODD_YEARS:
        assert client.get(url, {"year": year}).status_code == 200


def test_a_pdf_report_with_an_odd_year_is_this_years(world, login, day):
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users["coord_a"])
    response = client.get("/pibk/sekolah/BBA0001/laporan.pdf", {"year": "²"})
    assert response.status_code == 200 and "2026" in response["Content-Disposition"]


def test_a_unicode_digit_year_on_the_review_post_is_ignored(world, login, day):
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users["officer_d1"])
    response = client.post(
        "/pibk/sekolah/BBA0001/semak/?year=²",
        {"window": "K1-NOV", "decision": "returned", "comment": "Semak semula"},
    )
    assert response.status_code == 302
    row = WindowStatus.objects.get(school_year__school=world.a, window="K1-NOV")
    assert (row.status, row.comment) == ("returned", "Semak semula")


def test_a_nul_in_the_return_comment_is_refused_with_a_message(world, login, day):
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users["officer_d1"])
    response = client.post(
        "/pibk/sekolah/BBA0001/semak/",
        {"window": "K1-NOV", "decision": "returned", "comment": "bad\x00comment"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert not WindowEvent.objects.exists()
    assert WindowStatus.objects.get(school_year__school=world.a, window="K1-NOV").status == ""


@pytest.mark.parametrize(
    "url, listed",
    [("/pibk/aktiviti/E/", "Aminah Ali"), ("/pibk/sukarelawan/", "Aminah Ali"),
     ("/pibk/murid/", "Irfan")],
)  # fmt: skip
def test_a_nul_in_a_list_search_is_ignored_with_a_message(world, login, day, url, listed):
    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(school_year=school_year, data=csv_bytes(), filename="d.csv")
    client = login(world.users["coord_a"])
    response = client.get(url, {"q": "Ami\x00nah"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Search ignored" in content and listed in content


def test_a_nul_in_a_list_search_with_htmx_answers_the_list(world, login, day):
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users["coord_a"])
    response = client.get(
        "/pibk/sukarelawan/", {"q": "\x00"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="family-list"
    )
    assert response.status_code == 200


def test_a_nul_in_the_school_table_search_is_ignored_with_a_message(world, login, day):
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users["national"])
    response = client.get("/pibk/pemantauan/national/KPM/sekolah/", {"q": "SK\x00"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ignored filters" in content and "BBA0001" in content


@pytest.mark.parametrize(
    "who, url",
    [("coord_a", "/pibk/sekolah/BBA%00/"), ("coord_a", "/pibk/sekolah/BBA0001%00/laporan.pdf"),
     ("coord_a", "/pibk/aktiviti/E%00/"), ("national", "/pibk/pemantauan/state/SGR%00/"),
     ("national", "/pibk/pemantauan/district/SGR%00/sekolah/")],
)  # fmt: skip
def test_a_nul_in_an_address_is_not_found(world, login, day, who, url):
    school_year_ensure(school=world.a, year=2026)
    assert login(world.users[who]).get(url).status_code == 404


def test_a_nul_in_an_address_of_a_post_is_not_found(world, login, day):
    school_year_ensure(school=world.a, year=2026)
    client = login(world.users["coord_a"])
    assert client.post("/pibk/aktiviti/E%00/tarikh/", {"held_on": ""}).status_code == 404
    client = login(world.users["officer_d1"])
    response = client.post("/pibk/sekolah/BBA0001%00/semak/", {"window": "K1-NOV"})
    assert response.status_code == 404
