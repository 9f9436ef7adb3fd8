"""Accreditation (Pentauliahan): a centre applies, the body decides; every act is an event."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Accreditation, AccreditationEvent, CompetencyUnit
from .rating import rating_changed

NOTE_MAX = 2000


class AccreditationRefused(Exception):
    """The act cannot be done; the message says why (nothing was saved)."""


@transaction.atomic
def accreditation_apply(*, centre, standard, mode: str, unit_ids, note: str, by) -> Accreditation:
    """Record ``centre``'s application to run ``standard``, full or modular (chosen CUs).

    Refused: an inactive centre, a superseded standard, a modular application
    without a CU or with a CU of another standard, or while the centre already
    has an application or an accreditation (not expired) for the standard.
    A modular application naming every CU is recorded as full.
    """
    if not centre.is_active:
        raise AccreditationRefused(_("This centre is not active."))
    if standard.superseded_by.exists():
        newer = ", ".join(standard.superseded_by.values_list("code", flat=True))
        raise AccreditationRefused(
            _("%(code)s is superseded by %(newer)s: apply for the current standard.")
            % {"code": standard.code, "newer": newer}
        )
    if mode not in (rules.FULL, rules.MODULAR):
        raise AccreditationRefused(_("Choose full or modular."))
    all_units = list(CompetencyUnit.objects.filter(standard=standard).values_list("pk", flat=True))
    chosen = set()
    if mode == rules.MODULAR:
        chosen = {int(pk) for pk in unit_ids}
        if not chosen:
            raise AccreditationRefused(_("A modular application names at least one CU."))
        if not chosen <= set(all_units):
            raise AccreditationRefused(
                _("A modular application names CUs of %(code)s only.") % {"code": standard.code}
            )
        if chosen == set(all_units):
            mode, chosen = rules.FULL, set()
    today = timezone.localdate()
    # One application or live accreditation per centre and standard (lock the centre's).
    others = Accreditation.objects.select_for_update().filter(centre=centre, standard=standard)
    for other in others:
        if other.state == rules.APPLIED:
            raise AccreditationRefused(
                _("The centre already applied for %(code)s; wait for the decision.")
                % {"code": standard.code}
            )
        if other.state in (rules.APPROVED, rules.SUSPENDED) and not (
            other.expires_on and other.expires_on < today
        ):
            raise AccreditationRefused(
                _("The centre is already accredited for %(code)s until %(date)s.")
                % {"code": standard.code, "date": other.expires_on}
            )
    accreditation = Accreditation.objects.create(
        centre=centre, standard=standard, mode=mode, state=rules.APPLIED,
        note=(note or "").strip()[:NOTE_MAX], applied_by=by, applied_at=timezone.now(),
    )  # fmt: skip
    if chosen:
        accreditation.units.set(sorted(chosen))
    AccreditationEvent.objects.create(
        accreditation=accreditation, act="apply", reason=accreditation.note, by=by
    )
    return accreditation


@transaction.atomic
def accreditation_act(
    *,
    accreditation_id: int,
    act: str,
    by,
    reason: str = "",
    conditions: str = "",
    valid_from: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Accreditation:
    """Do ``act`` (approve, refuse, suspend, reinstate, revoke) on an accreditation.

    The accreditation is locked first; ``rules.accreditation_refusal`` says
    whether the act is allowed from its state. Approving sets the conditions
    and dates (valid from today unless given). Each act is an event.
    """
    today = today or timezone.localdate()
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation_id)
    reason = (reason or "").strip()[:NOTE_MAX]
    refusal = rules.accreditation_refusal(
        act, accreditation.state, reason=reason, expires_on=expires_on, today=today
    )
    if refusal is not None:
        raise AccreditationRefused(str(refusal))
    now = timezone.now()
    if act == "approve":
        valid_from = valid_from or today
        if valid_from >= expires_on:
            raise AccreditationRefused(_("The expiry date must come after the valid-from date."))
        accreditation.conditions = (conditions or "").strip()[:NOTE_MAX]
        accreditation.valid_from = valid_from
        accreditation.expires_on = expires_on
        accreditation.reason = ""
        reason = accreditation.conditions
    else:
        accreditation.reason = reason
    accreditation.state = rules.ACCREDITATION_NEXT[act]
    accreditation.decided_by = by
    accreditation.decided_at = now
    accreditation.save()
    AccreditationEvent.objects.create(
        accreditation=accreditation, act=act, reason=reason, by=by, at=now
    )
    rating_changed(year=today.year)
    return accreditation
