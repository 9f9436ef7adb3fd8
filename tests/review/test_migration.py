"""The data migration carries SSQS's and PIBK's old review records over, nothing lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("review", "0001_initial"),
    ("surveys", "0005_save_receipts_and_activity"),
    ("monitoring", "0005_rollup_indicator_schools"),
    ("pibk", "0003_counts_within_limits"),
]
AFTER = [
    ("review", "0002_carry_ssqs_and_pibk"),
    ("surveys", "0006_reopenings_moved_to_core_review"),
    ("monitoring", "0006_reviews_moved_to_core_review"),
    ("pibk", "0004_windows_moved_to_core_review"),
]


def latest():
    """Every app's newest migration: the schema the other tests expect."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_old_review_record_is_carried_into_the_workflow(world):
    old = migrate(BEFORE)
    try:
        _old_records(old, world)
        new = migrate(AFTER)
        _check(new, world)
    finally:
        migrate(latest())  # leave the schema as the other tests expect it


T = timezone.make_aware(datetime.datetime(2026, 8, 20, 9, 0))


def _at(hours):
    return T + datetime.timedelta(hours=hours)


def _old_records(apps, world):
    Instrument = apps.get_model("surveys", "Instrument")
    Cycle = apps.get_model("surveys", "Cycle")
    WindowReopening = apps.get_model("surveys", "WindowReopening")
    SchoolReview = apps.get_model("monitoring", "SchoolReview")
    SchoolProgress = apps.get_model("monitoring", "SchoolProgress")
    SchoolYear = apps.get_model("pibk", "SchoolYear")
    WindowStatus = apps.get_model("pibk", "WindowStatus")
    WindowEvent = apps.get_model("pibk", "WindowEvent")
    d1, s1 = world.users["officer_d1"].pk, world.users["officer_s1"].pk

    instrument = Instrument.objects.create(year=2026, data={}, checksum="x")
    cycle = Cycle.objects.create(
        year=2026, instrument=instrument, briefing_on=datetime.date(2026, 7, 1),
        opens_on=datetime.date(2026, 8, 1), closes_on=datetime.date(2026, 8, 31),
    )  # fmt: skip
    # A: returned, reopened twice, then verified. B: only reopened. C: verified on the
    # dashboard (progress row) with no review row.
    SchoolReview.objects.create(cycle=cycle, school_id=world.a.pk, decision="returned",
                                comment="Semak guru", by_id=d1)  # fmt: skip
    SchoolReview.objects.filter(school_id=world.a.pk).update(at=_at(0))
    for hours, until in ((1, datetime.date(2026, 9, 5)), (2, datetime.date(2026, 9, 3))):
        r = WindowReopening.objects.create(cycle=cycle, school_id=world.a.pk, until=until,
                                           reason=f"banjir {hours}", by_id=d1)  # fmt: skip
        WindowReopening.objects.filter(pk=r.pk).update(at=_at(hours))
    r = SchoolReview.objects.create(cycle=cycle, school_id=world.a.pk, decision="verified",
                                    comment="", by_id=s1)  # fmt: skip
    SchoolReview.objects.filter(pk=r.pk).update(at=_at(3))
    WindowReopening.objects.create(
        cycle=cycle, school_id=world.b.pk, until=datetime.date(2026, 9, 9), reason="", by_id=d1
    )
    for school, review in ((world.a, "verified"), (world.b, ""), (world.c, "verified")):
        SchoolProgress.objects.create(
            cycle=cycle, school_id=school.pk, district_id=school.district_id,
            state_id=school.district.state_id, status="in_progress", review=review,
        )  # fmt: skip

    sy = SchoolYear.objects.create(school_id=world.a.pk, year=2026, district_id=world.d1.pk,
                                   state_id=world.s1.pk)  # fmt: skip
    WindowStatus.objects.create(school_year=sy, window="K1-MAR")  # nothing to say: no row
    WindowStatus.objects.create(school_year=sy, window="K1-JUL", status="returned",
                                comment="Tarikh?", reopened_until=datetime.date(2026, 8, 15),
                                reviewed_by_id=d1, reviewed_at=_at(5))  # fmt: skip
    WindowStatus.objects.create(school_year=sy, window="K2-MAY", status="verified",
                                volunteers=12, families=40, reviewed_by_id=s1,
                                reviewed_at=_at(6))  # fmt: skip
    WindowStatus.objects.create(school_year=sy, window="K1-NOV",
                                reopened_until=datetime.date(2026, 12, 5))  # fmt: skip
    for hours, window, kind, comment, until, by in (
        (4, "K1-JUL", "returned", "Tarikh?", None, d1),
        (5, "K1-JUL", "reopened", "cuti", datetime.date(2026, 8, 15), d1),
        (6, "K2-MAY", "verified", "", None, s1),
        (7, "K1-NOV", "reopened", "", datetime.date(2026, 12, 5), d1),
    ):
        e = WindowEvent.objects.create(school_year=sy, window=window, kind=kind, comment=comment,
                                       until=until, by_id=by)  # fmt: skip
        WindowEvent.objects.filter(pk=e.pk).update(at=_at(hours))


def _check(apps, world):
    Subject = apps.get_model("review", "ReviewSubject")
    Event = apps.get_model("review", "ReviewEvent")
    d1, s1 = world.users["officer_d1"].pk, world.users["officer_s1"].pk

    def subject(programme, school, window=""):
        return Subject.objects.get(
            programme=programme, year=2026, window=window, school_id=school.pk
        )

    def events(s):
        return list(Event.objects.filter(subject=s).order_by("at").values_list(
            "act", "comment", "until", "by_id", "at"))  # fmt: skip

    a = subject("ssqs", world.a)
    assert (a.state, a.comment, a.reopened_until, a.decided_by_id, a.decided_at) == (
        "verified", "", datetime.date(2026, 9, 5), s1, _at(3),
    )  # fmt: skip
    assert events(a) == [
        ("returned", "Semak guru", None, d1, _at(0)),
        ("reopened", "banjir 1", datetime.date(2026, 9, 5), d1, _at(1)),
        ("reopened", "banjir 2", datetime.date(2026, 9, 3), d1, _at(2)),
        ("verified", "", None, s1, _at(3)),
    ]
    b = subject("ssqs", world.b)
    assert (b.state, b.reopened_until) == ("reopened", datetime.date(2026, 9, 9))
    assert [e[0] for e in events(b)] == ["reopened"]
    c = subject("ssqs", world.c)
    assert (c.state, events(c)) == ("verified", [])

    assert not Subject.objects.filter(programme="pibk", window="K1-MAR").exists()
    jul = subject("pibk", world.a, "K1-JUL")
    assert (jul.state, jul.comment, jul.reopened_until, jul.decided_by_id, jul.decided_at) == (
        "returned", "Tarikh?", datetime.date(2026, 8, 15), d1, _at(5),
    )  # fmt: skip
    assert [e[:3] for e in events(jul)] == [
        ("returned", "Tarikh?", None), ("reopened", "cuti", datetime.date(2026, 8, 15)),
    ]  # fmt: skip
    may = subject("pibk", world.a, "K2-MAY")
    assert (may.state, may.figures) == ("verified", {"volunteers": 12, "families": 40})
    nov = subject("pibk", world.a, "K1-NOV")
    assert (nov.state, nov.reopened_until) == ("reopened", datetime.date(2026, 12, 5))
    assert Event.objects.count() == 4 + 1 + 4
