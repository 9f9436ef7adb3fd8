"""Complaints (Modul Aduan, Borang Aduan Masalah): the pure rules.

Anyone files a complaint and follows it by its reference number; the body (JPK)
assigns, answers, escalates and closes it. These rules decide, without the
database: the reference number, which act may follow which status, when a
complaint is overdue, and whether a filed form looks like spam.
"""

import datetime
import re

from django.utils.translation import gettext_lazy as _

# --- categories and statuses ---
CENTRE_CAT, CERTIFICATE_CAT, ASSESSMENT_CAT, SYSTEM_CAT, OTHER_CAT = (
    "centre", "certificate", "assessment", "system", "other",
)  # fmt: skip
CATEGORY_CHOICES = [
    (CENTRE_CAT, _("A training centre")),
    (CERTIFICATE_CAT, _("A certificate")),
    (ASSESSMENT_CAT, _("Assessment or verification")),
    (SYSTEM_CAT, _("The system (this portal)")),
    (OTHER_CAT, _("Other")),
]
# A centre is named for these categories, a certificate number for this one.
CENTRE_CATEGORIES = (CENTRE_CAT, ASSESSMENT_CAT)
CERTIFICATE_CATEGORIES = (CERTIFICATE_CAT,)

NEW, ASSIGNED, ANSWERED, ESCALATED, CLOSED = "new", "assigned", "answered", "escalated", "closed"
STATUS_CHOICES = [
    (NEW, _("Received")),
    (ASSIGNED, _("Being handled")),
    (ANSWERED, _("Answered")),
    (ESCALATED, _("Escalated")),
    (CLOSED, _("Closed")),
]
OPEN_STATUSES = (NEW, ASSIGNED, ANSWERED, ESCALATED)

# The levels a complaint climbs when escalated: the officer, the unit's head, the director.
LEVEL_CHOICES = [(1, _("Officer")), (2, _("Head of unit")), (3, _("Director"))]
MAX_LEVEL = 3

# --- the service level: the body answers a complaint within SLA_DAYS of its filing ---
SLA_DAYS = 14


def due_on(filed_on: datetime.date) -> datetime.date:
    """Return the day the first public answer is due (SLA_DAYS after filing)."""
    return filed_on + datetime.timedelta(days=SLA_DAYS)


def is_overdue(*, status: str, due: datetime.date, answered: bool, today: datetime.date) -> bool:
    """Overdue: still open, no public answer yet, and the due day has passed."""
    return status != CLOSED and not answered and today > due


# --- the acts of the body and the status each leaves ---
ASSIGN, ANSWER, NOTE, ESCALATE, CLOSE, REOPEN = (
    "assign", "answer", "note", "escalate", "close", "reopen",
)  # fmt: skip
FILE = "file"  # the complainant's filing (the first event)
ACT_CHOICES = [
    (FILE, _("Filed")),
    (ASSIGN, _("Assigned")),
    (ANSWER, _("Answered")),
    (NOTE, _("Internal note")),
    (ESCALATE, _("Escalated")),
    (CLOSE, _("Closed")),
    (REOPEN, _("Reopened")),
]
HANDLER_ACTS = (ASSIGN, ANSWER, NOTE, ESCALATE, CLOSE, REOPEN)


def act_refusal(act: str, *, status: str, answered: bool, level: int) -> str | None:
    """Return why ``act`` cannot be done on a complaint in this state (None: it can).

    - every act but reopening needs an open complaint; reopening a closed one only;
    - escalating needs a level left above the present one;
    - closing needs a public answer first (the complainant is told before it closes).
    """
    if act not in HANDLER_ACTS:
        return str(_("Unknown act."))
    if act == REOPEN:
        return None if status == CLOSED else str(_("Only a closed complaint can be reopened."))
    if status == CLOSED:
        return str(_("This complaint is closed; reopen it first."))
    if act == ESCALATE and level >= MAX_LEVEL:
        return str(_("This complaint is already at the highest level."))
    if act == CLOSE and not answered:
        return str(_("Answer the complainant before closing the complaint."))
    return None


def status_after(act: str, *, status: str, assigned: bool) -> str:
    """Return the status an act leaves (a note changes nothing)."""
    if act == ASSIGN:
        return ASSIGNED if status == NEW else status
    if act == ANSWER:
        return ANSWERED
    if act == ESCALATE:
        return ESCALATED
    if act == CLOSE:
        return CLOSED
    if act == REOPEN:
        return ASSIGNED if assigned else NEW
    return status


# --- reference numbers ---
# "ADU-", the year, and 8 symbols of Crockford's base32 (as certificate numbers):
# 32**8 = 1.1e12 a year, drawn by ``secrets``, so a reference cannot be guessed.
REFERENCE_PREFIX = "ADU-"
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8
REFERENCE = re.compile(r"^ADU-\d{4}-[0-9A-HJKMNP-TV-Z]{8}$")
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def complaint_reference(year: int, randbelow) -> str:
    """Return a new reference drawn with ``randbelow`` (``secrets.randbelow``)."""
    tail = "".join(
        REFERENCE_ALPHABET[randbelow(len(REFERENCE_ALPHABET))] for _ in range(REFERENCE_LENGTH)
    )
    return f"{REFERENCE_PREFIX}{year:04d}-{tail}"


def normalise_reference(text: str) -> str | None:
    """Return a typed reference in its stored form, or None if it cannot be one.

    Case, spaces and misread letters (O for 0, I or L for 1) are forgiven.
    """
    raw = re.sub(r"\s", "", text or "").upper()
    if not raw or len(raw) > 40 or not raw.startswith(REFERENCE_PREFIX):
        return None
    head, sep, tail = raw[len(REFERENCE_PREFIX) :].partition("-")
    raw = f"{REFERENCE_PREFIX}{head}{sep}{tail.translate(_MISREAD)}"
    return raw if REFERENCE.match(raw) else None


# --- spam resistance, without a third-party captcha ---
# A person takes longer than MIN_SECONDS to fill the form; a form older than
# MAX_SECONDS is stale (reload it). A hidden field left empty by people (the
# honeypot) must stay empty. Text has limits. Rate limits per address and for
# everyone, in the 15-minute window of skills.throttle.
MIN_SECONDS = 3
MAX_SECONDS = 6 * 3600
SUBJECT_MAX = 150
DESCRIPTION_MIN = 20
DESCRIPTION_MAX = 5000
NAME_MAX = 150
FILINGS_PER_ADDRESS = 5  # a quarter-hour
FILINGS_EVERYONE = 300  # a quarter-hour, every address together
ATTEMPTS_PER_ADDRESS = 30  # sendings of the form, accepted or not, a quarter-hour
LOOKUPS_PER_ADDRESS = 60  # a quarter-hour
LINKS_MAX = 3  # web addresses in a description

TOO_FAST, STALE, HONEYPOT, TOO_MANY_LINKS = "too_fast", "stale", "honeypot", "links"
SPAM_MESSAGES = {
    TOO_FAST: _("The form was sent too quickly. Please read it over and send it again."),
    STALE: _("This form has expired. It has been refreshed: please send it again."),
    HONEYPOT: _("The form could not be accepted. Please send it again."),
    TOO_MANY_LINKS: _("Please keep web addresses in the description to three or fewer."),
}
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def spam_refusal(*, honeypot: str, elapsed: float | None, description: str) -> str | None:
    """Return the key of SPAM_MESSAGES that refuses a filing, or None if it may go on.

    ``elapsed``: seconds since the form was served (None: no valid signed stamp).
    """
    if honeypot:
        return HONEYPOT
    if elapsed is None or elapsed > MAX_SECONDS:
        return STALE
    if elapsed < MIN_SECONDS:
        return TOO_FAST
    if len(_LINK.findall(description or "")) > LINKS_MAX:
        return TOO_MANY_LINKS
    return None
