"""What PASR's services announce once a school's data changed (the roll-ups listen).

A service that registers, rates, moderates, transfers or records an absence
calls ``school_changed(school_id, year)`` inside its transaction; each
listener (``SCHOOL_CHANGED``, filled in ``AppConfig.ready``) decides what to
do, e.g. refresh the school's summary and announce a roll-up after commit.
"""

# callables (school_id: int, year: int) -> None
SCHOOL_CHANGED = []


def school_changed(school_id: int, year: int) -> None:
    for callback in SCHOOL_CHANGED:
        callback(school_id, year)
