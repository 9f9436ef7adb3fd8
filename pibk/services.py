"""Writes and workflows of PIBK: the register, attendance, volunteers, counts, reviews.

Each school's summary and the roll-ups are written by ``pibk.rollups``.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .importing import parse_register
from .models import (
    Activity,
    Attendance,
    Family,
    PibkYear,
    Pupil,
    SchoolYear,
    Volunteer,
    WindowEvent,
    WindowStatus,
)
from .rollups import rollups_enqueue, school_summary_refresh
from .selectors import expected_q, window_state_of


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
