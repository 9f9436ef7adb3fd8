"""Certification (Persijilan): issue, revoke and re-issue certificates; an intake in the background.

domain.md 4: "A certificate is issued only when every CU of the standard's
level is assessed competent and verified by the PPL, at a centre whose
accreditation for that programme was valid on the assessment date" (the
latest CU's ``assessed_on``); some CUs earn a statement of achievement (SP);
"a re-issue, e.g. a corrected name, keeps the number and shows the current
version".
"""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import checkcache, rules
from ..models import Certificate, Enrolment, IssueBatch
from ..selectors import certificates as selectors
from ..selectors.accreditation import accreditation_valid_on
from .statistics import statistics_changed

logger = logging.getLogger(__name__)

NUMBER_ATTEMPTS = 8  # a clash is one in 1e15 per draw; eight in a row is a broken generator
BATCH_STALLS_AFTER = datetime.timedelta(minutes=5)
CHUNK = 50  # enrolments issued in one transaction, then the progress is written


@dataclass(frozen=True)
class Issued:
    """What issuing for one enrolment did: the certificate made, or why none was."""

    certificate: Certificate | None
    why_not: str | None = None
    already: bool = False  # the enrolment had a certificate: nothing new


def certificates_issue_for_enrolment(*, enrolment, by, today=None, facts=None) -> Issued:
    """Issue what ``enrolment`` earned (rules.award), once; return what was done.

    Idempotent: an enrolment that already has a certificate of its intake
    (any version, any status) gets nothing new, even when two workers issue
    it at the same moment (the enrolment row is locked first). ``facts``:
    the intake's ``selectors.IntakeFacts``, if already read.
    """
    return certificates_issue_for_enrolments(
        enrolment_ids=[enrolment.pk], intake=enrolment.intake, by=by, today=today, facts=facts
    )[enrolment.pk]


def certificates_issue_for_enrolments(*, enrolment_ids, intake, by, today=None, facts=None):
    """Issue what each enrolment of ``intake`` earned, in one transaction: {enrolment id: Issued}.

    The same rule and the same idempotence as ``certificates_issue_for_enrolment``
    (which is this with one id), in a constant number of queries for the
    lot: a batch issues an intake fifty trainees at a time.
    """
    today = today or timezone.localdate()
    facts = facts or selectors.intake_facts(intake)
    standard = intake.accreditation.standard
    outcomes, fresh = {}, []
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("trainee")
            .filter(pk__in=enrolment_ids, intake=intake)
            .order_by("pk")
        )
        holders = set(
            Certificate.objects.filter(
                intake=intake, trainee_id__in=[e.trainee_id for e in enrolments]
            ).values_list("trainee_id", flat=True)
        )
        earned_by = selectors.enrolments_earned([e.pk for e in enrolments if e.trainee_id
                                                 not in holders])  # fmt: skip
        for enrolment in enrolments:
            if enrolment.trainee_id in holders:
                outcomes[enrolment.pk] = Issued(
                    None, _("This trainee already has a certificate of this intake."), True
                )
                continue
            earned, assessed_on = earned_by.get(enrolment.pk, (frozenset(), None))
            earned &= facts.accredited_units
            accredited = assessed_on is not None and accreditation_valid_on(
                facts.accreditation, assessed_on, facts.events
            )
            award = rules.award(
                level=standard.level,
                standard_units=facts.standard_units,
                competent_verified=earned,
                # Nothing earned: let the rule say so rather than blame the accreditation.
                accredited_on_date=accredited or not earned,
            )
            if award.kind is None:
                outcomes[enrolment.pk] = Issued(None, award.why_not)
                continue
            certificate = Certificate(
                version=1, kind=award.kind, trainee=enrolment.trainee,
                holder_name=enrolment.trainee.name, standard=standard, level=standard.level,
                centre_id=intake.centre_id, intake=intake, assessed_on=assessed_on,
                issued_on=today, issued_by=by,
            )  # fmt: skip
            fresh.append((enrolment.pk, certificate, award.units))
        if fresh:
            _create_numbered([c for _e, c, _u in fresh])
            Through = Certificate.units.through
            Through.objects.bulk_create(
                Through(certificate_id=c.pk, competencyunit_id=u)
                for _e, c, units in fresh
                for u in sorted(units)
            )
            for enrolment_id, certificate, _units in fresh:
                outcomes[enrolment_id] = Issued(certificate)
            # Counted in the year of issue; a revocation or re-issue changes no figure.
            statistics_changed(year=today.year, centre_id=intake.centre_id)
    return outcomes


def _create_numbered(certificates) -> None:
    """Save new version-1 ``certificates`` under random numbers, drawing again on a clash."""
    for _attempt in range(NUMBER_ATTEMPTS):
        for certificate in certificates:
            certificate.number = rules.certificate_number(secrets.randbelow)
            certificate.reference = rules.certificate_reference(certificate.number, 1)
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the outer work intact
                Certificate.objects.bulk_create(certificates)
                return
        except IntegrityError:
            logger.warning("A certificate number was drawn twice; drawing again")
            for certificate in certificates:
                certificate.pk = None
    raise RuntimeError(f"no free certificate number after {NUMBER_ATTEMPTS} draws")


def _current_for_update(certificate) -> Certificate:
    """Lock and return ``certificate`` if it is its number's current version, else refuse."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    newer = Certificate.objects.filter(number=locked.number, version__gt=locked.version).exists()
    if newer or locked.status == rules.SUPERSEDED:
        raise ValidationError(_("This version has been replaced: act on the current version."))
    return locked


@transaction.atomic
def certificate_revoke(*, certificate, by, reason: str) -> Certificate:
    """Revoke a valid certificate with a reason (the public check shows it)."""
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the revocation: the public check shows it."))
    locked = _current_for_update(certificate)
    if locked.status != rules.VALID:
        raise ValidationError(_("This certificate is already revoked."))
    locked.status = rules.REVOKED_CERT
    locked.revoked_reason = reason[:2000]
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
    checkcache.certificate_changed(locked)
    return locked


@transaction.atomic
def certificate_reissue(*, certificate, by, holder_name: str, reason: str) -> Certificate:
    """Re-issue a valid certificate (e.g. a corrected name): same number, the next version.

    The old version reads as superseded on the public check and points to
    the new one, whose reference is ``<number>/<version>``.
    """
    holder_name = " ".join((holder_name or "").replace("\x00", "").split())
    reason = (reason or "").replace("\x00", "").strip()
    if not holder_name:
        raise ValidationError(_("Type the holder's name as it must be printed."))
    if len(holder_name) > Certificate._meta.get_field("holder_name").max_length:
        raise ValidationError(_("The name is too long: at most 200 characters."))
    if not reason:
        raise ValidationError(_("Give the reason for the re-issue."))
    old = _current_for_update(certificate)
    if old.status != rules.VALID:
        raise ValidationError(_("A revoked certificate cannot be re-issued."))
    version = old.version + 1
    new = Certificate.objects.create(
        number=old.number,
        version=version,
        reference=rules.certificate_reference(old.number, version),
        kind=old.kind,
        trainee_id=old.trainee_id,
        holder_name=holder_name,
        standard_id=old.standard_id,
        level=old.level,
        centre_id=old.centre_id,
        intake_id=old.intake_id,
        assessed_on=old.assessed_on,
        issued_on=timezone.localdate(),
        issued_by=by,
        reissue_reason=reason[:2000],
    )
    new.units.set(old.units.values_list("pk", flat=True))
    old.status = rules.SUPERSEDED
    old.save(update_fields=["status"])
    checkcache.certificate_changed(old, new)
    return new


# --- an intake in the background ---
def issue_batch_request(*, intake, by) -> IssueBatch:
    """Queue the certificates of a verified intake; the task runs after the commit."""
    from ..tasks import issue_intake_certificates

    if intake.state != rules.INTAKE_VERIFIED:
        raise ValidationError(
            _("The external verifier (PPL) has not verified this intake: nothing can be issued.")
        )
    running = IssueBatch.objects.filter(intake=intake, state__in=["queued", "running"]).first()
    if running is not None and not _stalled(running):
        return running  # one batch at a time; the officer watches that one
    batch = IssueBatch.objects.create(
        intake=intake,
        requested_by=by,
        total=intake.enrolments.count(),
        heartbeat_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(issue_intake_certificates, batch.pk))
    return batch


def _stalled(batch, now=None) -> bool:
    now = now or timezone.now()
    return batch.heartbeat_at is None or batch.heartbeat_at <= now - BATCH_STALLS_AFTER


def issue_batch_run(*, batch_id: int):
    """Issue a queued batch's certificates, counting progress; True if this call ran it.

    Claimed with a conditional UPDATE (a queued batch, or a running one whose
    heartbeat stopped), so a second worker given the same id does nothing
    while the first is alive (None: ask again later). Each enrolment is
    issued in its own transaction by the idempotent service, so a batch
    taken over after a crash goes on where it stopped.
    """
    now = timezone.now()
    claimed = (
        IssueBatch.objects.filter(pk=batch_id)
        .filter(Q(state="queued") | Q(state="running", heartbeat_at__lte=now - BATCH_STALLS_AFTER))
        .update(state="running", done=0, issued=0, error="", heartbeat_at=now)
    )
    if not claimed:
        busy = IssueBatch.objects.filter(pk=batch_id, state="running").exists()
        return None if busy else False
    batch = IssueBatch.objects.select_related(
        "intake__accreditation__standard", "requested_by"
    ).get(pk=batch_id)
    enrolments = list(batch.intake.enrolments.order_by("pk").only("pk"))
    IssueBatch.objects.filter(pk=batch_id).update(total=len(enrolments))
    facts = selectors.intake_facts(batch.intake)
    today = timezone.localdate()
    issued = 0
    try:
        for start in range(0, len(enrolments), CHUNK):
            ids = [e.pk for e in enrolments[start : start + CHUNK]]
            outcomes = certificates_issue_for_enrolments(
                enrolment_ids=ids, intake=batch.intake, by=batch.requested_by, today=today,
                facts=facts,
            )  # fmt: skip
            issued += sum(o.certificate is not None for o in outcomes.values())
            IssueBatch.objects.filter(pk=batch_id).update(
                done=start + len(ids), issued=issued, heartbeat_at=timezone.now()
            )
    except Exception as exc:
        IssueBatch.objects.filter(pk=batch_id).update(
            state="failed", error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    IssueBatch.objects.filter(pk=batch_id).update(
        state="done", issued=issued, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )
    return True


@transaction.atomic
def issue_batch_restart(*, batch) -> bool:
    """Queue a failed or stalled batch again; return whether it was (conditional, like a claim)."""
    from ..tasks import issue_intake_certificates

    now = timezone.now()
    restarted = (
        IssueBatch.objects.filter(pk=batch.pk)
        .filter(
            Q(state="failed")
            | Q(state__in=["queued", "running"], heartbeat_at__lte=now - BATCH_STALLS_AFTER)
        )
        .update(state="queued", done=0, error="", heartbeat_at=now)
    )
    if restarted:
        transaction.on_commit(lambda: _enqueue(issue_intake_certificates, batch.pk))
    return bool(restarted)


def batch_is_stalled(batch) -> bool:
    return batch.state in ("queued", "running") and _stalled(batch)


def _enqueue(task, batch_id):
    try:
        task.delay(batch_id)
    except Exception:
        # The batch stays queued: it shows as stalled later, with the restart button.
        logger.warning("Issue batch %s not enqueued", batch_id, exc_info=True)
