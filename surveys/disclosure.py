"""What of a school's SSQS breakdown an officer above the school may see (domain.md 1.2).

"Small cells: a breakdown shown above the school itself (to an officer) never
shows a category figure computed from fewer than 3 respondents on its own
(one administrator, one coordinator): such figures are merged or suppressed,
and the page says so. The school's own result may show them."

Pure: respondent counts in, the categories to hold back out.

Suppressed, not merged. A normal roster has exactly one administrator and one
coordinator, so "Administrator & ICT coordinator" is a cell of two: still
below 3, and each of the two, knowing their own answers, would read the
other's from it. A merge reaches 3 only while a third category is itself
small (early in the window), and a pooled figure beside the published
indicator score (a plain mean of the per-category percents) gives a second
equation over the same few people, whose points are small bounded integers:
together they can pin one person down. Holding the figures back is simpler
to check and gives nothing away.

Complementary cells. The indicator score stays on the page (it is the rating
itself); it is the mean of its categories' percents, so from the score and
every category but the held-back ones, the held-back ones' sum follows by
subtraction. That sum must itself come from at least 3 respondents, so while
the held-back categories of an indicator count fewer than 3 respondents
together, the shown category with the fewest respondents is held back too.
A domain's figures add up to its indicator's, so a domain holds back the
categories its indicator holds back.
"""

from .instrument import CATEGORIES

SMALL_CELL_MIN = 3


def held_back(categories, respondents: dict) -> frozenset:
    """Return the categories of one indicator whose figures an officer may not see.

    ``categories`` are the indicator's categories (those its questions are asked
    of); ``respondents`` maps a category to its completed respondents (None or
    missing: not known, held back). A category with no completed respondent has
    no figure and is left out of the indicator's mean: nothing to hold back.
    """
    order = {category: i for i, category in enumerate(CATEGORIES)}
    counts = {c: respondents.get(c) for c in sorted(categories, key=lambda c: order.get(c, 99))}
    hidden = {c for c, n in counts.items() if n is None or 0 < n < SMALL_CELL_MIN}
    if any(counts[c] is None for c in hidden):
        # An unknown count could be anything: the sum of the rest tells nothing safe.
        return frozenset(c for c, n in counts.items() if n != 0)
    shown = [c for c, n in counts.items() if n and c not in hidden]
    while hidden and shown and sum(counts[c] for c in hidden) < SMALL_CELL_MIN:
        smallest = min(shown, key=lambda c: counts[c])  # ties: the first in roster order
        shown.remove(smallest)
        hidden.add(smallest)
    return frozenset(hidden)


def held_back_by_indicator(indicator_categories: dict, respondents: dict) -> dict:
    """Return indicator -> the categories held back from an officer (``held_back`` for each)."""
    return {
        indicator: held_back(categories, respondents)
        for indicator, categories in indicator_categories.items()
    }


def sees_own_school(user, school) -> bool:
    """Return whether ``user`` sees ``school``'s result as the school itself.

    The school's own accounts (its coordinator's code login, and school staff
    accounts as they come) may see every figure; everyone above the school
    (officers, ministry administrators) sees the officer's view.
    """
    from core.people.access import can

    return can(user, "ssqs.results.full", school)
