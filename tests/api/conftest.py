from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def make_key(db):
    """make_key(unit, programmes=()) -> the secret of a new key."""
    from api.services import key_create

    def _make(unit="KPM", programmes=(), name="Sistem ujian"):
        _key, secret = key_create(name=name, unit_code=unit, programmes=programmes)
        return secret

    return _make


@pytest.fixture
def api_get(client):
    """api_get(path, secret=None, **headers) -> the response of GET /api/v1/<path>."""

    def _get(path, secret=None, **headers):
        if secret:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return client.get(f"/api/v1/{path}", **headers)

    return _get


@pytest.fixture
def cycle(mini_cycle):
    return mini_cycle


def rate(cycle, school, score=72, status="final", at=None):
    from surveys.models import Rating
    from surveys.scoring import band_for

    band, stars = band_for(score)
    return Rating.objects.create(
        cycle=cycle, school=school, usage=Decimal("70.25"), human_capital=Decimal("80.00"),
        applications=Decimal("50.50"), infrastructure=Decimal("66.67"), score=score, band=band,
        stars=stars, status=status, respondents_finished=60, respondents_required=62,
        breakdown={"big": "x" * 10}, computed_at=at or timezone.now(),
    )  # fmt: skip


@pytest.fixture
def rated(world, cycle):
    for school in (world.a, world.b, world.c):
        rate(cycle, school)
    return cycle
