"""Where a portal-sourced indicator's figure comes from: the programmes' own result rows.

Each source key names one figure of a school in a year, read in bulk for many
schools in one query per programme:

- ``ssqs.score``, ``ssqs.stars``, ``ssqs.indicator.<code>`` and
  ``completeness.ssqs`` (respondents finished / required, percent): the
  school's SSQS rating of that year's cycle (``surveys.Rating``);
- ``pibk.average``, ``pibk.kpi1`` (1 when the average reaches 65 %, 0 when
  not) and ``pibk.kpi2`` (volunteering families / families, percent): the
  school's PIBK year (``pibk.SchoolYear``);
- ``evidence``: the school's own evidence, no figure.
"""

from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from pibk.kpi import kpi2, two_places
from ssqs_portal.numbers import two_decimals

from .rules import EVIDENCE

SSQS_INDICATORS = ("usage", "human_capital", "applications", "infrastructure")

SOURCES = {
    "ssqs.score": _("SSQS score"),
    "ssqs.stars": _("SSQS stars"),
    "ssqs.indicator.usage": _("SSQS indicator: usage"),
    "ssqs.indicator.human_capital": _("SSQS indicator: human capital"),
    "ssqs.indicator.applications": _("SSQS indicator: applications"),
    "ssqs.indicator.infrastructure": _("SSQS indicator: infrastructure"),
    "completeness.ssqs": _("SSQS data completeness (respondents finished)"),
    "pibk.average": _("PIBK attendance average"),
    "pibk.kpi1": _("PIBK KPI 1: average reaches 65 %"),
    "pibk.kpi2": _("PIBK KPI 2: volunteering families"),
    EVIDENCE: _("The school's own evidence"),
}


def is_known(source: str) -> bool:
    return source in SOURCES


def _ssqs(years, school_ids):
    from surveys.models import Rating

    rows = Rating.objects.filter(cycle__year__in=years)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    out = {}
    for row in rows.values_list(
        "school_id",
        "cycle__year",
        "score",
        "stars",
        *SSQS_INDICATORS,
        "respondents_finished",
        "respondents_required",
    ):
        school, year, score, stars, *indicators, finished, required = row
        figures = {"ssqs.score": score, "ssqs.stars": stars}
        for code, value in zip(SSQS_INDICATORS, indicators, strict=True):
            figures[f"ssqs.indicator.{code}"] = value
        if required:
            figures["completeness.ssqs"] = two_decimals(
                Fraction(100 * min(finished, required), required)
            )
        out[(school, year)] = figures
    return out


def _pibk(years, school_ids):
    from pibk.models import SchoolYear

    rows = SchoolYear.objects.filter(year__in=years)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    out = {}
    for school, year, average, reaches, volunteers, families in rows.values_list(
        "school_id", "year", "average", "reaches", "volunteers", "families"
    ):
        out[(school, year)] = {
            "pibk.average": average,
            "pibk.kpi1": None if reaches is None else int(reaches),
            "pibk.kpi2": two_places(kpi2(volunteers, families)),
        }
    return out


def figures_for(years, school_ids=None) -> dict:
    """Return {(school_id, year): {source: value}} for ``years`` (all schools if ids is None).

    Two queries whatever the number of schools.
    """
    years = list(years)
    out = {}
    for reader in (_ssqs, _pibk):
        for key, figures in reader(years, school_ids).items():
            out.setdefault(key, {}).update(figures)
    return out


def figure(school_id: int, year: int, source: str):
    """Return one school's figure of ``source`` in ``year`` (None if the portal has none)."""
    return figures_for([year], [school_id]).get((school_id, year), {}).get(source)
