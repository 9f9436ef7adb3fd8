"""Reading a cycle's self-evaluation: standards, criteria, figures, ratings, divergence.

A fixed number of queries whatever the size of the standard set.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import translation

from .. import rules
from ..models import (
    Action,
    Criterion,
    CriterionRating,
    Cycle,
    EvidenceFile,
    Figure,
    HeldLevel,
    Indicator,
    Standard,
)


def name_of(row) -> str:
    """The row's name in the page's language (Malay first)."""
    return row.name_en if translation.get_language() == "en" else row.name_ms


@dataclass
class IndicatorRow:
    indicator: Indicator
    name: str
    current: object = None
    previous: object = None
    level: int | None = None
    held: object = None  # step 5 of the last cycle: the level the school holds itself to

    @property
    def below_held(self):
        return self.held is not None and self.current is not None and self.current < self.held


@dataclass
class CriterionRow:
    criterion: Criterion
    name: str
    indicators: list = field(default_factory=list)
    rating: CriterionRating | None = None
    data_level: int | None = None
    previous_data_level: int | None = None

    @property
    def diverges(self):
        return rules.diverges(self.rating.level if self.rating else None, self.data_level)

    @property
    def needs_justification(self):
        return self.diverges and not (self.rating.justification or "").strip()


@dataclass
class StandardRow:
    standard: Standard
    name: str
    criteria: list = field(default_factory=list)


def evaluation(cycle: Cycle) -> list:
    """Return the cycle's standards, each with its criteria, figures and rating (5 queries)."""
    standards = list(Standard.objects.filter(standard_set_id=cycle.standard_set_id))
    criteria = list(Criterion.objects.filter(standard__standard_set_id=cycle.standard_set_id))
    indicators = list(
        Indicator.objects.filter(criterion__standard__standard_set_id=cycle.standard_set_id)
    )
    figures = {f.indicator_id: f for f in Figure.objects.filter(cycle=cycle)}
    ratings = {r.criterion_id: r for r in CriterionRating.objects.filter(cycle=cycle)}
    files = {}
    for f in EvidenceFile.objects.filter(rating__cycle=cycle):  # one query, rated or not
        files.setdefault(f.rating_id, []).append(f)
    for r in ratings.values():
        r.evidence_files = files.get(r.pk, [])
    held = dict(HeldLevel.objects.filter(cycle=cycle).values_list("indicator_code", "level"))
    by_criterion = {}
    for i in indicators:
        f = figures.get(i.pk)
        current, previous = (f.current, f.previous) if f else (None, None)
        by_criterion.setdefault(i.criterion_id, []).append(
            IndicatorRow(
                i,
                name_of(i),
                current,
                previous,
                rules.data_level(i.source, current),
                held.get(i.code),
            )
        )
    by_standard = {}
    for c in criteria:
        rows = by_criterion.get(c.pk, [])
        by_standard.setdefault(c.standard_id, []).append(
            CriterionRow(
                c,
                name_of(c),
                rows,
                ratings.get(c.pk),
                rules.criterion_data_level(r.level for r in rows),
                rules.criterion_data_level(
                    rules.data_level(r.indicator.source, r.previous) for r in rows
                ),
            )
        )
    return [StandardRow(s, name_of(s), by_standard.get(s.pk, [])) for s in standards]


def criterion_row(cycle: Cycle, criterion: Criterion) -> CriterionRow:
    for standard in evaluation(cycle):
        for row in standard.criteria:
            if row.criterion.pk == criterion.pk:
                return row
    raise LookupError(criterion.pk)


def criteria_rows(standards) -> list:
    return [row for s in standards for row in s.criteria]


def unrated(standards) -> list:
    return [row for row in criteria_rows(standards) if row.rating is None]


def actions_of(cycle: Cycle):
    return list(
        Action.objects.filter(cycle=cycle)
        .select_related("criterion", "indicator", "rolled_from")
        .order_by("criterion__order", "target_date", "pk")
    )


def overdue(actions, today: datetime.date) -> list:
    return [
        a
        for a in actions
        if rules.is_overdue(status=a.status, target_date=a.target_date, today=today)
    ]


@dataclass
class Movement:
    code: str
    name: str
    rating_before: int | None
    rating_now: int | None
    data_before: int | None
    data_now: int | None
    actions: int = 0
    met: int = 0


def movement(cycle: Cycle, standards) -> list:
    """The year's movement per criterion: last cycle's rating and this one's (matched by code,
    across versions), what the figures said a year ago and now, and the actions met (2 queries).
    """
    before = dict(
        CriterionRating.objects.filter(cycle__school_id=cycle.school_id,
                                       cycle__year=cycle.year - 1)
        .values_list("criterion__code", "level")
    )  # fmt: skip
    counts = {}
    for criterion_id, status in Action.objects.filter(cycle=cycle).values_list(
        "criterion_id", "status"
    ):
        total, met = counts.get(criterion_id, (0, 0))
        counts[criterion_id] = (total + 1, met + (status == Action.Status.MET))
    out = []
    for row in criteria_rows(standards):
        total, met = counts.get(row.criterion.pk, (0, 0))
        out.append(Movement(row.criterion.code, row.name, before.get(row.criterion.code),
                            row.rating.level if row.rating else None, row.previous_data_level,
                            row.data_level, total, met))  # fmt: skip
    return out
