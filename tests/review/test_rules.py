"""The review workflow's rules (core.review.rules, pure), quoting docs/domain.md."""

import datetime

import pytest

from core.review.rules import (
    OPEN,
    REOPEN,
    REOPENED,
    RETURN,
    RETURNED,
    SUBMIT,
    SUBMITTED,
    VERIFIED,
    VERIFY,
    entry_state,
    refusal,
)
from core.review.rules import (
    allowed as rules_allowed,
)

D = datetime.date
AUG_1, AUG_31 = D(2026, 8, 1), D(2026, 8, 31)


# SSQS (domain.md 1): "filling and monitoring in August (dates configurable per
# cycle; outside the window the cycle is read-only unless an officer reopens it)".
# PASR (2): "Verified results are locked".
@pytest.mark.parametrize(
    ("today", "state", "reopened_until", "expected"),
    [
        (D(2026, 7, 31), OPEN, None, (False, "not_yet", None)),
        (AUG_1, OPEN, None, (True, "open", AUG_31)),  # the first day is open
        (AUG_31, OPEN, None, (True, "open", AUG_31)),  # so is the last
        (D(2026, 9, 1), OPEN, None, (False, "closed", None)),
        (D(2026, 9, 1), REOPENED, D(2026, 9, 5), (True, "reopened", D(2026, 9, 5))),
        (D(2026, 9, 5), REOPENED, D(2026, 9, 5), (True, "reopened", D(2026, 9, 5))),
        (D(2026, 9, 6), REOPENED, D(2026, 9, 5), (False, "closed", None)),
        (D(2026, 7, 20), REOPENED, D(2026, 7, 25), (True, "reopened", D(2026, 7, 25))),
        (D(2026, 8, 10), VERIFIED, None, (False, "verified", None)),  # locked in the window
        (D(2026, 9, 2), VERIFIED, D(2026, 9, 5), (False, "verified", None)),
        (D(2026, 8, 10), RETURNED, None, (True, "open", AUG_31)),  # back to the school
        (D(2026, 9, 2), RETURNED, None, (False, "closed", None)),  # ... but the window closed
        (D(2026, 9, 2), RETURNED, D(2026, 9, 3), (True, "reopened", D(2026, 9, 3))),
        (D(2026, 8, 10), SUBMITTED, None, (True, "open", AUG_31)),  # submitting locks nothing
    ],
)
def test_entry_is_open_in_the_window_or_while_reopened_and_never_once_verified(
    today, state, reopened_until, expected
):
    result = entry_state(
        today=today, opens_on=AUG_1, closes_on=AUG_31, state=state, reopened_until=reopened_until
    )
    assert (result.open, result.reason, result.until) == expected


def test_a_window_with_no_start_is_open_from_the_first_day_to_its_deadline():
    """PIBK (3): "KPI 1 by 31 March (A, B)": no opening date, only a deadline."""
    march_31 = D(2026, 3, 31)
    assert entry_state(today=D(2026, 1, 1), closes_on=march_31).open
    assert entry_state(today=march_31, closes_on=march_31).open
    assert entry_state(today=D(2026, 4, 1), closes_on=march_31).reason == "closed"


TODAY = D(2026, 9, 1)


@pytest.mark.parametrize(
    ("act", "state", "allowed"),
    [
        (SUBMIT, OPEN, True), (SUBMIT, RETURNED, True), (SUBMIT, REOPENED, True),
        (SUBMIT, SUBMITTED, False), (SUBMIT, VERIFIED, False),
        (VERIFY, OPEN, True), (VERIFY, SUBMITTED, True), (VERIFY, RETURNED, True),
        (VERIFY, REOPENED, True), (VERIFY, VERIFIED, False),
        (RETURN, OPEN, True), (RETURN, SUBMITTED, True), (RETURN, VERIFIED, True),
        (RETURN, RETURNED, True), (RETURN, REOPENED, True),
        (REOPEN, OPEN, True), (REOPEN, SUBMITTED, True), (REOPEN, RETURNED, True),
        (REOPEN, REOPENED, True), (REOPEN, VERIFIED, False),
    ],
)  # fmt: skip
def test_which_acts_are_allowed_from_which_state(act, state, allowed):
    why = refusal(act, state, comment="semak", until=TODAY, today=TODAY)
    assert (why is None) == allowed, why
    # A page shows an act's button from the same table ("submitted" only when
    # open, returned or reopened: a returned subject is submitted again).
    assert rules_allowed(act, state) is allowed


@pytest.mark.parametrize(
    ("act", "state", "comment", "until", "message"),
    [
        (VERIFY, VERIFIED, "", None, "already verified"),
        (REOPEN, VERIFIED, "", TODAY, "return it to the school instead"),
        (SUBMIT, SUBMITTED, "", None, "already been submitted"),
        (RETURN, VERIFIED, "  ", None, "the school reads the comment"),  # a return needs why
        (REOPEN, RETURNED, "", TODAY - datetime.timedelta(days=1), "today or later"),
        (REOPEN, OPEN, "", None, "today or later"),
        ("delete", OPEN, "", None, "Choose verify or return"),
    ],
)
def test_a_refusal_says_why(act, state, comment, until, message):
    from django.utils import translation

    with translation.override("en"):
        assert message in str(refusal(act, state, comment=comment, until=until, today=TODAY))
