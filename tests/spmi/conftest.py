"""SPMI's test world: school A with SSQS ratings and PIBK years (this year and last), a quality
team, and the default national standard set."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import person

YEAR = 2026


@pytest.fixture
def standards(db):
    from spmi.standards import standards_load

    return standards_load()[0]


def pibk_fill(school, year, pairs, families=100, volunteers=20):
    """A school's PIBK year through PIBK's own services (its summary computes the average)."""
    from pibk.models import Activity, SchoolYear
    from pibk.rollups import summaries_rebuild
    from pibk.services import school_year_ensure

    sy = school_year_ensure(school=school, year=year)
    for code, (expected, attended) in zip("ABCDEF", pairs, strict=True):
        Activity.objects.filter(school_year=sy, code=code).update(
            expected=expected, attended=attended, held_on=datetime.date(year, 1, 5)
        )
    SchoolYear.objects.filter(pk=sy.pk).update(families=families, volunteers=volunteers)
    summaries_rebuild(year=year)
    return SchoolYear.objects.get(pk=sy.pk)


def ssqs_last_year(cycle, school, **values):
    """Last year's SSQS cycle (same instrument) with a rating row for ``school``."""
    from surveys.models import Cycle, Rating

    last = Cycle.objects.create(year=cycle.year - 1, instrument=cycle.instrument,
                                briefing_on=datetime.date(cycle.year - 1, 1, 2),
                                opens_on=datetime.date(cycle.year - 1, 1, 2),
                                closes_on=datetime.date(cycle.year - 1, 12, 1))  # fmt: skip
    fields = {"status": "final", "score": 38, "stars": 2, "band": "2", "usage": Decimal("30.50"),
              "human_capital": Decimal("41.25"), "applications": Decimal("50.00"),
              "infrastructure": Decimal("62.75"), "respondents_finished": 9,
              "respondents_required": 12} | values  # fmt: skip
    return Rating.objects.create(cycle=last, school=school, computed_at=timezone.now(), **fields)


@pytest.fixture
def measured(world, mini_cycle):
    """School A: this year's SSQS rating computed from answers, last year's rating row, and
    PIBK for both years computed by PIBK's own summary."""
    from surveys.rating import rating_recompute
    from tests.surveys.conftest import complete, respondents

    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    ssqs_last_year(mini_cycle, world.a)
    pibk_fill(world.a, YEAR, [(10, 9)] * 6, 100, 30)
    pibk_fill(world.a, YEAR - 1, [(10, 6)] * 6, 50, 5)
    return mini_cycle


@pytest.fixture
def team(world):
    return person("mutu.alfa", roles=[("quality_team", world.a)])


@pytest.fixture(autouse=True)
def english(settings):
    """Pages in English for the tests that read their words (Malay is the default)."""
    settings.LANGUAGE_CODE = "en"
