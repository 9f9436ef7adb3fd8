"""PIBK writes the roll-up kit takes over: each school's summary and the roll-ups.

The register is in ``family_register``, data entry in ``entry``, the windows and
the district's review in ``windows`` (core.review).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.utils import timezone

from core.review.selectors import subjects_relation, verified_by_school, verified_count
from ssqs_portal.db import copy_update
from ssqs_portal.hierarchy import group_by_node, rollups_store
from ssqs_portal.numbers import exact

from . import kpi, rules
from .models import (
    Activity,
    PibkRollUp,
    PibkYear,
    SchoolYear,
)
from .selectors import activity_result

ROLLUP_DEBOUNCE_SECONDS = 30
logger = logging.getLogger(__name__)


def today() -> datetime.date:
    return timezone.localdate()


def year_targets(year: int) -> PibkYear:
    """Return the year's targets, creating them with the seed's defaults."""
    targets, _created = PibkYear.objects.get_or_create(year=year)
    return targets


def school_year_ensure(*, school, year: int) -> SchoolYear:
    """Return the school's PIBK record for ``year``, with its six activities."""
    school_year, created = SchoolYear.objects.get_or_create(
        school=school,
        year=year,
        defaults={
            "district_id": school.district_id,
            "state_id": school.district.state_id,
            "is_kpm": school.is_kpm,
            "mode": SchoolYear.Mode.REGISTER,
        },
    )
    if created:
        Activity.objects.bulk_create(
            [Activity(school_year=school_year, code=code) for code in rules.CODES],
            ignore_conflicts=True,
        )
    return school_year


# -- summaries and roll-ups ---------------------------------------------------------------


def summary_fields(activities, windows_verified: int) -> dict:
    """Return the SchoolYear summary for its activities (from kpi.school_average)."""
    result = activity_result(activities)
    return {
        "average": kpi.two_places(result.average),
        "counted": len(result.counted),
        "reaches": result.reaches,
        "verified_windows": windows_verified,
    }


def school_summary_refresh(*, school_year: SchoolYear) -> None:
    """Recompute the school's average and 65% flag from its activities; roll up soon."""
    verified = verified_count(programme="pibk", year=school_year.year, school=school_year.school_id)
    fields = summary_fields(list(school_year.activities.all()), verified)
    SchoolYear.objects.filter(pk=school_year.pk).update(**fields, updated_at=timezone.now())
    for name, value in fields.items():
        setattr(school_year, name, value)
    rollups_enqueue(year=school_year.year)


def rollups_enqueue(*, year: int) -> None:
    """Rebuild the year's roll-ups once this commits: in a worker, debounced, if there is one.

    Asked many times in one transaction (an import, the demo), it runs once.
    """
    from .tasks import rebuild_pibk_rollups

    # Already waiting for this commit? Django drops its list on a rollback, so
    # a rolled-back request never blocks a later one.
    for _savepoints, callback, *_robust in connection.run_on_commit:
        if getattr(callback, "pibk_rollup_year", None) == year:
            return

    def enqueue():
        if settings.CELERY_TASK_ALWAYS_EAGER:
            rollups_rebuild(year=year)
            return
        try:
            if cache.add(f"pibk:rollups-pending:{year}", 1, ROLLUP_DEBOUNCE_SECONDS):
                rebuild_pibk_rollups.apply_async((year,), countdown=ROLLUP_DEBOUNCE_SECONDS)
        except Exception:
            # The save has committed; the hourly safety net rebuilds the roll-ups.
            logging.getLogger(__name__).warning(
                "PIBK roll-ups of %s not enqueued", year, exc_info=True
            )

    enqueue.pibk_rollup_year = year
    # Robust: the school's save is committed by now; a roll-up (or a broker)
    # failing afterwards is logged, and never turns that save into an error page.
    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def summaries_rebuild(*, year: int) -> int:
    """Recompute every school's summary for ``year`` from its activities. Idempotent.

    The same rule as a school's own refresh (``summary_fields``), for all of
    them at once: activities read as plain rows, summaries written in one go.
    """
    activities = {}
    for school_year_id, *figures in (
        Activity.objects.filter(school_year__year=year)
        .values_list("school_year_id", "code", "held_on", "expected", "attended")
        .iterator(chunk_size=10_000)
    ):
        activities.setdefault(school_year_id, []).append(ActivityRow(*figures))
    verified = verified_by_school(programme="pibk", year=year)
    names = ["average", "counted", "reaches", "verified_windows"]
    rows = []
    for pk, school_id in SchoolYear.objects.filter(year=year).values_list("pk", "school_id"):
        fields = summary_fields(activities.get(pk, []), verified.get(school_id, 0))
        rows.append((pk, *(fields[name] for name in names)))
    if connection.vendor == "postgresql":
        copy_update(SchoolYear, ["id"], names, rows)
    else:
        SchoolYear.objects.bulk_update(
            [SchoolYear(pk=pk, **dict(zip(names, values, strict=True))) for pk, *values in rows],
            names,
            batch_size=2000,
        )
    return len(rows)


@dataclass(frozen=True)
class ActivityRow:
    code: str
    held_on: datetime.date | None
    expected: int
    attended: int


# The rows a roll-up can count: what the forms and check constraints allow. A
# row outside them (written before the limits, or past them by hand) is left
# out with a warning, so one school's odd figures never stop every node's roll-up.
SANE_SCHOOL = Q(families__gte=0, families__lte=rules.MAX_FAMILIES) & Q(
    volunteers__gte=0, volunteers__lte=F("families")
)
SANE_ACTIVITY = Q(expected__gte=0, expected__lte=rules.MAX_FAMILIES) & Q(
    attended__gte=0, attended__lte=F("expected")
)


def mean_of(total, count):
    """Return the mean of the schools' averages to two places, halves up, exactly.

    Not the database's AVG: a two-place column would store it rounded halves
    to even (79.545 -> 79.54), unlike every other figure shown.
    """
    return kpi.two_places(exact(total) / count) if count and total is not None else None


def _total(field, **extra):
    """A sum over many schools, as a 64-bit integer (no total can overflow)."""
    return Sum(field, output_field=BigIntegerField(), **extra)


def _school_aggregates():
    return {
        "schools": Count("id"),
        "reporting": Count("id", filter=Q(average__isnull=False)),
        "reaching": Count("id", filter=Q(reaches=True)),
        "families": _total("families"),
        "volunteers": _total("volunteers"),
        "sum_average": Sum("average"),
    }


def _activity_aggregates():
    counted = Q(held_on__isnull=False, expected__gt=0)
    figures = {}
    for code in rules.CODES:
        figures[f"exp_{code}"] = _total("expected", filter=counted & Q(code=code))
        figures[f"att_{code}"] = _total("attended", filter=counted & Q(code=code))
    return figures


def _leave_out_odd_rows(rows, sane, year, what, school="school__code"):
    """Return ``rows`` that are ``sane``; log a warning naming the schools of the others."""
    odd = list(rows.exclude(sane).values_list(school, flat=True).distinct()[:50])
    if odd:
        logger.warning(
            "PIBK %s roll-up: %s of schools %s left out (outside the limits of pibk.rules)",
            year, what, ", ".join(sorted(odd)),
        )  # fmt: skip
    return rows.filter(sane)


def _window_aggregates():
    """Schools whose window is verified (core.review), per window, over ``_with_reviews`` rows."""
    return {
        window: Count("review", filter=Q(review__window=window, review__state="verified"))
        for window in rules.WINDOWS
    }


@transaction.atomic
def rollups_rebuild(*, year: int) -> int:
    """Rebuild KPI 1 and KPI 2 of every district, state and the nation for ``year``.

    KPM schools only ("Tidak termasuk sekolah-sekolah bukan di bawah KPM").
    The one roll-up routine (ssqs_portal.hierarchy.group_by_node) over the
    per-school rows; upserted, so two runs at once give the same numbers.
    """
    schools = _leave_out_odd_rows(
        SchoolYear.objects.filter(year=year, is_kpm=True), SANE_SCHOOL, year, "families"
    )
    activities = _leave_out_odd_rows(
        Activity.objects.filter(school_year__year=year, school_year__is_kpm=True),
        SANE_ACTIVITY, year, "activity counts", "school_year__school__code",
    )  # fmt: skip
    # One row per KPM school and reviewed window (a school nobody reviewed: one, empty).
    kpm_reviews = SchoolYear.objects.filter(year=year, is_kpm=True).annotate(
        review=subjects_relation(programme="pibk", year=year)
    )
    nested = {"district": "school_year__district", "state": "school_year__state"}
    by_activity = {
        (level, code): figures
        for level, code, _n, _p, figures in group_by_node(
            activities, _activity_aggregates(), **nested
        )
    }
    by_window = {
        (level, code): figures
        for level, code, _n, _p, figures in group_by_node(kpm_reviews, _window_aggregates())
    }
    now = timezone.now()
    rows = []
    for level, code, name, parent, f in group_by_node(schools, _school_aggregates()):
        act = by_activity.get((level, code), {})
        win = by_window.get((level, code), {})
        families, volunteers = f["families"] or 0, f["volunteers"] or 0
        rates = {}
        for activity in rules.CODES:
            expected = act.get(f"exp_{activity}") or 0
            attended = act.get(f"att_{activity}") or 0
            rates[activity] = (
                float(kpi.two_places(kpi.activity_rate(attended, expected) * 100))
                if expected
                else None
            )
        rows.append(
            PibkRollUp(
                year=year,
                level=level,
                code=code,
                name=name,
                parent_code=parent,
                schools=f["schools"],
                reporting=f["reporting"],
                reaching=f["reaching"],
                kpi1=kpi.two_places(kpi.share_reaching(f["reaching"], f["reporting"])),
                families=families,
                volunteers=volunteers,
                kpi2=kpi.two_places(kpi.kpi2(volunteers, families)),
                mean_average=mean_of(f["sum_average"], f["reporting"]),
                activity_rates=rates,
                verified={window: win.get(window) or 0 for window in rules.WINDOWS},
                computed_at=now,
            )
        )
    return rollups_store(PibkRollUp, rows, year=year)


def targets_save(*, year: int, values: dict, by) -> PibkYear:
    targets = year_targets(year)
    for name, value in values.items():
        setattr(targets, name, value)
    targets.updated_by = by
    targets.full_clean()
    targets.save()
    return targets
