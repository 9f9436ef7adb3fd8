"""PIBK workflows: the register, ticks, windows and locking, verification, roll-ups."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from core.review.models import ReviewEvent
from core.review.services import subject_act
from pibk import kpi, selectors
from pibk.entry import attendance_set, counts_save, volunteer_set
from pibk.family_register import register_import
from pibk.forms import CountsForm
from pibk.models import Activity, Attendance, Family, PibkRollUp, Pupil, SchoolYear
from pibk.rollups import rollups_rebuild, summaries_rebuild
from pibk.services import (
    school_year_ensure,
)
from tests.factories import SchoolFactory
from tests.pibk.conftest import DAY, PRIMARY_CSV, csv_bytes

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 15)


def window_review(*, school_year, window, decision, comment, by, confirmed=True):
    """The district's verify or return through core.review (as pibk's views do)."""
    return subject_act(programme="pibk", year=school_year.year, school=school_year.school,
                       window=window, act=decision, comment=comment, by=by,
                       confirmed=confirmed).subject  # fmt: skip


def window_reopen(*, school_year, window, until, reason, by, on=None):
    return subject_act(programme="pibk", year=school_year.year, school=school_year.school,
                       window=window, act="reopened", comment=reason, until=until, by=by,
                       on=on).subject  # fmt: skip


def counts_of(school_year):
    return {a.code: (a.expected, a.attended) for a in school_year.activities.order_by("code")}


@pytest.fixture
def sy(world):
    return school_year_ensure(school=world.a, year=2026)


def test_a_register_gives_each_activity_its_expected_families_siblings_once(sy):
    result = register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    assert result.ok and (result.families, result.pupils) == (4, 5)
    # K1 has a Year 1 and a Year 6 child: one family at A, at B, at C and D.
    assert counts_of(sy) == {
        "A": (2, 0), "B": (2, 0), "C": (4, 0), "D": (4, 0), "E": (2, 0), "F": (2, 0),
    }  # fmt: skip
    sy.refresh_from_db()
    assert (sy.families, sy.mode) == (4, "register")


def test_registers_list_year_groups_in_school_order_preschool_first(sy):
    rows = PRIMARY_CSV + "K5,Lim Siew,Wei,PRA,Pra Ceria,,\nK6,Rosli,Adam,2,2 Amanah,,\n"
    register_import(school_year=sy, data=csv_bytes(rows), filename="d.csv", on=JAN)
    assert list(selectors.register_summary(sy)) == ["PRA", "1", "2", "3", "6"]
    groups = [p.year_group for p in selectors.pupil_list(sy)]
    assert groups == ["PRA", "1", "1", "2", "3", "6", "6"]
    k1 = next(f for f in selectors.volunteer_list(sy) if f.key == "K1")
    assert [p.year_group for p in k1.pupils.all()] == ["1", "6"]


def test_a_secondary_register_expects_form_1_and_peralihan_at_a_and_form_5_at_b(world):
    school = SchoolFactory(code="BEA0009", level="secondary", district=world.d1)
    sy = school_year_ensure(school=school, year=2026)
    text = (
        "ID_KELUARGA,NAMA_MURID,TINGKATAN\n"
        "S1,A,Tingkatan 1\nS2,B,Peralihan\nS2,C,Tingkatan 5\nS3,D,T3\nS4,E,T6\n"
    )
    assert register_import(school_year=sy, data=text.encode(), filename="d.csv", on=JAN).ok
    counts = counts_of(sy)
    assert (counts["A"][0], counts["B"][0], counts["C"][0]) == (2, 1, 4)


def test_a_bad_register_changes_nothing(sy):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    before = counts_of(sy), list(Pupil.objects.values_list("name", flat=True))
    bad = PRIMARY_CSV + "K5,Someone,Ali,9,,,\n"
    result = register_import(school_year=sy, data=bad.encode(), filename="d.csv", on=JAN)
    assert not result.ok and "row 7, TAHUN" in str(result.errors[0])
    assert (counts_of(sy), list(Pupil.objects.values_list("name", flat=True))) == before


def test_a_new_register_keeps_ticks_by_family_and_drops_families_that_left(sy):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    c = sy.activities.get(code="C")
    for key in ("K1", "K3"):
        attendance_set(activity=c, family=Family.objects.get(key=key), present=True, on=JAN)
    without_k3 = "\n".join(line for line in PRIMARY_CSV.splitlines() if not line.startswith("K3"))
    result = register_import(school_year=sy, data=without_k3.encode(), filename="d.csv", on=JAN)
    assert (result.removed, result.added) == (1, 0)
    assert counts_of(sy)["C"] == (3, 1)
    assert Attendance.objects.get().family.key == "K1"


def test_a_tick_counts_the_family_once_and_dates_the_activity(sy):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    a = sy.activities.get(code="A")
    k1 = Family.objects.get(key="K1")
    attendance_set(activity=a, family=k1, present=True, on=JAN)
    activity = attendance_set(activity=a, family=k1, present=True, on=JAN)  # twice: still one
    assert (activity.attended, activity.held_on) == (1, JAN)
    activity = attendance_set(activity=a, family=k1, present=False, on=JAN)
    assert activity.attended == 0


def test_a_family_not_expected_cannot_be_ticked(sy):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    with pytest.raises(ValidationError, match="not among those expected"):
        attendance_set(
            activity=sy.activities.get(code="A"),
            family=Family.objects.get(key="K3"),  # a Year 3 pupil only
            present=True,
            on=JAN,
        )


def test_after_the_deadline_ticks_are_refused_until_the_district_reopens(sy, world):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    a, k1 = sy.activities.get(code="A"), Family.objects.get(key="K1")
    april = datetime.date(2026, 4, 2)
    with pytest.raises(ValidationError, match="deadline has passed"):
        attendance_set(activity=a, family=k1, present=True, on=april)
    district = world.users["officer_d1"]
    window_reopen(
        school_year=sy,
        window="K1-MAR",
        until=datetime.date(2026, 4, 9),
        reason="flood",
        by=district,
        on=april,
    )
    assert attendance_set(activity=a, family=k1, present=True, on=april).attended == 1
    event = ReviewEvent.objects.get()
    assert (event.act, event.until, event.by, event.comment) == (
        "reopened", datetime.date(2026, 4, 9), district, "flood",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        attendance_set(activity=a, family=k1, present=False, on=datetime.date(2026, 4, 10))


def test_verified_data_is_locked_and_a_return_needs_a_comment(sy, world):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    district = world.users["officer_d1"]
    with pytest.raises(ValidationError, match="Say why"):
        window_review(
            school_year=sy, window="K1-MAR", decision="returned", comment=" ", by=district
        )
    window_review(school_year=sy, window="K1-MAR", decision="verified", comment="", by=district)
    with pytest.raises(ValidationError, match="verified by the district"):
        attendance_set(
            activity=sy.activities.get(code="A"),
            family=Family.objects.get(key="K1"),
            present=True,
            on=JAN,
        )
    with pytest.raises(ValidationError, match="locked"):
        window_reopen(school_year=sy, window="K1-MAR", until=JAN, reason="", by=district, on=JAN)
    # A locked activity keeps its counts when the register changes.
    more = PRIMARY_CSV + "K5,Lee,Wei,1,,,\n"
    register_import(school_year=sy, data=more.encode(), filename="d.csv", on=JAN)
    assert counts_of(sy)["A"] == (2, 0) and counts_of(sy)["C"] == (5, 0)
    window_review(
        school_year=sy, window="K1-MAR", decision="returned", comment="semak", by=district
    )
    assert attendance_set(
        activity=sy.activities.get(code="A"), family=Family.objects.get(key="K1"), present=True,
        on=JAN,
    ).attended == 1  # fmt: skip


def test_volunteering_counts_a_family_once_and_kpi2_is_snapshot_at_verification(sy, world):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    k1 = Family.objects.get(key="K1")
    assert volunteer_set(school_year=sy, family=k1, volunteering=True, on=JAN) == 1
    assert volunteer_set(school_year=sy, family=k1, volunteering=True, on=JAN) == 1
    sy.refresh_from_db()
    row = window_review(
        school_year=sy, window="K2-MAY", decision="verified", comment="", by=world.users["national"]
    )
    assert row.figures == {"volunteers": 1, "families": 4}


def test_counts_only_refuses_more_attending_than_expected_and_negatives():
    form = CountsForm(
        {"held_on_A": "2026-01-12", "expected_A": "10", "attended_A": "11", "families": "-1"},
        year=2026,
    )
    assert not form.is_valid()
    assert "11 attended is more than the 10 expected" in str(form.errors["attended_A"])
    assert "families" in form.errors
    form = CountsForm({"expected_B": "5", "attended_B": "3", "families": "4", "volunteers": "5"},
                      year=2026)  # fmt: skip
    assert not form.is_valid()
    assert "give the date" in str(form.errors["held_on_B"])
    assert "more than the 4 families" in str(form.errors["volunteers"])


def test_counts_only_saves_open_windows_and_leaves_locked_ones(sy):
    form = CountsForm(
        {
            "held_on_A": "2026-01-12", "expected_A": "10", "attended_A": "9",
            "held_on_E": "2026-08-01", "expected_E": "20", "attended_E": "10",
            "families": "50", "volunteers": "10",
        },
        year=2026,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    changed = counts_save(school_year=sy, cleaned=form.cleaned_data, on=DAY)
    assert changed == ["E"]  # A's window (31 March) is closed on DAY
    sy.refresh_from_db()
    assert (sy.mode, sy.families, sy.volunteers, sy.average, sy.reaches) == (
        "counts", 50, 10, 50, False,
    )  # fmt: skip


def _fill(school, year, pairs, families=100, volunteers=20):
    sy = school_year_ensure(school=school, year=year)
    for code, (expected, attended) in zip("ABCDEF", pairs, strict=True):
        Activity.objects.filter(school_year=sy, code=code).update(
            expected=expected, attended=attended, held_on=datetime.date(year, 1, 5)
        )
    SchoolYear.objects.filter(pk=sy.pk).update(families=families, volunteers=volunteers)
    return sy


def test_rollups_match_a_direct_computation_and_leave_out_non_kpm_schools(world):
    d1_extra = SchoolFactory(code="BBA0099", district=world.d1)
    private = SchoolFactory(code="BBA0098", district=world.d1, is_kpm=False)
    _fill(world.a, 2026, [(10, 9)] * 6, 100, 30)  # 90%
    _fill(world.b, 2026, [(10, 6)] * 6, 50, 5)  # 60%
    _fill(world.c, 2026, [(10, 7), (10, 6), (10, 7), (10, 6), (10, 7), (10, 6)], 40, 4)  # 65%
    _fill(d1_extra, 2026, [(4, 1)] * 5 + [(0, 0)], 10, 1)  # 25%, F left out
    _fill(private, 2026, [(10, 10)] * 6, 1000, 1000)  # not KPM: not counted anywhere
    summaries_rebuild(year=2026)
    rollups_rebuild(year=2026)
    nation = PibkRollUp.objects.get(period=2026, level="national")
    # KPI 1: A (90) and C (65) reach; B (60) and the extra (25) do not: 2 of 4.
    assert (nation.schools, nation.reporting, nation.reaching, nation.kpi1) == (4, 4, 2, 50)
    assert nation.kpi2 == kpi.two_places(Fraction(100 * (30 + 5 + 4 + 1), 100 + 50 + 40 + 10))
    d1 = PibkRollUp.objects.get(period=2026, level="district", code=world.d1.code)
    assert (d1.schools, d1.reaching, d1.kpi1, d1.families) == (2, 1, 50, 110)
    assert d1.activity_rates["F"] == 90.0  # the extra school expected nobody at F
    assert d1.activity_rates["A"] == float(kpi.two_places(Fraction(9 + 1, 10 + 4) * 100))
    s2 = PibkRollUp.objects.get(period=2026, level="state", code=world.s2.code)
    assert (s2.reaching, s2.kpi1, s2.parent_code) == (1, 100, "KPM")


def test_rollups_are_idempotent_and_the_incremental_summary_agrees_with_the_rebuild(world, sy):
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    for key in ("K1", "K2"):
        attendance_set(activity=sy.activities.get(code="A"), family=Family.objects.get(key=key),
                       present=True, on=JAN)  # fmt: skip
    attendance_set(activity=sy.activities.get(code="C"), family=Family.objects.get(key="K1"),
                   present=True, on=JAN)  # fmt: skip
    sy.refresh_from_db()
    incremental = (sy.average, sy.counted, sy.reaches)
    assert incremental == (kpi.two_places(Fraction(100 + 25, 2)), 2, False)
    summaries_rebuild(year=2026)
    sy.refresh_from_db()
    assert (sy.average, sy.counted, sy.reaches) == incremental
    rollups_rebuild(year=2026)
    first = list(PibkRollUp.objects.order_by("level", "code").values())
    rollups_rebuild(year=2026)
    again = list(PibkRollUp.objects.order_by("level", "code").values())
    strip = [{k: v for k, v in row.items() if k not in ("id", "computed_at")} for row in first]
    assert strip == [
        {k: v for k, v in row.items() if k not in ("id", "computed_at")} for row in again
    ]


def test_targets_are_editable_and_checked(world):
    from pibk.services import targets_save

    targets = targets_save(year=2027, values={"kpi1_target": 90}, by=world.users["national"])
    assert targets.kpi1_target == 90 and targets.kpi2_target == 25
    with pytest.raises(ValidationError):
        targets_save(year=2027, values={"kpi2_goal": 120}, by=world.users["national"])


def test_marking_award_winners_after_awards_day_is_closed_is_refused(sy):
    from pibk.entry import pupil_flag_set

    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    arjun = Pupil.objects.get(name="Arjun")
    pupil_flag_set(pupil=arjun, flag="award", value=True, on=JAN)
    assert counts_of(sy)["F"] == (3, 0)
    with pytest.raises(ValidationError, match="deadline has passed"):
        pupil_flag_set(pupil=arjun, flag="award", value=False, on=datetime.date(2026, 12, 1))
    arjun.refresh_from_db()
    assert arjun.award and counts_of(sy)["F"] == (3, 0)


def test_pibk_rollups_rebuilds_every_average_and_node(world, capsys):
    from django.core.management import call_command

    _fill(world.a, 2025, [(10, 9)] * 6)
    _fill(world.c, 2025, [(10, 5)] * 6)
    call_command("pibk_rollups", year=2025)
    assert "PIBK 2025: 2 schools," in capsys.readouterr().out
    nation = PibkRollUp.objects.get(period=2025, level="national")
    assert (nation.reporting, nation.reaching, nation.kpi1) == (2, 1, 50)
    assert SchoolYear.objects.get(school=world.c, year=2025).average == 50


def test_a_volunteer_beyond_the_families_counted_is_refused_with_a_message_not_an_error(sy):
    # KPI 2 is volunteers over families; a family count that went stale (the
    # register imported after the window, then reopened) must not turn a tick
    # into a database error: nothing is saved and the school is told why.
    register_import(school_year=sy, data=csv_bytes(), filename="d.csv", on=JAN)
    SchoolYear.objects.filter(pk=sy.pk).update(families=0)
    sy.refresh_from_db()
    with pytest.raises(ValidationError, match="import the register again first"):
        volunteer_set(school_year=sy, family=Family.objects.get(key="K1"), volunteering=True,
                      on=JAN)  # fmt: skip
    from pibk.models import Volunteer

    assert not Volunteer.objects.filter(school_year=sy).exists()
