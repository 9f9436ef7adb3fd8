"""The executive report's rules (Modul Laporan Eksekutif, seed 004). Pure: facts in, answers out.

Seed 004 names the module ("Menjana dan memaparkan laporan terperingkat untuk kegunaan
pihak pengurusan"), not its rules; these are the portal's, written where the page says them.

**Overdue for verification.** "An intake is overdue for verification when its training
ended more than ``VERIFICATION_DUE_DAYS`` (60) days ago and it is not yet verified (open,
submitted or returned)." A centre is overdue when it has at least one such intake. Why
the intake's end and not its submission: an intake the centre never submits is the most
common way verification stalls, and a rule on the submission day would never count it;
the end date is recorded for every intake (no submission day is kept), so the same rule
covers the centre that has not submitted, the verifier (PPL) who has not verified and the
intake returned and not sent back. Sixty days: the last assessments, the centre's
submission and the PPL's visit, each of which takes weeks, not months. Who holds it now
is said beside it (``holder``).

**Expiring this quarter.** "An accreditation in force or suspended whose expiry falls in
the calendar quarter of today" (January-March, April-June, July-September,
October-December), those that already expired earlier in the quarter included. Beside
them: accreditations that expired before the quarter while an intake under them is still
not verified (its trainees cannot be certified under an expired accreditation's name
without the body's decision).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from . import rules

VERIFICATION_DUE_DAYS = 60
# Intakes in these states are waiting for something; a verified one is done.
NOT_VERIFIED = (rules.INTAKE_OPEN, rules.INTAKE_SUBMITTED, rules.INTAKE_RETURNED)
# Who must act next on an overdue intake, by its state.
HOLDERS = {
    rules.INTAKE_OPEN: _("The centre: not yet submitted"),
    rules.INTAKE_SUBMITTED: _("The external verifier (PPL): not yet verified"),
    rules.INTAKE_RETURNED: _("The centre: returned by the PPL, not sent back"),
}
# An accreditation that may still expire (refused, revoked and applied ones never ran).
EXPIRING_STATES = (rules.APPROVED, rules.SUSPENDED)


def verification_cutoff(today: datetime.date) -> datetime.date:
    """The last day an intake may have ended on and not be overdue: today - 60 days."""
    return today - datetime.timedelta(days=VERIFICATION_DUE_DAYS)


def verification_overdue(*, state: str, ends_on: datetime.date, today: datetime.date) -> bool:
    """Whether an intake is overdue for verification (see the module's rule)."""
    return state in NOT_VERIFIED and ends_on < verification_cutoff(today)


def days_overdue(*, ends_on: datetime.date, today: datetime.date) -> int:
    """Days past the 60 days allowed after the intake's end (0 or less: not overdue)."""
    return (verification_cutoff(today) - ends_on).days


def holder(state: str):
    """Who must act next on an intake that is not verified (a label), or None."""
    return HOLDERS.get(state)


def quarter_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the calendar quarter of ``today``."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    first = datetime.date(today.year, first_month, 1)
    if first_month == 10:
        after = datetime.date(today.year + 1, 1, 1)
    else:
        after = datetime.date(today.year, first_month + 3, 1)
    return first, after - datetime.timedelta(days=1)


def quarter_label(today: datetime.date) -> str:
    """ "Q4 2026": the quarter of ``today`` as the page names it."""
    return f"Q{(today.month - 1) // 3 + 1} {today.year}"


def expires_this_quarter(*, state: str, expires_on, today: datetime.date) -> bool:
    """Whether an accreditation is one the report lists as expiring this quarter."""
    if state not in EXPIRING_STATES or expires_on is None:
        return False
    first, last = quarter_bounds(today)
    return first <= expires_on <= last


def expired_with_open_intakes(*, state: str, expires_on, open_intakes: int,
                              today: datetime.date) -> bool:  # fmt: skip
    """Whether an accreditation expired before this quarter with an intake not yet verified."""
    if state not in EXPIRING_STATES or expires_on is None or open_intakes <= 0:
        return False
    return expires_on < quarter_bounds(today)[0]


def change(now: int, before: int):
    """The change from ``before`` to ``now`` in per cent to one place; None when ``before`` is 0."""
    if not before:
        return None
    return (Decimal(100 * (now - before)) / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def same_day_last_year(today: datetime.date) -> datetime.date:
    """The same day a year earlier (29 February reads as the 28th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)
