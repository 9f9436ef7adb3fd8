"""Reads of the school hierarchy, always through the user's scope."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.people.access import districts_for, schools_for

from .models import School


@dataclass
class SchoolFilters:
    q: str = ""
    district: str = ""
    level: str = ""
    skm: str = ""


def school_list(*, user, filters: SchoolFilters) -> QuerySet[School]:
    """Return the schools in ``user``'s scope matching ``filters``, by code."""
    schools = (
        schools_for(user, act="schools.list")
        .select_related("district__state")
        .only(
            "code",
            "name",
            "level",
            "type",
            "enrolment",
            "is_skm",
            "has_ppki",
            "district__code",
            "district__name",
            "district__state__code",
            "district__state__name",
        )
    )
    q = filters.q.strip()
    if q:
        schools = schools.filter(Q(code__iexact=q) | Q(code__istartswith=q) | Q(name__icontains=q))
    if filters.district:
        schools = schools.filter(district__code=filters.district)
    if filters.level in School.Level.values:
        schools = schools.filter(level=filters.level)
    if filters.skm in ("1", "0"):
        schools = schools.filter(is_skm=filters.skm == "1")
    return schools.order_by("code")


def district_choices(*, user) -> list[tuple[str, str]]:
    """Return (code, label) of the districts ``user`` may filter by."""
    return [
        (code, f"{name} ({state})")
        for code, name, state in districts_for(user, act="schools.list")
        .order_by("state__name", "name")
        .values_list("code", "name", "state__name")
    ]
