"""Where a portal-sourced indicator's figure comes from: the programmes' own result rows.

Each source key names one figure of a school in a year, read in bulk for many
schools in one query per programme:

- ``ssqs.score``, ``ssqs.stars``, ``ssqs.indicator.<code>`` and
  ``completeness.ssqs`` (respondents finished / required, percent): the
  school's SSQS rating of that year's cycle (``surveys.Rating``);
- ``pibk.average``, ``pibk.kpi1`` (1 when the average reaches 65 %, 0 when
  not) and ``pibk.kpi2`` (volunteering families / families, percent): the
  school's PIBK year (``pibk.SchoolYear``);
- ``pasr.construct.<construct code>``: the share (percent) of the school's verified PASR
  results of that construct at Kompeten or Kompeten Terpuji, from PASR's own school
  summary (``pasr.SchoolYear.figures["levels"]``); none for a school without PASR;
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


PASR_PREFIX = "pasr.construct."


def pasr_constructs() -> dict:
    """{construct code: name} of the PASR instrument (read once per process)."""
    from pasr.instrument import instrument

    return {c.code: c.name for c in instrument().constructs}


def is_known(source: str) -> bool:
    if source.startswith(PASR_PREFIX):
        return source.removeprefix(PASR_PREFIX) in pasr_constructs()
    return source in SOURCES


def label(source: str) -> str:
    """What a page calls a source."""
    if source.startswith(PASR_PREFIX):
        code = source.removeprefix(PASR_PREFIX)
        return _("PASR %(code)s %(name)s: share competent") % {
            "code": code, "name": pasr_constructs().get(code, "")}  # fmt: skip
    return str(SOURCES.get(source, source))


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


def _pasr(years, school_ids):
    from pasr import rules as pasr_rules
    from pasr.models import SchoolYear

    rows = SchoolYear.objects.filter(year__in=years)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    competent = (pasr_rules.LEVELS[0], pasr_rules.LEVELS[1])  # Kompeten Terpuji, Kompeten
    out = {}
    for school, year, figures in rows.values_list("school_id", "year", "figures"):
        found = {}
        for code, counts in ((figures or {}).get("levels") or {}).items():
            total = sum(counts.values())
            if total:
                share = Fraction(100 * sum(counts.get(k, 0) for k in competent), total)
                found[f"{PASR_PREFIX}{code}"] = two_decimals(share)
        if found:
            out[(school, year)] = found
    return out


def figures_for(years, school_ids=None) -> dict:
    """Return {(school_id, year): {source: value}} for ``years`` (all schools if ids is None).

    Three queries whatever the number of schools.
    """
    years = list(years)
    out = {}
    for reader in (_ssqs, _pibk, _pasr):
        for key, figures in reader(years, school_ids).items():
            out.setdefault(key, {}).update(figures)
    return out


def figure(school_id: int, year: int, source: str):
    """Return one school's figure of ``source`` in ``year`` (None if the portal has none)."""
    return figures_for([year], [school_id]).get((school_id, year), {}).get(source)
