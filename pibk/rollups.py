"""PIBK roll-ups: each school's summary, and KPI 1 and KPI 2 of every district, state, nation.

Built on the roll-up kit (``core.rollups``): the per-school ``SchoolYear``
summaries (average, 65 % flag, windows verified) rolled up by
``group_by_node`` into ``PibkRollUp`` rows keyed by the year.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.utils import timezone

from core.review.selectors import subjects_relation, verified_by_school, verified_count
from core.rollups.debounce import Debounce
from core.rollups.store import group_by_node, mean, node_rows, rollups_store
from ssqs_portal.db import copy_update

from . import kpi, rules
from .models import Activity, PibkRollUp, SchoolYear
from .selectors import activity_result

logger = logging.getLogger(__name__)

# A year's roll-ups, rebuilt at most this often after schools' data change.
ROLLUPS_SOON = Debounce(
    "pibk:rollups-pending",
    30,
    "PIBK roll-ups of %s",
    "the hourly rebuild_all_pibk rebuilds them",
)


def rollups_enqueue(*, year: int) -> None:
    """Announce the year's roll-ups: rebuilt once this commits, debounced (core.rollups)."""
    from .tasks import rebuild_pibk_rollups

    ROLLUPS_SOON.announce(rebuild_pibk_rollups, year)


# -- the verified counts: the one place PIBK roll-ups read what was verified ------------


def verified_windows_of(school_year: SchoolYear) -> int:
    """Return how many of the school's windows are verified (core.review)."""
    return verified_count(programme="pibk", year=school_year.year, school=school_year.school_id)


def verified_windows_by_school(year: int) -> dict:
    """Return {school id: windows verified} of every school of ``year`` (core.review)."""
    return verified_by_school(programme="pibk", year=year)


def verified_by_window(year: int):
    """Yield group_by_node's (level, code, name, parent, {window: KPM schools verified}).

    One row per KPM school and reviewed window (a school nobody reviewed: one,
    empty), from the review workflow's subjects.
    """
    kpm_reviews = SchoolYear.objects.filter(year=year, is_kpm=True).annotate(
        review=subjects_relation(programme="pibk", year=year)
    )
    aggregates = {
        window: Count("review", filter=Q(review__window=window, review__state="verified"))
        for window in rules.WINDOWS
    }
    return group_by_node(kpm_reviews, aggregates)


# -- each school's summary -------------------------------------------------------------


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
    fields = summary_fields(list(school_year.activities.all()), verified_windows_of(school_year))
    SchoolYear.objects.filter(pk=school_year.pk).update(**fields, updated_at=timezone.now())
    for name, value in fields.items():
        setattr(school_year, name, value)
    rollups_enqueue(year=school_year.year)


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
    verified = verified_windows_by_school(year)
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


# -- the roll-ups --------------------------------------------------------------------------

# The rows a roll-up can count: what the forms and check constraints allow. A
# row outside them (written before the limits, or past them by hand) is left
# out with a warning, so one school's odd figures never stop every node's roll-up.
SANE_SCHOOL = Q(families__gte=0, families__lte=rules.MAX_FAMILIES) & Q(
    volunteers__gte=0, volunteers__lte=F("families")
)
SANE_ACTIVITY = Q(expected__gte=0, expected__lte=rules.MAX_FAMILIES) & Q(
    attended__gte=0, attended__lte=F("expected")
)


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


def _rates(act) -> dict:
    """Return each activity's node rate in percent (None where nobody was expected)."""
    rates = {}
    for activity in rules.CODES:
        expected = act.get(f"exp_{activity}") or 0
        attended = act.get(f"att_{activity}") or 0
        rates[activity] = (
            float(kpi.two_places(kpi.activity_rate(attended, expected) * 100)) if expected else None
        )
    return rates


@transaction.atomic
def rollups_rebuild(*, year: int) -> int:
    """Rebuild KPI 1 and KPI 2 of every district, state and the nation for ``year``.

    KPM schools only ("Tidak termasuk sekolah-sekolah bukan di bawah KPM").
    The kit's one roll-up routine (``group_by_node``) over the per-school
    rows; upserted, so two runs at once give the same numbers.
    """
    schools = _leave_out_odd_rows(
        SchoolYear.objects.filter(year=year, is_kpm=True), SANE_SCHOOL, year, "families"
    )
    activities = _leave_out_odd_rows(
        Activity.objects.filter(school_year__year=year, school_year__is_kpm=True),
        SANE_ACTIVITY, year, "activity counts", "school_year__school__code",
    )  # fmt: skip
    nested = {"district": "school_year__district", "state": "school_year__state"}
    by_activity = {
        (level, code): figures
        for level, code, _n, _p, figures in group_by_node(
            activities, _activity_aggregates(), **nested
        )
    }
    by_window = {
        (level, code): figures for level, code, _n, _p, figures in verified_by_window(year)
    }

    def figures(level, code, f):
        win = by_window.get((level, code), {})
        families, volunteers = f["families"] or 0, f["volunteers"] or 0
        return {
            "reporting": f["reporting"],
            "reaching": f["reaching"],
            "kpi1": kpi.two_places(kpi.share_reaching(f["reaching"], f["reporting"])),
            "families": families,
            "volunteers": volunteers,
            "kpi2": kpi.two_places(kpi.kpi2(volunteers, families)),
            "mean_average": mean(f["sum_average"], f["reporting"]),
            "activity_rates": _rates(by_activity.get((level, code), {})),
            "verified": {window: win.get(window) or 0 for window in rules.WINDOWS},
        }

    rows = node_rows(PibkRollUp, schools, _school_aggregates(), figures)
    return rollups_store(PibkRollUp, rows, period=year)
