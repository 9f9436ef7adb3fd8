"""The review workflow's rules, for every programme. Pure: dates and states in, answers out.

docs/domain.md:
- SSQS (1): "filling and monitoring in August (dates configurable per cycle;
  outside the window the cycle is read-only unless an officer reopens it)".
- PIBK (3): "Collection windows: KPI 1 by 31 March (A, B), 31 July (C, D),
  30 November (E, F); KPI 2 by 31 May and 30 November. The district task
  force receives, checks and verifies school data".
- PASR (2): "Verified results are locked; reopening needs a reason."

So: a subject is open for entry inside its window's dates, and after them
only while an officer's reopening lasts; verified data is locked whatever
the dates (to change it, the officer returns it first, then reopens it if
the window has closed). Submitting says "ready to check" and locks nothing.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# States of a subject. An act's name is the state it leads to.
OPEN = "open"
SUBMITTED = "submitted"
VERIFIED = "verified"
RETURNED = "returned"
REOPENED = "reopened"
STATES = (OPEN, SUBMITTED, VERIFIED, RETURNED, REOPENED)

SUBMIT, VERIFY, RETURN, REOPEN = SUBMITTED, VERIFIED, RETURNED, REOPENED
ACTS = (SUBMIT, VERIFY, RETURN, REOPEN)

# act -> the states it may start from.
ALLOWED_FROM = {
    SUBMIT: {OPEN, RETURNED, REOPENED},
    VERIFY: {OPEN, SUBMITTED, RETURNED, REOPENED},
    RETURN: {OPEN, SUBMITTED, VERIFIED, RETURNED, REOPENED},
    REOPEN: {OPEN, SUBMITTED, RETURNED, REOPENED},
}

# Why an act is refused from a state (act, state) -> message.
REFUSED = {
    (SUBMIT, SUBMITTED): _("This data has already been submitted."),
    (SUBMIT, VERIFIED): _("This data is verified: there is nothing to submit."),
    (VERIFY, VERIFIED): _("This data is already verified."),
    (REOPEN, VERIFIED): _("Verified data is locked: return it to the school instead."),
}
NEEDS_COMMENT = _("Say why the data is returned: the school reads the comment.")
NEEDS_DATE = _("The reopening date must be today or later.")
UNKNOWN_ACT = _("Choose verify or return.")


def refusal(act: str, state: str, *, comment: str = "", until=None, today=None):
    """Return why ``act`` may not be done on a subject in ``state`` (a message), or None.

    A return needs a comment (the school reads it); a reopening needs a
    date, today or later.
    """
    if act not in ALLOWED_FROM:
        return UNKNOWN_ACT
    if state not in ALLOWED_FROM[act]:
        return REFUSED.get((act, state), _("This act is not allowed now."))
    if act == RETURN and not (comment or "").strip():
        return NEEDS_COMMENT
    if act == REOPEN and (until is None or today is None or until < today):
        return NEEDS_DATE
    return None


def allowed(act: str, state: str) -> bool:
    """Return whether ``act`` may start from ``state`` (a page shows its button only then)."""
    return state in ALLOWED_FROM.get(act, ())


def next_state(act: str) -> str:
    """Return the state an allowed act leads to (its own name)."""
    return act


@dataclass(frozen=True)
class EntryState:
    """Whether a school may change a subject's data on a day, and why (not)."""

    open: bool
    reason: str  # "open", "reopened", "verified", "not_yet", "closed"
    until: datetime.date | None = None  # the last day it stays open, when open


def entry_state(
    *,
    today: datetime.date,
    closes_on: datetime.date,
    opens_on: datetime.date | None = None,
    state: str = OPEN,
    reopened_until: datetime.date | None = None,
) -> EntryState:
    """Return whether the school may change the subject's data ``today``.

    Verified data is locked. Otherwise it is open from ``opens_on`` (no
    start: open from the first day) through ``closes_on``, both inclusive,
    and at any other time only while an officer's reopening lasts
    (``reopened_until``, inclusive).
    """
    if state == VERIFIED:
        return EntryState(False, "verified")
    if (opens_on is None or opens_on <= today) and today <= closes_on:
        return EntryState(True, "open", closes_on)
    if reopened_until is not None and today <= reopened_until:
        return EntryState(True, "reopened", reopened_until)
    if opens_on is not None and today < opens_on:
        return EntryState(False, "not_yet")
    return EntryState(False, "closed")
