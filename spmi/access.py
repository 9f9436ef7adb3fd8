"""Finding SPMI's objects for a person: every view goes through here (the one access rule)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.people import access

from .models import Action, Cycle

MIN_YEAR, MAX_YEAR = 2000, 2100


def school_for(user, code: str, act: str):
    return access.get_school(user, code, act)


def year_from(raw) -> int:
    """The year asked for (?year=), else this year; nonsense is this year, never a 500."""
    try:
        year = int(str(raw))
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def cycle_for(user, code: str, act: str, year: int):
    """Return (school, cycle or None) of ``year`` for ``act`` on school ``code``."""
    school = school_for(user, code, act)
    cycle = (
        Cycle.objects.select_related("standard_set", "approved_by")
        .filter(school=school, year=year)
        .first()
    )
    return school, cycle


def action_for(user, code: str, pk: int, act: str):
    """Return (school, action) for ``act`` on action ``pk`` of school ``code``."""
    school = school_for(user, code, act)
    action = get_object_or_404(
        Action.objects.select_related("cycle", "criterion", "indicator", "rolled_from__cycle"),
        pk=pk,
        school=school,
    )
    return school, action


def cycle_or_404(cycle):
    if cycle is None:
        raise Http404("No SPMI cycle")
    return cycle


def may(user, act: str, school) -> bool:
    return access.can(user, act, school)
