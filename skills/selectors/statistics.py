"""Reads of the skills statistics (item 8): a node's figures and its places, on the roll-up kit.

Three views, each a handful of indexed reads whatever the number of results and
certificates:

- the nation (the body's first view): its ``SkillsRollUp`` and its states' (``rollup_for``,
  ``child_rollups``);
- a state: its ``SkillsRollUp`` and its centres' own yearly figures;
- centres (a centre's administrator: their own; the body: one centre it drilled down to):
  the centres' own yearly figures (``CentreYearFigures``, ``UnitYearFigures``).

``skills_statistics_live`` aggregates the same figures from the records (slow on a national
database): what the stored figures must equal (the tests compare them).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.rollups.selectors import child_rollups, rollup_for
from ssqs_portal.hierarchy import NATIONAL_CODE, Node

from .. import rules
from ..models import (
    Centre,
    CentreYearFigures,
    CompetencyUnit,
    Sector,
    SkillsRollUp,
    UnitYearFigures,
)
from ..rollups import NATION_NAME, NO_STATE_NAME, node_figures

NATIONAL, STATE, CENTRES = "national", "state", "centres"


def rate(assessed: int, competent: int):
    """The pass rate in per cent to one place, or None when nothing was assessed."""
    if not assessed:
        return None
    return (Decimal(100 * competent) / assessed).quantize(Decimal("0.1"))


@dataclass
class Place:
    """One row of the drill-down table: a state of the nation, a centre of a state."""

    code: str
    name: str
    centres: int
    intakes: int
    trainees: int
    certificates: int
    assessed: int
    competent: int

    @property
    def rate(self):
        return rate(self.assessed, self.competent)


@dataclass
class Statistics:
    year: int
    level: str  # NATIONAL, STATE or CENTRES
    code: str  # the nation's or the state's code ("" for centres)
    name: str
    intakes: int
    trainees: int
    units: list  # [{unit_id, unit__code, unit__title_ms/en, assessed, competent, rate}]
    by_level: list  # [(kind, count)]
    by_sector: list  # [(label, count)]
    places: list  # [Place]: the nation's states, a state's centres, the centres shown
    total: int  # certificates

    @property
    def place_level(self):
        return STATE if self.level == NATIONAL else "centre"


def statistics_years():
    """Return the years the statistics page offers (this year and the nine before)."""
    this = timezone.localdate().year
    return list(range(this, this - 10, -1))


def nation_node() -> Node:
    return Node(NATIONAL, NATIONAL_CODE, NATION_NAME, [])


def state_node(code: str, name: str) -> Node:
    return Node(STATE, code, name, [(NATIONAL, NATIONAL_CODE, NATION_NAME)])


def state_name(code: str) -> str | None:
    """The state node's name (None: no such state). One query (none for ``NO_STATE``)."""
    if code == SkillsRollUp.NO_STATE:
        return NO_STATE_NAME
    from schools.models import State

    return State.objects.filter(code=code).values_list("name", flat=True).first()


# --- what the page reads ----------------------------------------------------------------
def _rollup_figures(row) -> dict:
    if row is None:
        return node_figures([], [])[(NATIONAL, NATIONAL_CODE)][1]
    return {
        "intakes": row.intakes, "trainees": row.trainees, "assessed": row.assessed,
        "competent": row.competent, "certificates": row.certificates, "by_kind": row.by_kind,
        "by_sector": row.by_sector, "units": row.units, "centres": row.centres,
    }  # fmt: skip


def _place_of_rollup(row) -> Place:
    return Place(row.code, row.name, row.centres, row.intakes, row.trainees, row.certificates,
                 row.assessed, row.competent)  # fmt: skip


def _centre_places(year: int, centre_rows) -> tuple[list, dict]:
    """Return (places, summed figures) of ``centre_rows`` (CentreYearFigures with centre)."""
    centre_rows = list(centre_rows)
    units = UnitYearFigures.objects.filter(
        year=year, centre_id__in=[r.centre_id for r in centre_rows]
    ).values_list("centre_id", "unit_id", "assessed", "competent")
    per_centre = defaultdict(lambda: [0, 0])
    summed = node_figures(
        [(None, "", r.intakes, r.trainees, r.certificates) for r in centre_rows],
        [(None, u, a, k) for c, u, a, k in _tally(units, per_centre)],
    )[(NATIONAL, NATIONAL_CODE)][1]
    places = [
        Place(
            r.centre.code, str(r.centre), 1, r.intakes, r.trainees,
            sum(n for sectors in r.certificates.values() for n in sectors.values()),
            *per_centre[r.centre_id],
        )
        for r in centre_rows
    ]  # fmt: skip
    return places, summed


def _tally(unit_rows, per_centre):
    """Yield ``unit_rows`` (centre, unit, assessed, competent), adding each into ``per_centre``."""
    for centre, unit, assessed, competent in unit_rows:
        per_centre[centre][0] += assessed
        per_centre[centre][1] += competent
        yield centre, unit, assessed, competent


def skills_statistics(*, year: int, state: str | None = None, centres=None) -> Statistics:
    """Return the figures of the nation, of ``state`` (a state node's code) or of ``centres``.

    The nation and a state read their roll-ups (``skills.rollups``); centres (a queryset)
    read their own yearly figures. Equal to ``skills_statistics_live`` with the same node.
    """
    if centres is not None:
        rows = CentreYearFigures.objects.filter(
            year=year, centre_id__in=list(centres.values_list("pk", flat=True))
        ).select_related("centre")
        places, figures = _centre_places(year, rows.order_by("centre__code"))
        return _assemble(year, CENTRES, "", "", figures, places)
    if state is None:
        node = nation_node()
        row = rollup_for(SkillsRollUp, year, node)
        places = sorted(
            (_place_of_rollup(r) for r in child_rollups(SkillsRollUp, year, node)),
            key=lambda p: p.name,
        )
        return _assemble(year, NATIONAL, node.code, node.name, _rollup_figures(row), places)
    node = state_node(state, state)
    row = rollup_for(SkillsRollUp, year, node)
    rows = CentreYearFigures.objects.filter(year=year).select_related("centre")
    if state == SkillsRollUp.NO_STATE:
        rows = rows.filter(centre__state__isnull=True)
    else:
        rows = rows.filter(centre__state__code=state)
    places, _summed = _centre_places(year, rows.order_by("centre__code"))
    name = row.name if row is not None else (state_name(state) or state)
    return _assemble(year, STATE, state, name, _rollup_figures(row), places)


def skills_statistics_live(*, year: int, state: str | None = None, centres=None) -> Statistics:
    """Return the same figures as ``skills_statistics``, aggregated from the records now.

    What the stored figures must equal (the tests compare them); slow on a national
    database (the aggregate over a year's results and certificates).
    """
    from ..services.statistics import live_groups

    scope = Centre.objects.all()
    if centres is not None:
        scope = scope.filter(pk__in=list(centres.values_list("pk", flat=True)))
    elif state == SkillsRollUp.NO_STATE:
        scope = scope.filter(state__isnull=True)
    elif state is not None:
        scope = scope.filter(state__code=state)
    scope = {c.pk: c for c in scope.select_related("state")}
    groups = live_groups(year=year, centre_ids=list(scope))
    certificates = defaultdict(lambda: defaultdict(dict))
    for (centre, kind, sector), n in groups["certificates"].items():
        certificates[centre][kind][str(sector)] = n
    present = set(groups["intakes"]) | set(groups["trainees"]) | set(certificates)
    present |= {c for c, _u in groups["units"]}

    def centre_row(c):
        state = scope[c].state
        return (
            state.code if state else None, state.name if state else "",
            groups["intakes"].get(c, 0), groups["trainees"].get(c, 0), certificates[c],
        )  # fmt: skip

    def state_of(c):
        return scope[c].state.code if scope[c].state else None

    centre_rows = {c: centre_row(c) for c in present}
    if centres is not None or state is not None:
        per_centre = defaultdict(lambda: [0, 0])
        units = list(_tally(((c, u, a, k) for (c, u), (a, k) in groups["units"].items()),
                            per_centre))  # fmt: skip
        figures = node_figures(
            [(None, "", *row[2:]) for row in centre_rows.values()],
            [(None, u, a, k) for _c, u, a, k in units],
        )[(NATIONAL, NATIONAL_CODE)][1]
        places = [
            Place(scope[c].code, str(scope[c]), 1, row[2], row[3],
                  sum(n for sectors in row[4].values() for n in sectors.values()),
                  *per_centre[c])
            for c, row in sorted(centre_rows.items(), key=lambda item: scope[item[0]].code)
        ]  # fmt: skip
        if centres is not None:
            return _assemble(year, CENTRES, "", "", figures, places)
        name = state_name(state) or state
        return _assemble(year, STATE, state, name, figures, places)
    per_state = defaultdict(int)
    for (c, u), (a, k) in groups["units"].items():
        per_state[(state_of(c), u, "a")] += a
        per_state[(state_of(c), u, "k")] += k
    unit_rows = {(s, u) for s, u, _x in per_state}
    nodes = node_figures(
        centre_rows.values(),
        [(s, u, per_state[(s, u, "a")], per_state[(s, u, "k")]) for s, u in unit_rows],
    )
    places = sorted(
        (
            Place(code, name, f["centres"], f["intakes"], f["trainees"], f["certificates"],
                  f["assessed"], f["competent"])
            for (level, code), (name, f) in nodes.items() if level == STATE
        ),
        key=lambda p: p.name,
    )  # fmt: skip
    figures = nodes[(NATIONAL, NATIONAL_CODE)][1]
    return _assemble(year, NATIONAL, NATIONAL_CODE, NATION_NAME, figures, places)


def _assemble(year, level, code, name, figures, places) -> Statistics:
    """The page's figures from a node's (or the centres' summed) figures and its places."""
    counted = {int(u): counts for u, counts in (figures.get("units") or {}).items()}
    names = {
        u["pk"]: u
        for u in CompetencyUnit.objects.filter(pk__in=list(counted)).values(
            "pk", "code", "title_ms", "title_en"
        )
    } if counted else {}  # fmt: skip
    per_unit = sorted(
        (
            {"unit_id": pk, "unit__code": names[pk]["code"],
             "unit__title_ms": names[pk]["title_ms"], "unit__title_en": names[pk]["title_en"],
             "assessed": assessed, "competent": competent, "rate": rate(assessed, competent)}
            for pk, (assessed, competent) in counted.items() if pk in names
        ),
        key=lambda r: r["unit__code"],
    )  # fmt: skip
    by_kind = figures.get("by_kind") or {}
    by_sector = {int(s): n for s, n in (figures.get("by_sector") or {}).items() if n}
    sectors = (
        {s.pk: str(s) for s in Sector.objects.filter(pk__in=list(by_sector))} if by_sector else {}
    )
    return Statistics(
        year=year,
        level=level,
        code=code,
        name=name,
        intakes=figures.get("intakes", 0),
        trainees=figures.get("trainees", 0),
        units=per_unit,
        by_level=[(k, by_kind[k]) for k in rules.KINDS if by_kind.get(k)],
        by_sector=sorted(
            ((sectors.get(s, str(s)), n) for s, n in by_sector.items()), key=lambda r: r[0]
        ),
        places=places,
        total=figures.get("certificates", 0),
    )
