"""The PIBK register: a school's families and pupils, imported all or nothing."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import rules, services
from .importing import parse_register
from .models import (
    Activity,
    Attendance,
    Family,
    Pupil,
    SchoolYear,
    Volunteer,
)
from .rollups import school_summary_refresh
from .windows import window_states


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
    on = on or services.today()
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
    on = on or services.today()
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
