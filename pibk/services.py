"""PIBK writes the review workflow and the roll-up kit take over: windows, reviews,
summaries and roll-ups (the register is in ``register``, entry in ``entry``)."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ssqs_portal.db import copy_update
from ssqs_portal.hierarchy import group_by_node, rollups_store
from ssqs_portal.numbers import exact

from . import kpi, rules
from .models import (
    Activity,
    PibkRollUp,
    PibkYear,
    SchoolYear,
    WindowEvent,
    WindowStatus,
)
from .selectors import activity_result, window_state_of

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
        WindowStatus.objects.bulk_create(
            [WindowStatus(school_year=school_year, window=w) for w in rules.WINDOWS],
            ignore_conflicts=True,
        )
    return school_year


def window_states(school_year: SchoolYear, on=None) -> dict:
    """Return window -> (WindowStatus row, rules.WindowState) for a school's year."""
    on = on or today()
    return {
        row.window: (row, window_state_of(school_year.year, row, on))
        for row in school_year.windows.all()
    }


def window_open(school_year: SchoolYear, window: str, on=None) -> tuple[bool, str | None]:
    """Return whether the school may change ``window``'s data, and if not, the message why."""
    _row, state = window_states(school_year, on)[window]
    return state.open, None if state.open else closed_message(window, state)


def closed_message(window: str, state: rules.WindowState) -> str:
    name = rules.WINDOW_NAMES[window]
    if state.reason == "verified":
        return _("%(window)s: verified by the district, so it is locked.") % {"window": name}
    return _("%(window)s: the deadline has passed. Ask the district to reopen it.") % {
        "window": name
    }


def _require_open(school_year, window, on):
    is_open, why = window_open(school_year, window, on)
    if not is_open:
        raise ValidationError(why)


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
    verified = school_year.windows.filter(status=WindowStatus.Status.VERIFIED).count()
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
    verified = dict(
        WindowStatus.objects.filter(school_year__year=year, status=WindowStatus.Status.VERIFIED)
        .values("school_year_id")
        .annotate(n=Count("id"))
        .values_list("school_year_id", "n")
    )
    names = ["average", "counted", "reaches", "verified_windows"]
    rows = []
    for pk in SchoolYear.objects.filter(year=year).values_list("pk", flat=True):
        fields = summary_fields(activities.get(pk, []), verified.get(pk, 0))
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
    return {
        window: Count("id", filter=Q(window=window, status=WindowStatus.Status.VERIFIED))
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
    windows = WindowStatus.objects.filter(school_year__year=year, school_year__is_kpm=True)
    nested = {"district": "school_year__district", "state": "school_year__state"}
    by_activity = {
        (level, code): figures
        for level, code, _n, _p, figures in group_by_node(
            activities, _activity_aggregates(), **nested
        )
    }
    by_window = {
        (level, code): figures
        for level, code, _n, _p, figures in group_by_node(windows, _window_aggregates(), **nested)
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


# -- the district's acts ------------------------------------------------------------------


@transaction.atomic
def window_review(*, school_year: SchoolYear, window: str, decision: str, comment: str, by):
    """Verify a window's data (it is then locked) or return it with a comment."""
    if window not in rules.WINDOWS:
        raise ValidationError(_("Choose a collection window."))
    if decision not in ("verified", "returned"):
        raise ValidationError(_("Choose verify or return."))
    comment = comment.strip()
    if decision == "returned" and not comment:
        raise ValidationError(_("Say why the data is returned: the school reads the comment."))
    row = WindowStatus.objects.select_for_update().get(school_year=school_year, window=window)
    if decision == "verified" and window in rules.KPI2_WINDOWS:
        row.volunteers, row.families = school_year.volunteers, school_year.families
    row.status, row.comment = decision, comment
    row.reviewed_by, row.reviewed_at = by, timezone.now()
    row.save()
    WindowEvent.objects.create(
        school_year=school_year, window=window, kind=decision, comment=comment, by=by
    )
    school_summary_refresh(school_year=school_year)
    return row


@transaction.atomic
def window_reopen(*, school_year: SchoolYear, window: str, until, reason: str, by, on=None):
    """Reopen a window for a school until a date, after its deadline (recorded)."""
    on = on or today()
    if window not in rules.WINDOWS:
        raise ValidationError(_("Choose a collection window."))
    if until is None or until < on:
        raise ValidationError(_("The reopening date must be today or later."))
    row = WindowStatus.objects.select_for_update().get(school_year=school_year, window=window)
    if row.status == WindowStatus.Status.VERIFIED:
        raise ValidationError(_("Verified data is locked: return it to the school instead."))
    row.reopened_until = until
    row.save(update_fields=["reopened_until"])
    WindowEvent.objects.create(
        school_year=school_year,
        window=window,
        kind=WindowEvent.Kind.REOPENED,
        comment=reason.strip()[:300],
        until=until,
        by=by,
    )
    return row


def targets_save(*, year: int, values: dict, by) -> PibkYear:
    targets = year_targets(year)
    for name, value in values.items():
        setattr(targets, name, value)
    targets.updated_by = by
    targets.full_clean()
    targets.save()
    return targets
