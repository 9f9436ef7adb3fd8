"""The executive report's rules (skills/executive_rules.py), table by table.

"An intake is overdue for verification when its training ended more than 60 days ago and
it is not yet verified (open, submitted or returned)." "An accreditation in force or
suspended whose expiry falls in the calendar quarter of today", and beside them those
expired before the quarter with an intake still not verified.
"""

import datetime
from decimal import Decimal

import pytest

from skills import executive_rules as x

D = datetime.date
TODAY = D(2026, 11, 26)


@pytest.mark.parametrize(
    ("state", "ends_on", "overdue", "why"),
    [
        ("open", D(2026, 9, 26), True, "ended 61 days ago, never submitted"),
        ("open", D(2026, 9, 27), False, "ended exactly 60 days ago: not yet overdue"),
        ("submitted", D(2026, 1, 1), True, "waiting for the PPL for most of a year"),
        ("returned", D(2026, 8, 1), True, "returned and not sent back"),
        ("verified", D(2025, 1, 1), False, "verified: done, however old"),
        ("submitted", D(2026, 11, 25), False, "ended yesterday"),
        ("open", D(2027, 3, 1), False, "still running"),
        ("open", D(2026, 9, 25), True, "62 days"),
    ],
)
def test_overdue_for_verification(state, ends_on, overdue, why):
    assert x.verification_overdue(state=state, ends_on=ends_on, today=TODAY) is overdue, why


@pytest.mark.parametrize(
    ("ends_on", "days"),
    [(D(2026, 9, 26), 1), (D(2026, 9, 27), 0), (D(2026, 8, 27), 31), (D(2025, 9, 27), 365)],
)
def test_days_overdue(ends_on, days):
    assert x.days_overdue(ends_on=ends_on, today=TODAY) == days


@pytest.mark.parametrize(
    ("state", "holder"),
    [("open", "The centre: not yet submitted"),
     ("submitted", "The external verifier (PPL): not yet verified"),
     ("returned", "The centre: returned by the PPL, not sent back"), ("verified", None)],
)  # fmt: skip
def test_who_must_act(state, holder):
    found = x.holder(state)
    assert (str(found) if found is not None else None) == holder


@pytest.mark.parametrize(
    ("today", "first", "last", "label"),
    [
        (D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31), "Q1 2026"),
        (D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31), "Q1 2026"),
        (D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30), "Q2 2026"),
        (D(2026, 8, 15), D(2026, 7, 1), D(2026, 9, 30), "Q3 2026"),
        (D(2026, 11, 26), D(2026, 10, 1), D(2026, 12, 31), "Q4 2026"),
        (D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31), "Q4 2026"),
        (D(2028, 2, 29), D(2028, 1, 1), D(2028, 3, 31), "Q1 2028"),
    ],
)
def test_calendar_quarter(today, first, last, label):
    assert x.quarter_bounds(today) == (first, last)
    assert x.quarter_label(today) == label


@pytest.mark.parametrize(
    ("state", "expires_on", "listed", "why"),
    [
        ("approved", D(2026, 12, 31), True, "last day of the quarter"),
        ("approved", D(2026, 10, 1), True, "expired earlier in the quarter: still listed"),
        ("approved", D(2026, 9, 30), False, "expired last quarter"),
        ("approved", D(2027, 1, 1), False, "next quarter"),
        ("suspended", D(2026, 11, 30), True, "suspended ones expire too"),
        ("revoked", D(2026, 11, 30), False, "revoked: ended already"),
        ("applied", D(2026, 11, 30), False, "never in force"),
        ("refused", D(2026, 11, 30), False, "never in force"),
        ("approved", None, False, "no expiry"),
    ],
)
def test_expires_this_quarter(state, expires_on, listed, why):
    assert x.expires_this_quarter(state=state, expires_on=expires_on, today=TODAY) is listed, why


@pytest.mark.parametrize(
    ("state", "expires_on", "open_intakes", "listed"),
    [
        ("approved", D(2026, 9, 30), 1, True),
        ("approved", D(2026, 9, 30), 0, False),
        ("approved", D(2026, 10, 2), 3, False),  # this quarter: in the other list
        ("suspended", D(2025, 1, 1), 2, True),
        ("revoked", D(2025, 1, 1), 2, False),
        ("approved", None, 2, False),
    ],
)
def test_expired_with_open_intakes(state, expires_on, open_intakes, listed):
    found = x.expired_with_open_intakes(
        state=state, expires_on=expires_on, open_intakes=open_intakes, today=TODAY
    )
    assert found is listed


@pytest.mark.parametrize(
    ("now", "before", "change"),
    [(110, 100, Decimal("10.0")), (90, 100, Decimal("-10.0")), (5, 0, None), (0, 0, None),
     (1, 3, Decimal("-66.7")), (2, 3, Decimal("-33.3")), (201, 200, Decimal("0.5")),
     (1001, 2000, Decimal("-50.0"))],
)  # fmt: skip
def test_change_on_last_year(now, before, change):
    assert x.change(now, before) == change


@pytest.mark.parametrize(
    ("today", "same"),
    [(D(2026, 11, 26), D(2025, 11, 26)), (D(2028, 2, 29), D(2027, 2, 28)),
     (D(2026, 1, 1), D(2025, 1, 1))],
)  # fmt: skip
def test_same_day_last_year(today, same):
    assert x.same_day_last_year(today) == same
