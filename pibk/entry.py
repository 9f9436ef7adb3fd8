"""Entering PIBK data: attendance ticks, pupils' flags, activity dates, volunteers
and directly entered counts, each refused when its window is closed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import rules, services
from .family_register import register_counts_refresh
from .models import (
    Activity,
    Attendance,
    Family,
    Pupil,
    SchoolYear,
    Volunteer,
)
from .rollups import rollups_enqueue, school_summary_refresh
from .selectors import expected_q
from .windows import require_open as _require_open
from .windows import window_states


def family_is_expected(family: Family, code: str, level: str) -> bool:
    return any(
        rules.is_expected(code, level, rules.PupilFacts(family.pk, *facts))
        for facts in family.pupils.values_list("year_group", "sports", "award")
    )


@transaction.atomic
def attendance_set(*, activity: Activity, family: Family, present: bool, on=None) -> Activity:
    """Tick (or untick) a family's attendance at an activity; return the activity's counts."""
    on = on or services.today()
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
    on = on or services.today()
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
    on = on or services.today()
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
    on = on or services.today()
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
    if locked.volunteers > locked.families:
        # KPI 2 is volunteers over families: more volunteers than families
        # counted means the family count is stale (the check constraint would
        # refuse the row anyway, as an error page).
        raise ValidationError(
            _(
                "%(volunteers)s families would be volunteering, but this year counts "
                "%(families)s families: import the register again first."
            )
            % {"volunteers": locked.volunteers, "families": locked.families}
        )
    locked.save(update_fields=["volunteers", "updated_at"])
    rollups_enqueue(year=school_year.year)
    return locked.volunteers


@transaction.atomic
def counts_save(*, school_year: SchoolYear, cleaned: dict, on=None) -> list[str]:
    """Save a school's directly entered counts (no register); return the activities changed.

    ``cleaned`` comes from CountsForm: per activity held_on/expected/attended,
    and families/volunteers. Locked windows are not touched.
    """
    on = on or services.today()
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
