"""Which marked schools the periodic task recomputes (pure: no database)."""

import datetime
from collections.abc import Iterable

# A mark younger than this is left to the debounced task its save enqueued
# (it runs RATING_DEBOUNCE_SECONDS after the save); the next periodic run
# takes it if that task never came.
SETTLE = datetime.timedelta(seconds=30)


def schools_to_recompute(
    marks: Iterable[tuple[int, int, datetime.datetime]],
    *,
    now: datetime.datetime,
    settle: datetime.timedelta = SETTLE,
) -> dict[int, list[int]]:
    """Return {cycle id: sorted school ids} of the marks (cycle, school, marked_at) that are due.

    A mark is due once it is ``settle`` old. Every due mark is taken, whatever
    its cycle; a school marked twice is recomputed once.
    """
    due: dict[int, set[int]] = {}
    for cycle_id, school_id, marked_at in marks:
        if marked_at <= now - settle:
            due.setdefault(cycle_id, set()).add(school_id)
    return {cycle_id: sorted(schools) for cycle_id, schools in sorted(due.items())}
