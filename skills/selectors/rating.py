"""Reading the centre star ratings: a centre's drill-down, the body's list, the public page."""

import re
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .. import rating_rules
from ..models import Accreditation, Centre, CentreRating, CentreRatingLine, RatingScheme
from .accreditation import current_q

# How each measure's value was reached, from the counts kept on the line.
BASIS = {
    "results.pass_rate": _("%(part)s of %(whole)s CU results competent"),
    "verification.returned_share": _("%(part)s of %(whole)s verification rounds returned"),
    "verification.findings": _("%(part)s rounds with findings over %(whole)s intakes verified"),
    "accreditation.compliance": _("%(part)s of %(whole)s days granted in good standing"),
    "complaints.upheld": _(
        "complaints about the centre closed in the year: %(whole)s, upheld: %(part)s"
    ),
    "facilities.checked": _("%(part)s of %(whole)s declared items confirmed on the visit"),
}
# Decimals a measure's value shows with (a count: none).
PLACES = {"complaints.upheld": 0}
SORTS = {
    "stars": ("-stars", "-total", "centre__code"),
    "-stars": ("stars", "total", "centre__code"),
    "code": ("centre__code",),
    "name": ("centre__name", "centre__code"),
    "state": ("centre__state__name", "centre__code"),
}


def explain(line) -> dict:
    """What the drill-down shows of one line: value, points, basis and bands in words."""
    measure = line.criterion.measure
    better, how = rating_rules.MEASURES.get(measure, (rating_rules.HIGHER, ""))
    part, whole = (line.counts + [None, None])[:2]
    basis = BASIS[measure] % {"part": part, "whole": whole} if measure in BASIS else ""
    return {"line": line, "criterion": line.criterion, "how": how, "basis": basis,
            "better": better, "bands": line.criterion.bands, "places": PLACES.get(measure, 2),
            "measure": measure}  # fmt: skip


def rating_years() -> list:
    return list(CentreRating.objects.order_by("-year").values_list("year", flat=True).distinct())


def centre_rating(*, centre, year: int | None):
    """The centre's rating of ``year`` (None: its latest) with its lines (two queries)."""
    ratings = (
        CentreRating.objects.filter(centre=centre)
        .select_related("scheme")
        .prefetch_related(Prefetch("lines", CentreRatingLine.objects.select_related("criterion")))
    )
    if year is not None:
        ratings = ratings.filter(year=year)
    return ratings.order_by("-year").first()


def centre_rating_years(*, centre) -> list:
    return list(CentreRating.objects.filter(centre=centre).order_by("-year")
                .values_list("year", flat=True))  # fmt: skip


def year_of(value, years) -> int | None:
    """The year asked for if it is one of ``years`` (ASCII digits only: "²" is no year)."""
    value = (value or "").strip()
    if re.fullmatch(r"[0-9]{4}", value) and int(value) in years:
        return int(value)
    return None


@dataclass
class RatingFilters:
    year: int | None = None
    stars: int | None = None
    state: str = ""
    q: str = ""
    sort: str = "stars"


def rating_filters(params, years) -> RatingFilters:
    """The list's filters from the query string; anything unknown is ignored."""
    found = RatingFilters(year=years[0] if years else None)
    found.year = year_of(params.get("year"), years) or found.year
    stars = (params.get("stars") or "").strip()
    if stars in ("1", "2", "3", "4", "5"):
        found.stars = int(stars)
    found.state = (params.get("state") or "").strip().replace("\x00", "")[:10]
    found.q = (params.get("q") or "").strip().replace("\x00", "")[:60]
    sort = params.get("sort") or "stars"
    found.sort = sort if sort in SORTS else "stars"
    return found


def rating_list(*, filters: RatingFilters):
    """Every centre's rating of the year, filtered and sorted (one query)."""
    if filters.year is None:
        return CentreRating.objects.none()
    qs = CentreRating.objects.filter(year=filters.year).select_related("centre__state", "scheme")
    if filters.stars:
        qs = qs.filter(stars=filters.stars)
    if filters.state:
        qs = qs.filter(centre__state__code=filters.state)
    if filters.q:
        from django.db.models import Q

        qs = qs.filter(Q(centre__code__icontains=filters.q) | Q(centre__name__icontains=filters.q))
    return qs.order_by(*SORTS[filters.sort])


def public_centre(*, code: str, today):
    """A centre's public page: name, state, standards accredited today, latest rating."""
    centre = Centre.objects.select_related("state").filter(code=code, is_active=True).first()
    if centre is None:
        return None
    accreditations = (
        Accreditation.objects.filter(current_q(today), centre=centre)
        .select_related("standard").order_by("standard__code")
    )  # fmt: skip
    rating = (CentreRating.objects.filter(centre=centre).select_related("scheme")
              .order_by("-year").first())  # fmt: skip
    return {"centre": centre, "accreditations": list(accreditations), "rating": rating}


def schemes():
    """Every published version of the criteria, newest first, with its criteria."""
    return list(RatingScheme.objects.prefetch_related("criteria").order_by("-version"))
