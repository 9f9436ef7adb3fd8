"""PPT (recognition of prior achievement): applying, evidence, submitting, judging, withdrawing.

``ppt_rules`` decides; this writes. Submitting opens the application's own
one-person intake of the accreditation, so what follows is the core's: the
assessor's judgements are ``results_record`` (the same checks: dates, the
accreditation on the day, the assessor's approval), the PPL verifies with
``intake_verify`` and certification is ``certificates_issue_for_enrolment``.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import files, ppt_rules, rules
from ..models import Enrolment, Intake, PptApplication, PptEvidence, PptJudgement, Result, Trainee
from ..selectors import ppt as selectors
from ..selectors.accreditation import accreditation_blocked
from ..selectors.training import accreditation_units
from .results import Entry, results_record
from .statistics import statistics_changed


def _stage(application) -> str:
    return selectors.with_stage(application).stage


def _locked(application) -> PptApplication:
    locked = (
        PptApplication.objects.select_for_update(of=("self",))
        .select_related("intake", "accreditation__standard", "trainee", "centre")
        .get(pk=application.pk)
    )
    locked.certified = (
        locked.intake_id is not None and locked.intake.certificates.exists()
    )  # fmt: skip
    return selectors.with_stage(locked)


def _text(value: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit or "\x00" in value:
        raise ValidationError(
            _("%(what)s: at most %(n)s characters of text.") % {"what": what, "n": limit}
        )
    return value


def ppt_apply(*, centre, accreditation, id_number: str, name: str, email: str = "",
              mode: str, unit_ids, channel: str, agency: str = "", experience: str,
              years: int, by, today: datetime.date) -> PptApplication:  # fmt: skip
    """Make a draft application at ``centre`` for ``accreditation``'s standard."""
    if accreditation.centre_id != centre.pk:
        raise ValidationError(_("This accreditation is not the centre's."))
    digits = rules.normalise_id(id_number)
    if digits is None:
        raise ValidationError(_("Type the 12 digits of the identity number (dashes optional)."))
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationError(_("Type the applicant's name (at most 200 characters)."))
    if channel not in (ppt_rules.CHANNEL_CENTRE, ppt_rules.CHANNEL_AGENCY):
        raise ValidationError(_("Say how the person applied."))
    agency = " ".join((agency or "").split())
    if channel == ppt_rules.CHANNEL_AGENCY and not agency:
        raise ValidationError(_("Name the agency that sent the person."))
    if channel == ppt_rules.CHANNEL_CENTRE:
        agency = ""
    if len(agency) > 200:
        raise ValidationError(_("The agency's name: at most 200 characters."))
    experience = _text(experience, ppt_rules.EXPERIENCE_MAX, _("Work experience"))
    if not experience:
        raise ValidationError(_("Describe the person's work experience: where, what, how long."))
    if years is None or not 0 <= years <= 60:
        raise ValidationError(_("Years of experience: a number from 0 to 60."))
    with transaction.atomic():
        accreditation = type(accreditation).objects.select_for_update().get(pk=accreditation.pk)
        blocked = accreditation_blocked(accreditation, today)
        if blocked is not None:
            raise ValidationError(_("No new PPT application: %(why)s") % {"why": blocked.message})
        accredited = accreditation_units(accreditation)
        standard_units = list(
            accreditation.standard.units.values_list("pk", flat=True)
        )  # fmt: skip
        chosen = set(unit_ids or ())
        problem = ppt_rules.units_problem(mode, chosen, [u.pk for u in accredited], standard_units)
        if problem:
            raise ValidationError(problem)
        applied = standard_units if mode == rules.FULL else sorted(chosen)
        trainee = Trainee.objects.filter(id_number=digits).first()
        if trainee is None:
            trainee = Trainee.objects.create(
                id_number=digits, name=name, email=(email or "").strip()
            )
        if PptApplication.objects.filter(
            trainee=trainee, accreditation__standard=accreditation.standard, state=ppt_rules.DRAFT
        ).exists():
            raise ValidationError(
                _("This person already has a draft application for this standard.")
            )
        application = PptApplication.objects.create(
            centre=centre, accreditation=accreditation, trainee=trainee, mode=mode,
            channel=channel, agency=agency, experience=experience, years=years, created_by=by,
        )  # fmt: skip
        application.reference = ppt_rules.reference(today.year, application.pk)
        application.save(update_fields=["reference"])
        application.units.set(applied)
        return application


def evidence_add(*, application, unit_id: int, upload, description: str, by) -> PptEvidence:
    """Keep one evidence file for one applied CU (refused once it is with the verifier)."""
    files.check_upload(upload)
    description = _text(description, 200, _("What it shows"))
    with transaction.atomic():
        locked = _locked(application)
        if not ppt_rules.evidence_open(locked.stage):
            raise ValidationError(
                _("Evidence is added while the application is a draft or returned; it is "
                  "%(stage)s.") % {"stage": locked.stage_name}
            )  # fmt: skip
        unit = locked.units.filter(pk=unit_id).first()
        if unit is None:
            raise ValidationError(_("Choose one of the CUs applied for."))
        if PptEvidence.objects.filter(application=locked, unit=unit).count() >= files.MAX_FILES:
            raise ValidationError(
                _("%(unit)s has %(n)s files already: remove one first.")
                % {"unit": unit.code, "n": files.MAX_FILES}
            )
        sha = files.digest(upload)
        stored = files.private_storage.save(files.private_name("ppt", upload.name), upload)
        try:
            return PptEvidence.objects.create(
                application=locked, unit=unit, file=stored, name=files.display_name(upload.name),
                size=upload.size, sha256=sha, description=description, uploaded_by=by,
            )  # fmt: skip
        except Exception:
            files.private_storage.delete(stored)
            raise


def evidence_remove(*, application, evidence_id: int, by) -> None:
    """Remove one evidence file while the centre may still change the evidence."""
    with transaction.atomic():
        locked = _locked(application)
        if not ppt_rules.evidence_open(locked.stage):
            raise ValidationError(_("The evidence is locked while the application is %(stage)s.")
                                  % {"stage": locked.stage_name})  # fmt: skip
        evidence = PptEvidence.objects.filter(application=locked, pk=evidence_id).first()
        if evidence is None:
            raise ValidationError(_("That file is not among this application's evidence."))
        name = evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: files.private_storage.delete(name))


def ppt_submit(*, application, by, today: datetime.date) -> PptApplication:
    """Submit a draft for assessment: every applied CU has evidence; opens its PPT intake."""
    with transaction.atomic():
        locked = _locked(application)
        if locked.stage != ppt_rules.STAGE_DRAFT:
            raise ValidationError(_("Only a draft is submitted; this application is %(stage)s.")
                                  % {"stage": locked.stage_name})  # fmt: skip
        missing = ppt_rules.missing_evidence(
            [u.code for u in selectors.application_units(locked)],
            selectors.evidence_counts(locked),
        )
        if missing:
            raise ValidationError(
                _("Add at least one evidence file for: %(units)s.") % {"units": ", ".join(missing)}
            )
        accreditation = (
            type(locked.accreditation).objects.select_for_update().get(pk=locked.accreditation_id)
        )
        blocked = accreditation_blocked(accreditation, today)
        if blocked is not None:
            raise ValidationError(_("Not submitted: %(why)s") % {"why": blocked.message})
        starts_on, ends_on = ppt_rules.intake_span(today)
        intake = Intake.objects.create(
            centre_id=locked.centre_id, accreditation=accreditation, code=locked.reference,
            starts_on=starts_on, ends_on=ends_on, created_by=by,
        )  # fmt: skip
        Enrolment.objects.create(intake=intake, trainee_id=locked.trainee_id)
        locked.intake = intake
        locked.state = ppt_rules.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["intake", "state", "submitted_at"])
        statistics_changed(year=starts_on.year, centre_id=locked.centre_id)
        return locked


@dataclass(frozen=True)
class Judgement:
    """One CU as the assessor judged it."""

    unit_id: int
    outcome: str
    method: str
    record: str
    assessed_on: datetime.date


def ppt_judge(*, application, judgements, by, today: datetime.date, send: bool = False) -> int:
    """Keep the assessor's judgements (all, or none if any is wrong); ``send``: every applied
    CU judged, the application goes to the external verifier. Returns the results changed."""
    judgements = list(judgements)
    with transaction.atomic():
        locked = _locked(application)
        if not ppt_rules.judging_open(locked.stage):
            raise ValidationError(_("The application is %(stage)s: it is not for judging now.")
                                  % {"stage": locked.stage_name})  # fmt: skip
        units = {u.pk: u for u in selectors.application_units(locked)}
        counts = selectors.evidence_counts(locked)
        problems = []
        for j in judgements:
            unit = units.get(j.unit_id)
            if unit is None:
                problems.append(_("A judgement names a CU outside this application."))
                continue
            problem = ppt_rules.judgement_problem(
                unit=unit.code, outcome=j.outcome, method=j.method, record=j.record or "",
                evidence_files=counts.get(unit.code, 0),
            )  # fmt: skip
            if problem:
                problems.append(problem)
        if problems:
            raise ValidationError(list(dict.fromkeys(str(p) for p in problems)))
        enrolment = Enrolment.objects.get(intake_id=locked.intake_id)
        changed = results_record(
            intake=locked.intake,
            entries=[
                Entry(enrolment_id=enrolment.pk, unit_id=j.unit_id, outcome=j.outcome,
                      assessed_on=j.assessed_on, evidence=(j.record or "").strip())
                for j in judgements
            ],  # fmt: skip
            by=by, today=today,
        )  # fmt: skip
        kept = {j.unit_id: j for j in PptJudgement.objects.filter(application=locked)}
        for j in judgements:
            old = kept.get(j.unit_id)
            record = (j.record or "").strip()
            if old is None:
                PptJudgement.objects.create(
                    application=locked, unit_id=j.unit_id, method=j.method, record=record, by=by
                )
            elif (old.method, old.record) != (j.method, record):
                old.method, old.record, old.by, old.at = j.method, record, by, timezone.now()
                old.save(update_fields=["method", "record", "by", "at"])
        if send:
            results = Result.objects.filter(enrolment=enrolment).values_list("unit_id", flat=True)
            methods = PptJudgement.objects.filter(application=locked).values_list(
                "unit_id", flat=True
            )
            judged = set(results) & set(methods)
            missing = [u.code for pk, u in units.items() if pk not in judged]
            if missing:
                raise ValidationError(
                    _("Judge every CU before sending it to the verifier; not yet: %(units)s.")
                    % {"units": ", ".join(missing)}
                )
            intake = Intake.objects.select_for_update().get(pk=locked.intake_id)
            intake.state = rules.INTAKE_SUBMITTED
            intake.save(update_fields=["state"])
        return changed


def ppt_withdraw(*, application, by, reason: str) -> PptApplication:
    """Withdraw an application at the person's request, until the verifier has it."""
    reason = _text(reason, ppt_rules.REASON_MAX, _("Reason"))
    if not reason:
        raise ValidationError(_("Give the reason it is withdrawn."))
    with transaction.atomic():
        locked = _locked(application)
        if not ppt_rules.may_withdraw(locked.stage):
            raise ValidationError(_("The application is %(stage)s: it can no longer be withdrawn.")
                                  % {"stage": locked.stage_name})  # fmt: skip
        locked.state = ppt_rules.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_reason = reason
        locked.save(update_fields=["state", "withdrawn_at", "withdrawn_reason"])
        return locked
