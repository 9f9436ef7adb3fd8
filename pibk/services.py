"""Writes and workflows of PIBK: the register, attendance, volunteers, counts, roll-ups.

The windows and the district's review are in ``pibk.windows`` (core.review).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.review.selectors import subjects_relation, verified_by_school, verified_count
from ssqs_portal.db import copy_update
from ssqs_portal.hierarchy import group_by_node, rollups_store
from ssqs_portal.numbers import exact

from . import kpi, rules
from .importing import parse_register
from .models import (
    Activity,
    Attendance,
    Family,
    PibkRollUp,
    PibkYear,
    Pupil,
    SchoolYear,
    Volunteer,
)
from .selectors import activity_result, expected_q
from .windows import require_open as _require_open
from .windows import window_states

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


# -- the register -----------------------------------------------------------------


@dataclass
class RegisterImport:
    errors: list = field(default_factory=list)
    families: int = 0
    pupils: int = 0
    added: int = 0
    removed: int = 0

    @property
    def ok(self):
        return not self.errors


@transaction.atomic
def register_import(*, school_year: SchoolYear, data: bytes, filename: str, on=None):
    """Replace the year's register with a file's families and pupils: all or nothing.

    Families are matched by their identifier, so their ticks and volunteering
    stay; families no longer in the file leave with theirs. Locked activities
    keep the counts they were verified or closed with.
    """
    on = on or today()
    states = window_states(school_year, on)
    if not any(state.open for _row, state in states.values()):
        raise ValidationError(_("Every collection window of this year is closed."))
    parsed = parse_register(data, filename, school_year.school.level)
    if parsed.errors:
        return RegisterImport(errors=parsed.errors)
    existing = dict(school_year.register.values_list("key", "pk"))
    keys = {f.key for f in parsed.families}
    gone = [pk for key, pk in existing.items() if key not in keys]
    Family.objects.filter(pk__in=gone).delete()
    Family.objects.bulk_create(
        [Family(school_year=school_year, key=f.key, guardian=f.guardian) for f in parsed.families],
        update_conflicts=True,
        unique_fields=["school_year", "key"],
        update_fields=["guardian"],
        batch_size=2000,
    )
    ids = dict(school_year.register.values_list("key", "pk"))
    Pupil.objects.filter(family__school_year=school_year).delete()
    pupils = [
        Pupil(
            family_id=ids[f.key],
            name=p.name,
            year_group=p.year_group,
            class_name=p.class_name,
            sports=p.sports,
            award=p.award,
        )
        for f in parsed.families
        for p in f.pupils
    ]
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    if school_year.mode != SchoolYear.Mode.REGISTER:
        school_year.mode = SchoolYear.Mode.REGISTER
        school_year.save(update_fields=["mode", "updated_at"])
    register_counts_refresh(school_year=school_year, on=on)
    return RegisterImport(
        families=len(ids),
        pupils=len(pupils),
        added=len(keys - set(existing)),
        removed=len(gone),
    )


def register_counts_refresh(*, school_year: SchoolYear, on=None) -> None:
    """Count expected and attending families of every open activity from the register.

    Families are sets, so siblings count once. A locked activity keeps its counts.
    """
    on = on or today()
    if school_year.mode != SchoolYear.Mode.REGISTER:
        return
    states = window_states(school_year, on)
    level = school_year.school.level
    facts = [
        rules.PupilFacts(family_id, year_group, sports, award)
        for family_id, year_group, sports, award in Pupil.objects.filter(
            family__school_year=school_year
        ).values_list("family_id", "year_group", "sports", "award")
    ]
    expected = rules.expected_families(level, facts)
    ticks = {}
    for activity_id, family_id in Attendance.objects.filter(
        activity__school_year=school_year
    ).values_list("activity_id", "family_id"):
        ticks.setdefault(activity_id, set()).add(family_id)
    changed = []
    for activity in school_year.activities.all():
        if not states[rules.window_of(activity.code)][1].open:
            continue
        families = expected[activity.code]
        activity.expected = len(families)
        activity.attended = len(ticks.get(activity.pk, set()) & families)
        changed.append(activity)
    Activity.objects.bulk_update(changed, ["expected", "attended"])
    if states["K2-NOV"][1].open:
        school_year.families = len({fact.family for fact in facts})
        school_year.volunteers = (
            Volunteer.objects.filter(school_year=school_year, family__pupils__isnull=False)
            .values("family")
            .distinct()
            .count()
        )
        school_year.save(update_fields=["families", "volunteers", "updated_at"])
    school_summary_refresh(school_year=school_year)


def family_is_expected(family: Family, code: str, level: str) -> bool:
    return any(
        rules.is_expected(code, level, rules.PupilFacts(family.pk, *facts))
        for facts in family.pupils.values_list("year_group", "sports", "award")
    )


@transaction.atomic
def attendance_set(*, activity: Activity, family: Family, present: bool, on=None) -> Activity:
    """Tick (or untick) a family's attendance at an activity; return the activity's counts."""
    on = on or today()
    school_year = activity.school_year
    if family.school_year_id != school_year.pk:
        raise ValidationError(_("This family is not in this school's register."))
    if school_year.mode != SchoolYear.Mode.REGISTER:
        raise ValidationError(
            _("This school enters counts only: import a register to tick families.")
        )
    _require_open(school_year, rules.window_of(activity.code), on)
    if not family_is_expected(family, activity.code, school_year.school.level):
        raise ValidationError(
            _("This family is not among those expected at %(activity)s.")
            % {"activity": rules.ACTIVITIES[activity.code]}
        )
    if present:
        Attendance.objects.get_or_create(activity=activity, family=family)
    else:
        Attendance.objects.filter(activity=activity, family=family).delete()
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    # Both figures from the register as it is now: it may have changed while
    # the window was locked, and a tick must never leave more attending than expected.
    expected = Family.objects.filter(school_year=school_year).filter(
        pk__in=Family.objects.filter(expected_q(activity.code, school_year.school.level)).values(
            "pk"
        )
    )
    locked.expected = expected.count()
    locked.attended = locked.ticks.filter(family__in=expected).count()
    locked.held_on = locked.held_on or on
    locked.save(update_fields=["expected", "attended", "held_on"])
    school_summary_refresh(school_year=school_year)
    return locked


@transaction.atomic
def pupil_flag_set(*, pupil: Pupil, flag: str, value: bool, on=None) -> Pupil:
    """Mark a pupil as a sports-day participant (E) or award winner (F); recount the register."""
    on = on or today()
    if flag not in ("sports", "award"):
        raise ValidationError(_("Choose sports or award."))
    school_year = pupil.family.school_year
    _require_open(school_year, rules.window_of("E" if flag == "sports" else "F"), on)
    setattr(pupil, flag, value)
    pupil.save(update_fields=[flag])
    register_counts_refresh(school_year=school_year, on=on)
    return pupil


@transaction.atomic
def activity_date_set(*, activity: Activity, held_on, on=None) -> None:
    """Record the day an activity was held (it then counts in the average)."""
    on = on or today()
    _require_open(activity.school_year, rules.window_of(activity.code), on)
    if held_on is not None and held_on.year != activity.school_year.year:
        raise ValidationError(
            _("The activity must be held in %(year)s.") % {"year": activity.school_year.year}
        )
    if held_on is not None and held_on > on:
        raise ValidationError(_("The date is in the future: record it on or after the day."))
    activity.held_on = held_on
    activity.save(update_fields=["held_on"])
    school_summary_refresh(school_year=activity.school_year)


@transaction.atomic
def volunteer_set(*, school_year: SchoolYear, family: Family, volunteering: bool, on=None) -> int:
    """Record (or take back) that a family volunteered; return the volunteering families."""
    on = on or today()
    if family.school_year_id != school_year.pk:
        raise ValidationError(_("This family is not in this school's register."))
    _require_open(school_year, "K2-NOV", on)
    if volunteering:
        Volunteer.objects.get_or_create(
            school_year=school_year, family=family, defaults={"recorded_on": on}
        )
    else:
        Volunteer.objects.filter(school_year=school_year, family=family).delete()
    locked = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    locked.volunteers = Volunteer.objects.filter(school_year=school_year).count()
    locked.save(update_fields=["volunteers", "updated_at"])
    rollups_enqueue(year=school_year.year)
    return locked.volunteers


@transaction.atomic
def counts_save(*, school_year: SchoolYear, cleaned: dict, on=None) -> list[str]:
    """Save a school's directly entered counts (no register); return the activities changed.

    ``cleaned`` comes from CountsForm: per activity held_on/expected/attended,
    and families/volunteers. Locked windows are not touched.
    """
    on = on or today()
    states = window_states(school_year, on)
    changed = []
    for activity in school_year.activities.all():
        if not states[rules.window_of(activity.code)][1].open:
            continue
        values = (
            cleaned.get(f"held_on_{activity.code}"),
            cleaned.get(f"expected_{activity.code}") or 0,
            cleaned.get(f"attended_{activity.code}") or 0,
        )
        if values != (activity.held_on, activity.expected, activity.attended):
            activity.held_on, activity.expected, activity.attended = values
            changed.append(activity)
    Activity.objects.bulk_update(changed, ["held_on", "expected", "attended"])
    school_year.mode = SchoolYear.Mode.COUNTS
    fields = ["mode", "updated_at"]
    if states["K2-NOV"][1].open:
        school_year.families = cleaned.get("families") or 0
        school_year.volunteers = cleaned.get("volunteers") or 0
        fields += ["families", "volunteers"]
    school_year.save(update_fields=fields)
    school_summary_refresh(school_year=school_year)
    return [a.code for a in changed]


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
