"""Reading the NOSS registry: the public list and a standard's page (constant queries)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from ..models import Accreditation, Sector, Standard
from .accreditation import current_q

LEVELS = (1, 2, 3, 4, 5)


@dataclass
class StandardFilters:
    q: str = ""
    sector: str = ""
    level: int | None = None


def standard_filters(params) -> StandardFilters:
    """Read the list's GET filters; anything unusable is ignored, never an error."""
    q = (params.get("q") or "")[:100].replace("\x00", "").strip()
    sector = (params.get("sector") or "")[:10].replace("\x00", "")
    level = params.get("level") or ""
    return StandardFilters(
        q=q,
        sector=sector,
        level=int(level) if level in {str(n) for n in LEVELS} else None,
    )


def standard_list(*, filters: StandardFilters):
    """The standards matching ``filters``, with their sector, CU count and total hours."""
    qs = Standard.objects.select_related("sector").annotate(
        unit_count=Count("units"), total_hours=Sum("units__hours")
    )
    if filters.q:
        qs = qs.filter(
            Q(code__icontains=filters.q)
            | Q(title_ms__icontains=filters.q)
            | Q(title_en__icontains=filters.q)
        )
    if filters.sector:
        qs = qs.filter(sector__code=filters.sector)
    if filters.level:
        qs = qs.filter(level=filters.level)
    return qs.order_by("code")


def sector_choices():
    return list(Sector.objects.order_by("code"))


def standard_page(*, code: str, today):
    """Return the standard ``code`` with its CUs, versions and the centres offering it, or None."""
    standard = (
        Standard.objects.select_related("sector", "supersedes")
        .prefetch_related("units", "superseded_by")
        .filter(code=code)
        .first()
    )
    if standard is None:
        return None
    units = list(standard.units.all())
    offering = list(
        Accreditation.objects.filter(current_q(today), standard=standard, centre__is_active=True)
        .select_related("centre__state")
        .prefetch_related("units")
        .order_by("centre__code")
    )
    return {
        "standard": standard,
        "units": units,
        "total_hours": sum(u.hours for u in units),
        "superseded_by": list(standard.superseded_by.all()),
        "offering": offering,
    }
