"""SPMI's rules, pure (no ORM): the descriptor scale, what the data says, divergence, closing.

domain.md 5: "An action cannot close without evidence and a re-measured
figure; one not met rolls into the next cycle." Issue 18: "a divergence view
sets the school's own rating beside the data (e.g. rates ICT use high while
its SSQS is 2 stars) and asks for a justification"; "overdue actions flagged".
"""

import datetime
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

EVIDENCE = "evidence"  # an indicator the school shows with its own evidence

# The descriptor scale the quality team rates each criterion on.
LEVELS = (1, 2, 3, 4)
LEVEL_NAMES = {
    1: _("Not yet meeting the standard"),
    2: _("Developing towards the standard"),
    3: _("Meeting the standard"),
    4: _("Exceeding the standard"),
}
# Lazy: the label is read in the language of the page (and migrations stay language-free).
LEVEL_CHOICES = [(level, format_lazy("{} · {}", level, LEVEL_NAMES[level])) for level in LEVELS]

# What a portal figure says on the same scale. Percent-like figures (0-100):
# below 40 -> 1, below 60 -> 2, below 80 -> 3, else 4. SSQS stars: 1-2 -> 1,
# 3 -> 2, 4 -> 3, 5 -> 4. PIBK KPI 1 reach (1 yes / 0 no): reaches -> 3, not -> 1.
PERCENT_BANDS = ((Decimal(40), 1), (Decimal(60), 2), (Decimal(80), 3))
STAR_LEVELS = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
DIVERGENCE = 2  # a rating this far from the data asks for a justification


def data_level(source: str, value) -> int | None:
    """Return the descriptor level a portal figure points to (None: no figure, or evidence)."""
    if value is None or source == EVIDENCE:
        return None
    value = Decimal(value)
    if source == "ssqs.stars":
        return STAR_LEVELS.get(int(value))
    if source == "pibk.kpi1":
        return 3 if value >= 1 else 1
    for bound, level in PERCENT_BANDS:
        if value < bound:
            return level
    return 4


def criterion_data_level(levels) -> int | None:
    """Return the data's level for a criterion: the mean of its indicators' levels, halves down.

    Halves down so a criterion the data half supports is not called high.
    """
    levels = [level for level in levels if level is not None]
    if not levels:
        return None
    return sum(levels) // len(levels)


def diverges(rating: int | None, data: int | None) -> bool:
    """Whether the school's own rating is DIVERGENCE or more away from what the data says."""
    return rating is not None and data is not None and abs(rating - data) >= DIVERGENCE


def closing_refusals(*, evidence: str, remeasured) -> list:
    """Return why an action may not close (empty: it may). Both are required."""
    refusals = []
    if not (evidence or "").strip():
        refusals.append(("evidence", _("Write the evidence that the action was carried out.")))
    if remeasured is None:
        refusals.append(("remeasured", _("An action closes only with a re-measured figure.")))
    return refusals


def target_met(*, remeasured, target) -> bool:
    """Whether the re-measured figure reaches the target (targets are 'at least')."""
    return remeasured is not None and Decimal(remeasured) >= Decimal(target)


def is_overdue(*, status: str, target_date: datetime.date, today: datetime.date) -> bool:
    """An open action past its target date."""
    return status == "open" and target_date < today
