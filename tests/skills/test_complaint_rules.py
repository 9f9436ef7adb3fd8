"""Complaints (Modul Aduan): the pure rules, table-driven, each quoting its rule."""

import datetime
import random

import pytest

from skills import complaint_rules as crules
from skills.forms.complaints import form_stamp, stamp_elapsed

D = datetime.date


# "The body answers a complaint within SLA_DAYS of its filing."
def test_due_day_is_the_sla_after_filing():
    assert crules.SLA_DAYS == 14
    assert crules.due_on(D(2026, 3, 1)) == D(2026, 3, 15)


# "Overdue: still open, no public answer yet, and the due day has passed."
@pytest.mark.parametrize(
    ("status", "due", "answered", "today", "overdue"),
    [
        (crules.NEW, D(2026, 3, 15), False, D(2026, 3, 16), True),
        (crules.NEW, D(2026, 3, 15), False, D(2026, 3, 15), False),  # due today: not yet
        (crules.ASSIGNED, D(2026, 3, 15), False, D(2026, 4, 1), True),
        (crules.ESCALATED, D(2026, 3, 15), False, D(2026, 4, 1), True),
        (crules.ANSWERED, D(2026, 3, 15), True, D(2026, 4, 1), False),  # answered in time or not
        (crules.ESCALATED, D(2026, 3, 15), True, D(2026, 4, 1), False),
        (crules.CLOSED, D(2026, 3, 15), False, D(2026, 4, 1), False),
    ],
)
def test_overdue(status, due, answered, today, overdue):
    assert crules.is_overdue(status=status, due=due, answered=answered, today=today) is overdue


# "Every act but reopening needs an open complaint; reopening a closed one only;
#  escalating needs a level left; closing needs a public answer first."
@pytest.mark.parametrize(
    ("act", "status", "answered", "level", "allowed"),
    [
        ("assign", crules.NEW, False, 1, True),
        ("assign", crules.CLOSED, True, 1, False),
        ("answer", crules.ASSIGNED, False, 1, True),
        ("answer", crules.CLOSED, True, 1, False),
        ("note", crules.NEW, False, 1, True),
        ("note", crules.CLOSED, True, 1, False),
        ("escalate", crules.ASSIGNED, False, 1, True),
        ("escalate", crules.ESCALATED, False, 2, True),
        ("escalate", crules.ESCALATED, False, crules.MAX_LEVEL, False),
        ("close", crules.ASSIGNED, False, 1, False),  # never answered
        ("close", crules.ANSWERED, True, 1, True),
        ("close", crules.ESCALATED, True, 2, True),  # answered before it climbed
        ("close", crules.CLOSED, True, 1, False),
        ("reopen", crules.CLOSED, True, 1, True),
        ("reopen", crules.ANSWERED, True, 1, False),
        ("file", crules.NEW, False, 1, False),  # not a handler's act
        ("delete", crules.NEW, False, 1, False),
    ],
)
def test_act_refusal(act, status, answered, level, allowed):
    refusal = crules.act_refusal(act, status=status, answered=answered, level=level)
    assert (refusal is None) is allowed, refusal


@pytest.mark.parametrize(
    ("act", "status", "assigned", "after"),
    [
        ("assign", crules.NEW, False, crules.ASSIGNED),
        ("assign", crules.ANSWERED, True, crules.ANSWERED),  # a new handler: the status stays
        ("answer", crules.ASSIGNED, True, crules.ANSWERED),
        ("note", crules.ASSIGNED, True, crules.ASSIGNED),
        ("escalate", crules.ANSWERED, True, crules.ESCALATED),
        ("close", crules.ANSWERED, True, crules.CLOSED),
        ("reopen", crules.CLOSED, True, crules.ASSIGNED),
        ("reopen", crules.CLOSED, False, crules.NEW),
    ],
)
def test_status_after(act, status, assigned, after):
    assert crules.status_after(act, status=status, assigned=assigned) == after


# "ADU-, the year, and 8 symbols of Crockford's base32, drawn by secrets."
def test_reference_shape_and_spread():
    rng = random.Random(7)
    refs = {crules.complaint_reference(2026, rng.randrange) for _ in range(2000)}
    assert len(refs) == 2000
    assert all(crules.REFERENCE.match(r) and r.startswith("ADU-2026-") for r in refs)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ADU-2026-7K3M9Q2X", "ADU-2026-7K3M9Q2X"),
        (" adu-2026-7k3m 9q2x ", "ADU-2026-7K3M9Q2X"),
        ("ADU-2026-OK3M9Q2X", "ADU-2026-0K3M9Q2X"),  # O read as 0
        ("ADU-2026-7K3M9Q2L", "ADU-2026-7K3M9Q21"),  # L read as 1
        ("ADU-2026-7K3M9Q2", None),  # too short
        ("ADU-2026-7K3M9Q2XX", None),
        ("ADU-26-7K3M9Q2X", None),
        ("JPK-7K3M9Q2X4P", None),
        ("ADU-2026-7K3M9Q2U", None),  # U is not in the alphabet
        ("", None),
        ("\x00", None),
        ("x" * 500, None),
    ],
)
def test_normalise_reference(typed, stored):
    assert crules.normalise_reference(typed) == stored


# "A person takes longer than MIN_SECONDS; a form older than MAX_SECONDS is stale; the
#  honeypot stays empty; at most LINKS_MAX web addresses."
@pytest.mark.parametrize(
    ("honeypot", "elapsed", "description", "refusal"),
    [
        ("", 10, "Bengkel ditutup.", None),
        ("", crules.MIN_SECONDS, "ok", None),
        ("", crules.MIN_SECONDS - 0.5, "ok", crules.TOO_FAST),
        ("", -5, "ok", crules.TOO_FAST),  # a stamp from the future
        ("", crules.MAX_SECONDS, "ok", None),
        ("", crules.MAX_SECONDS + 1, "ok", crules.STALE),
        ("", None, "ok", crules.STALE),  # no stamp, or a forged one
        ("http://spam.example", 10, "ok", crules.HONEYPOT),
        ("http://spam.example", 0.1, "ok", crules.HONEYPOT),  # the honeypot first
        ("", 10, "http://a http://b www.c", None),
        ("", 10, "http://a http://b www.c https://d", crules.TOO_MANY_LINKS),
    ],
)
def test_spam_refusal(honeypot, elapsed, description, refusal):
    assert crules.spam_refusal(honeypot=honeypot, elapsed=elapsed,
                               description=description) == refusal  # fmt: skip


def test_stamp_is_signed():
    stamp = form_stamp(1_000_000)
    assert stamp_elapsed(stamp, 1_000_010) == 10
    assert stamp_elapsed(stamp[:-2] + "xx", 1_000_010) is None
    assert stamp_elapsed("1000000", 1_000_010) is None
    assert stamp_elapsed("", 1_000_010) is None
