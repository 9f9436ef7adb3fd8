"""Verification (Verifikasi): the body assigns an external verifier (PPL), who verifies.

The verifier checks every trainee or a sample they pick, writes findings,
then approves (the intake's results are verified) or returns the intake with
comments (the centre corrects and submits again). Each round is a
``Verification`` row. Nobody verifies an intake in which they assessed, nor without an
approval as PPL for its standard in force (Modul Personel).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Accreditation, Enrolment, Intake, Result, Verification
from ..personnel_rules import PPL
from ..selectors.personnel import approval_in_force
from ..selectors.training import intake_assessors, verifiers
from .rating import rating_changed

MAX_TEXT = 5_000


def _assessed_in(intake, user) -> bool:
    return user.pk in intake_assessors(intake)


def _standard(intake):
    return Accreditation.objects.select_related("standard").get(pk=intake.accreditation_id).standard


def verifier_assign(*, intake, verifier_id: int, by) -> Intake:
    """Assign (or change) the intake's external verifier: a PPL who did not assess in it,
    approved as PPL for the intake's standard today (Modul Personel)."""
    standard = _standard(intake)
    verifier = verifiers(standard=standard, on=timezone.localdate()).filter(pk=verifier_id).first()
    if verifier is None:
        raise ValidationError(
            _("Choose an external verifier (PPL) approved for %(code)s.") % {"code": standard.code}
        )
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        if locked.state == rules.INTAKE_VERIFIED:
            raise ValidationError(_("The intake is verified: its verifier stays."))
        if _assessed_in(locked, verifier):
            raise ValidationError(
                _("%(name)s assessed trainees of this intake and may not verify it.")
                % {"name": verifier.get_full_name() or verifier.username}
            )
        locked.verifier = verifier
        locked.save(update_fields=["verifier"])
        return locked


def intake_verify(*, intake, verifier, whole_intake: bool, sample_ids, findings: str,
                  decision: str, comments: str) -> Verification:  # fmt: skip
    """Record one verification round; approving verifies the results, returning reopens them."""
    findings, comments = (findings or "").strip(), (comments or "").strip()
    if decision not in (rules.APPROVED, rules.INTAKE_RETURNED):
        raise ValidationError(_("Choose to approve or to return the intake."))
    if decision == rules.INTAKE_RETURNED and not comments:
        raise ValidationError(_("Give the comments the centre will read to correct the intake."))
    if any(len(t) > MAX_TEXT or "\x00" in t for t in (findings, comments)):
        raise ValidationError(
            _("Findings and comments: at most %(n)s characters of text.") % {"n": MAX_TEXT}
        )
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        if locked.verifier_id != verifier.pk:
            raise ValidationError(_("This intake is assigned to another verifier."))
        if locked.state != rules.INTAKE_SUBMITTED:
            raise ValidationError(
                _("Only a submitted intake is verified; this one is %(state)s.")
                % {"state": locked.get_state_display()}
            )
        if _assessed_in(locked, verifier):
            raise ValidationError(_("You assessed trainees of this intake: you may not verify it."))
        standard = _standard(locked)
        if approval_in_force(verifier, PPL, standard, timezone.localdate()) is None:
            raise ValidationError(
                _("You have no approval as external verifier (PPL) for %(code)s in force today.")
                % {"code": standard.code}
            )
        enrolments = Enrolment.objects.filter(intake=locked)
        if whole_intake:
            sample = list(enrolments)
        else:
            wanted = set(sample_ids)
            sample = [e for e in enrolments if e.pk in wanted]
            if not sample or len(sample) != len(wanted):
                raise ValidationError(_("Tick the trainees of this intake you checked."))
        now = timezone.now()
        verification = Verification.objects.create(
            intake=locked, verifier=verifier, whole_intake=whole_intake, findings=findings,
            decision=decision, comments=comments, at=now,
        )  # fmt: skip
        verification.sample.set(sample)
        if decision == rules.APPROVED:
            Result.objects.filter(enrolment__intake=locked).update(verified_at=now)
            locked.state = rules.INTAKE_VERIFIED
        else:
            locked.state = rules.INTAKE_RETURNED
        locked.save(update_fields=["state"])
        rating_changed(year=timezone.localdate(now).year)
        return verification
