"""Reading accreditations (Pentauliahan): validity on a day, what blocks a centre, the lists.

``accreditation_valid_on`` and ``accreditation_blocks_now`` are what intakes,
assessments and certificates ask (domain.md 4: a certificate needs "a centre
whose accreditation for that programme was valid on the assessment date").
Prefetch ``events`` to ask about many accreditations without a query each.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .. import rules
from ..models import Accreditation

EXPIRING_DAYS = 90

# The state each recorded act leaves an accreditation in (the act's name, or its past tense).
_STATE_AFTER = {
    **dict.fromkeys(("apply", "applied"), rules.APPLIED),
    **dict.fromkeys(("approve", "approved", "reinstate", "reinstated"), rules.APPROVED),
    **dict.fromkeys(("refuse", "refused"), rules.REFUSED),
    **dict.fromkeys(("suspend", "suspended"), rules.SUSPENDED),
    **dict.fromkeys(("revoke", "revoked"), rules.REVOKED),
}


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _events(accreditation, events=None):
    """Its events, oldest first: ``events`` if already read, else the prefetch cache or a query."""
    found = accreditation.events.all() if events is None else events
    return sorted(found, key=lambda e: (e.at, e.pk))


def _facts(accreditation) -> rules.AccreditationFacts:
    return rules.AccreditationFacts(
        accreditation.state, accreditation.valid_from, accreditation.expires_on
    )


def accreditation_state_on(accreditation, on: datetime.date, events=None) -> str:
    """Return the state the accreditation was in at the end of day ``on``, from its history.

    Each act counts from its own day: an assessment on the day of a
    suspension or revocation is not covered, nor one before the approval was
    given (a certificate must not rest on a decision taken afterwards). An
    accreditation with no recorded history (made before events were kept)
    reads as its present state. ``events``: its events, if already read.
    """
    history = _events(accreditation, events)
    if not history:
        return accreditation.state
    state = rules.APPLIED
    for event in history:
        if _day(event.at) > on:
            break
        state = _STATE_AFTER.get(event.act, state)
    return state


def accreditation_valid_on(accreditation, on: datetime.date, events=None) -> bool:
    """Return whether ``accreditation`` allowed training and assessment on day ``on``.

    Approved, neither suspended nor revoked on that day (by its history), and
    within valid_from..expires_on (domain.md 4: a certificate needs "a centre
    whose accreditation for that programme was valid on the assessment date").
    """
    state = accreditation_state_on(accreditation, on, events)
    facts = rules.AccreditationFacts(
        state, _valid_from(accreditation, events), accreditation.expires_on
    )
    return rules.accreditation_blocks(facts, on) is None


def _valid_from(accreditation, events=None):
    """valid_from, or the approval's day when the body gave none."""
    if accreditation.valid_from is not None:
        return accreditation.valid_from
    approvals = [e for e in _events(accreditation, events) if e.act in ("approve", "approved")]
    return _day(approvals[0].at) if approvals else None


def accreditation_blocks_now(accreditation, today: datetime.date):
    """Why ``accreditation`` allows no new intake or assessment ``today`` (a message), or None."""
    return rules.accreditation_blocks(_facts(accreditation), today)


@dataclass(frozen=True)
class Blocked:
    message: str
    since: datetime.date | None
    reason: str


def accreditation_blocked(accreditation, today: datetime.date) -> Blocked | None:
    """Why and since when new intakes and assessments are blocked, or None (the centre's notice)."""
    message = accreditation_blocks_now(accreditation, today)
    if message is None:
        return None
    since, reason = None, ""
    state = accreditation.state
    if state in (rules.SUSPENDED, rules.REVOKED):
        act = "suspend" if state == rules.SUSPENDED else "revoke"
        latest = [e for e in _events(accreditation) if e.act == act]
        if latest:
            since = _day(latest[-1].at)
        reason = accreditation.reason
    elif state == rules.APPROVED and accreditation.expires_on and today > accreditation.expires_on:
        since = accreditation.expires_on + datetime.timedelta(days=1)
    return Blocked(str(message), since, reason)


def accreditation_is_current(accreditation, today: datetime.date) -> bool:
    """Approved and within its dates today (what the public registry lists)."""
    return accreditation_blocks_now(accreditation, today) is None


def current_q(today: datetime.date) -> Q:
    """The accreditations approved and within their dates ``today``, as a filter."""
    return (
        Q(state=rules.APPROVED)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def centre_accreditations(*, centre):
    """The centre's accreditations with their standard, CUs and history (constant queries)."""
    return (
        Accreditation.objects.filter(centre=centre)
        .select_related("standard__sector")
        .prefetch_related("units", "events__by")
        .order_by("standard__code", "-applied_at")
    )


@dataclass
class AccreditationFilters:
    state: str = ""
    expiring: bool = False
    q: str = ""


def accreditation_list(*, filters: AccreditationFilters, today: datetime.date):
    """The applications and accreditations the body's officer works through."""
    qs = Accreditation.objects.select_related("centre", "standard")
    if filters.state in Accreditation.State.values:
        qs = qs.filter(state=filters.state)
    if filters.expiring:
        qs = qs.filter(
            state=rules.APPROVED,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
        )
    if filters.q:
        qs = qs.filter(
            Q(centre__code__icontains=filters.q)
            | Q(centre__name__icontains=filters.q)
            | Q(standard__code__icontains=filters.q)
        )
    # Applications waiting first, then the soonest to expire.
    return qs.order_by(
        "-applied_at" if filters.state == rules.APPLIED else "state", "expires_on", "pk"
    )


def accreditation_detail(*, pk: int):
    return (
        Accreditation.objects.select_related("centre", "standard__sector", "applied_by",
                                             "decided_by")
        .prefetch_related("units", "events__by")
        .get(pk=pk)
    )  # fmt: skip
