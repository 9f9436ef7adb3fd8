"""PIBK's year: the calendar, the ministry's targets, and each school's year record.

The register is in ``family_register``, data entry in ``entry``, the windows and
the district's review in ``windows`` (core.review), each school's summary and
the roll-ups in ``rollups`` (core.rollups).
"""

import datetime
import logging

from django.utils import timezone

from . import rules
from .models import (
    Activity,
    PibkYear,
    SchoolYear,
)

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


def targets_save(*, year: int, values: dict, by) -> PibkYear:
    targets = year_targets(year)
    for name, value in values.items():
        setattr(targets, name, value)
    targets.updated_by = by
    targets.full_clean()
    targets.save()
    return targets
