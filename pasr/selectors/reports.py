"""Reading PASR's reports: candidates' reports, the school's analysis, the officers' dashboards.

Reports read each construct's latest rating (``results.latest_ratings``) in
one query for a whole class. Analyses and dashboards read the summaries and
roll-ups (``pasr.rollups``) only: verified results, never a name, and every
level figure computed from fewer than 3 candidates held back above the
school (domain.md 1.2, ``rules.levels_held_back``).
"""

from dataclasses import dataclass, field

from django.db.models import F, FloatField, IntegerField, Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _

from core.rollups import selectors as rollups
from core.rollups.tables import SchoolTable
from ssqs_portal.hierarchy import NATIONAL_CODE, Node, national_name, under_node

from .. import rules
from ..instrument import instrument
from ..models import Candidate, PasrRollUp, QaVisit, SchoolYear
from ..rollups import empty_figures, running_pasr
from .results import ACTIVE, absences, latest_ratings

# -- a candidate's report (seed 5.1-5.3) --------------------------------------------------


@dataclass
class ConstructLine:
    code: str
    name: str
    level: str = ""  # "" until rated
    stage: str = ""
    absent: bool = False

    @property
    def level_name(self):
        return rules.LEVEL_NAMES.get(self.level, "")

    @property
    def descriptor(self):
        return rules.DESCRIPTORS.get(self.level, "")

    @property
    def stage_name(self):
        return rules.STAGE_NAMES.get(self.stage, "")


@dataclass
class SubjectBlock:
    code: str
    name: str
    component: str  # Kemahiran Hidup's component the candidate chose ("" otherwise)
    lines: list = field(default_factory=list)


@dataclass
class InstrumentBlock:
    code: str
    name: str
    absent: bool
    subjects: list = field(default_factory=list)


@dataclass
class CandidateReport:
    candidate: Candidate
    instruments: list
    stage: str  # the lowest stage of any construct (rules.report_stage)

    @property
    def final(self) -> bool:
        return self.stage == rules.VERIFIED

    @property
    def masked_id(self) -> str:
        return rules.mask_id(self.candidate.id_number)


def candidate_reports(candidates) -> list[CandidateReport]:
    """Return the report of each candidate (a list of Candidate), in two queries for them all."""
    candidates = list(candidates)
    ids = [c.pk for c in candidates]
    latest = latest_ratings(ids)
    away = absences(ids)
    return [_report(c, latest, away) for c in candidates]


def _report(candidate, latest, away) -> CandidateReport:
    blocks, stages = [], []
    for inst in instrument().instruments:
        absent = (candidate.pk, inst.code) in away
        block = InstrumentBlock(inst.code, inst.name, absent)
        for subject in inst.subjects:
            component = subject.component_name(candidate.kh_component) if subject.components else ""
            sub = SubjectBlock(subject.code, subject.name, component)
            for construct in subject.constructs:
                rating = latest.get((candidate.pk, construct.code))
                line = ConstructLine(construct.code, construct.name, absent=absent)
                if rating is not None:
                    line.level, line.stage = rating.level, rating.stage
                if not absent:
                    stages.append(line.stage)
                sub.lines.append(line)
            block.subjects.append(sub)
        blocks.append(block)
    return CandidateReport(candidate, blocks, rules.report_stage(stages))


def class_candidates(*, school, year: int, class_name: str | None = None):
    """Return the candidates sitting PASR at the school (one class if named), by class and name."""
    rows = Candidate.objects.filter(school=school, year=year, status__in=ACTIVE).select_related(
        "school__district__state"
    )
    if class_name:
        rows = rows.filter(class_name=class_name)
    return list(rows.order_by("class_name", "name", "pk"))


def classes_of(*, school, year: int) -> list[tuple[str, int]]:
    """Return [(class name, candidates)] of the school's candidates sitting PASR."""
    from django.db.models import Count

    return list(
        Candidate.objects.filter(school=school, year=year, status__in=ACTIVE)
        .values_list("class_name")
        .annotate(n=Count("id"))
        .order_by("class_name")
    )


# -- analyses: levels per construct ---------------------------------------------------------


@dataclass
class LevelCell:
    count: int | None  # None: held back
    share: object  # Decimal percent, or None (held back or nothing verified)

    @property
    def held_back(self) -> bool:
        return self.count is None


@dataclass
class ConstructRow:
    code: str
    name: str
    subject: str
    instrument: str
    verified: int
    cells: dict  # level -> LevelCell (this school or node)
    compare: dict = field(default_factory=dict)  # "state"/"national" -> {level: LevelCell}


def level_cells(counts: dict, *, hold_back: bool) -> dict:
    """Return {level: LevelCell} of one construct's verified counts, small cells held back."""
    counts = {level: int((counts or {}).get(level) or 0) for level in rules.LEVELS}
    hidden = rules.levels_held_back(counts) if hold_back else frozenset()
    shares = rules.level_shares(counts)
    return {
        level: LevelCell(None, None) if level in hidden else LevelCell(counts[level], shares[level])
        for level in rules.LEVELS
    }


def construct_rows(levels: dict, *, hold_back: bool, compare=None) -> list[ConstructRow]:
    """Return one row per construct of ``levels`` ({construct: {level: n}}), in the seed's order.

    ``compare``: {name: levels of another node}, held back the same way always
    (a node's small cells are other schools' pupils).
    """
    rows = []
    for inst in instrument().instruments:
        for subject in inst.subjects:
            for construct in subject.constructs:
                counts = (levels or {}).get(construct.code) or {}
                row = ConstructRow(
                    construct.code,
                    construct.name,
                    subject.name,
                    inst.name,
                    sum(int(counts.get(level) or 0) for level in rules.LEVELS),
                    level_cells(counts, hold_back=hold_back),
                )
                for name, other in (compare or {}).items():
                    row.compare[name] = level_cells(
                        (other or {}).get(construct.code) or {}, hold_back=True
                    )
                rows.append(row)
    return rows


def school_year_of(*, school, year: int):
    """Return the school's summary row of ``year`` (None before any service wrote one)."""
    return SchoolYear.objects.filter(school=school, year=year).first()


def comparison_nodes(*, school, year: int) -> dict:
    """Return {"state": PasrRollUp or None, "national": ...} of the school's state and the nation.

    One query for both rows.
    """
    state_code = school.district.state.code
    found = {
        (r.level, r.code): r
        for r in PasrRollUp.objects.filter(period=year).filter(
            Q(level="state", code=state_code) | Q(level="national", code=NATIONAL_CODE)
        )
    }
    return {
        "state": found.get(("state", state_code)),
        "national": found.get(("national", NATIONAL_CODE)),
    }


def school_analysis(*, school, year: int, own_school: bool) -> dict:
    """Return the school's levels per construct against its state and the nation.

    ``own_school``: the school's own staff see every figure of their school;
    anyone above it sees small cells held back.
    """
    summary = school_year_of(school=school, year=year)
    figures = summary.figures if summary and summary.figures else empty_figures()
    nodes = comparison_nodes(school=school, year=year)
    rows = construct_rows(
        figures.get("levels") or {},
        hold_back=not own_school,
        compare={name: (node.levels if node else {}) for name, node in nodes.items()},
    )
    return {
        "summary": summary,
        "figures": figures,
        "rows": rows,
        "nodes": nodes,
        "held_back": any(
            cell.held_back
            for row in rows
            for cells in (row.cells, *row.compare.values())
            for cell in cells.values()
        ),
    }


def analysis_export_rows(rows: list[ConstructRow], held_back_text: str):
    """Yield the analysis as spreadsheet rows: construct, verified, then count and % per level."""
    for row in rows:
        values = [row.instrument, row.subject, row.code, row.name, row.verified]
        for cells in (row.cells, row.compare.get("state", {}), row.compare.get("national", {})):
            for level in rules.LEVELS:
                cell = cells.get(level)
                if cell is None or cell.held_back:
                    values.append(held_back_text if cell is not None else "")
                else:
                    values.append(cell.share)
        yield values


def analysis_export_headers(state_name: str) -> list:
    headers = [_("Instrument"), _("Subject"), _("Construct code"), _("Construct"), _("Verified")]
    for where in (_("This school"), state_name, national_name()):
        for level in rules.LEVELS:
            headers.append(f"{where}: {rules.LEVEL_NAMES[level]} (%)")
    return headers


# -- officers' dashboards ---------------------------------------------------------------------


def _int(*path):
    return Cast(KT("__".join(("figures", *path))), IntegerField())


VERIFIED_SHARE = Cast(_int("verified"), FloatField()) / NullIf(_int("expected"), Value(0))


def node_schools(year: int, node: Node):
    """The school years under ``node`` that run PASR, with their figures as columns."""
    rows = SchoolYear.objects.filter(year=year).filter(running_pasr())
    return under_node(rows, node).annotate(
        n_expected=_int("expected"),
        n_rated=_int("rated"),
        n_moderated=_int("moderated"),
        n_verified=_int("verified"),
        n_unrated=_int("expected") - _int("rated"),
        n_qa=_int("qa", rules.MENTORING)
        + _int("qa", rules.MONITORING)
        + _int("qa", rules.COORDINATION)
        + _int("qa", rules.DETECTION),
        verified_share=VERIFIED_SHARE,
    )


def schools_behind(year: int, node: Node, limit: int = 50) -> list:
    """Return the schools under ``node`` whose candidates' results are not all verified.

    The fewest verified first (one query): those to follow up once the window
    has closed.
    """
    return list(
        node_schools(year, node)
        .filter(candidates__gt=0, n_expected__gt=F("n_verified"))
        .select_related("school", "district")
        .order_by(F("verified_share").asc(nulls_first=True), "school__code")[:limit]
    )


def node_levels(rollup) -> list[ConstructRow]:
    """A node's levels per construct (verified), small cells held back."""
    return construct_rows(rollup.levels if rollup else {}, hold_back=True)


def years_available() -> list[int]:
    return list(PasrRollUp.objects.order_by("-period").values_list("period", flat=True).distinct())


def child_rollups(year: int, node: Node) -> list:
    return rollups.child_rollups(PasrRollUp, year, node)


def rollup_for(year: int, node: Node):
    return rollups.rollup_for(PasrRollUp, year, node)


def qa_visits(*, school, year: int, limit: int | None = None) -> list:
    rows = QaVisit.objects.filter(school=school, year=year).select_related("recorded_by")
    return list(rows[:limit] if limit else rows)


RUNS = {
    "ppki": Q(school__has_ppki=True),
    "inclusive": Q(partial_inclusive=True),
}
SCHOOL_TABLE = SchoolTable(
    sorts={
        "candidates": F("candidates").desc(),
        "verified": F("verified_share").asc(nulls_first=True),
        "-verified": F("verified_share").desc(nulls_last=True),
    },
    filters={
        "runs": RUNS,
        "registered": {"none": Q(candidates=0), "some": Q(candidates__gt=0)},
        "results": {
            "behind": Q(candidates__gt=0, n_expected__gt=F("n_verified")),
            "verified": Q(candidates__gt=0, n_expected=F("n_verified")),
        },
    },
    columns=[
        (_("PPKI programme"), "school__has_ppki"),
        (_("Partial inclusive education"), "partial_inclusive"),
        (_("Candidates"), "candidates"),
        (_("Results expected"), "n_expected"),
        (_("Results given"), "n_rated"),
        (_("Moderated"), "n_moderated"),
        (_("Verified"), "n_verified"),
        (_("Quality-assurance visits"), "n_qa"),
    ],
)
