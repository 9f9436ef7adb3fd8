"""Intakes (Pendaftaran): opening one, enrolling trainees one by one or from a file, submitting.

A person is one ``Trainee`` across centres and years: an identity number
already known re-uses its record (its name stays; a different name typed is
reported back), and is enrolled at most once per intake.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import importing, rules
from ..models import Enrolment, Intake, Trainee
from ..selectors.accreditation import accreditation_blocked
from ..selectors.training import intake_grid, intake_missing
from .statistics import statistics_changed

# The states in which the centre may still change an intake's trainees and results.
EDITABLE = (rules.INTAKE_OPEN, rules.INTAKE_RETURNED)


class Incomplete(Exception):
    """Submitting needs a confirmation: ``missing`` names what has no result yet."""

    def __init__(self, missing):
        super().__init__("incomplete")
        self.missing = missing


def intake_open(*, centre, accreditation, code: str, starts_on: datetime.date,
                ends_on: datetime.date, by, today: datetime.date) -> Intake:  # fmt: skip
    """Open an intake of one of ``centre``'s accreditations; refused while it blocks intakes."""
    if accreditation.centre_id != centre.pk:
        raise ValidationError(_("This accreditation is not the centre's."))
    if ends_on < starts_on:
        raise ValidationError(_("The intake cannot end before it starts."))
    with transaction.atomic():
        # The accreditation's state is read locked: a suspension decided at the
        # same moment either comes first (and refuses) or waits for this intake.
        accreditation = type(accreditation).objects.select_for_update().get(pk=accreditation.pk)
        for day in sorted({today, starts_on}):
            blocked = accreditation_blocked(accreditation, day)
            if blocked is not None:
                raise ValidationError(
                    _("No new intake: %(why)s") % {"why": blocked.message}
                    + (
                        " " + _("Since %(date)s.") % {"date": blocked.since.isoformat()}
                        if blocked.since
                        else ""
                    )
                )
        if Intake.objects.filter(centre=centre, code__iexact=code).exists():
            raise ValidationError(_("The centre already has an intake %(code)s.") % {"code": code})
        intake = Intake.objects.create(
            centre=centre, accreditation=accreditation, code=code, starts_on=starts_on,
            ends_on=ends_on, created_by=by,
        )  # fmt: skip
        statistics_changed(year=starts_on.year, centre_id=centre.pk)
        return intake


def _not_ppt(intake) -> None:
    """A PPT application's intake has its one applicant, and is sent from the application."""
    from ..models import PptApplication

    if PptApplication.objects.filter(intake_id=intake.pk).exists():
        raise ValidationError(
            _("This intake is a PPT application's: it is worked from the application's page.")
        )


def _editable(intake) -> Intake:
    """Lock the intake's row and return it, refusing once it is submitted or verified."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.state not in EDITABLE:
        raise ValidationError(
            _("The intake is %(state)s: its trainees and results are locked.")
            % {"state": locked.get_state_display()}
        )
    return locked


@dataclass
class Enrolled:
    enrolment: Enrolment | None
    new_trainee: bool = False
    already: bool = False
    # The name the centre typed, when the record already had another one.
    other_name: str = ""


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _enrol(intake, digits: str, name: str, email: str) -> Enrolled:
    trainee = Trainee.objects.filter(id_number=digits).first()
    new = trainee is None
    if new:
        trainee = Trainee.objects.create(id_number=digits, name=name, email=email)
    elif email and not trainee.email:
        trainee.email = email
        trainee.save(update_fields=["email"])
    other = "" if new or _same_name(trainee.name, name) else name
    enrolment = Enrolment.objects.filter(intake=intake, trainee=trainee).first()
    if enrolment is not None:
        return Enrolled(enrolment, already=True, other_name=other)
    return Enrolled(Enrolment.objects.create(intake=intake, trainee=trainee), new, False, other)


def trainee_enrol(*, intake, id_number: str, name: str, email: str = "", by) -> Enrolled:
    """Enrol one person in ``intake``: their existing record if the identity number is known."""
    digits = rules.normalise_id(id_number)
    if digits is None:
        raise ValidationError(_("Type the 12 digits of the identity number (dashes optional)."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Type the trainee's name."))
    _not_ppt(intake)
    try:
        with transaction.atomic():
            locked = _editable(intake)
            outcome = _enrol(intake, digits, name, (email or "").strip())
            if not outcome.already:
                statistics_changed(year=locked.starts_on.year, centre_id=locked.centre_id)
    except IntegrityError as exc:  # the same person enrolled by two requests at once
        raise ValidationError(_("This person was enrolled at the same moment: reload.")) from exc
    if outcome.already:
        raise ValidationError(_("This person is already enrolled in the intake."))
    return outcome


@dataclass
class Imported:
    errors: list = field(default_factory=list)
    enrolled: int = 0
    new_trainees: int = 0
    already: int = 0
    # (line, name typed, name kept) for each known person whose name differs.
    other_names: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def trainees_import(*, intake, data: bytes, filename: str, by) -> Imported:
    """Enrol every trainee of a CSV/XLSX list, or none (the errors say which rows and why).

    People already enrolled in the intake are counted, not enrolled twice.
    """
    _not_ppt(intake)
    parsed = importing.parse_trainees(data, filename)
    if parsed.errors:
        return Imported(errors=parsed.errors)
    outcome = Imported()
    try:
        with transaction.atomic():
            locked = _editable(intake)
            for record in parsed.records:
                one = _enrol(intake, record.id_number, record.name, record.email)
                outcome.already += one.already
                outcome.enrolled += not one.already
                outcome.new_trainees += one.new_trainee
                if one.other_name:
                    outcome.other_names.append(
                        (record.line, one.other_name, one.enrolment.trainee.name)
                    )
            if outcome.enrolled:
                statistics_changed(year=locked.starts_on.year, centre_id=locked.centre_id)
    except IntegrityError as exc:
        raise ValidationError(_("The list was being enrolled at the same moment: reload.")) from exc
    return outcome


def intake_submit(*, intake, by, confirm: bool = False) -> Intake:
    """Submit the intake for verification; incomplete, it needs ``confirm`` (raises Incomplete)."""
    _not_ppt(intake)
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        if locked.state not in EDITABLE:
            raise ValidationError(
                _("The intake is %(state)s: it cannot be submitted again.")
                % {"state": locked.get_state_display()}
            )
        units, rows = intake_grid(locked, full_ids=False)
        if not rows:
            raise ValidationError(_("No trainee is enrolled: there is nothing to verify."))
        missing = intake_missing(locked, units, rows)
        if missing and not confirm:
            raise Incomplete(missing)
        locked.state = rules.INTAKE_SUBMITTED
        locked.save(update_fields=["state"])
        return locked
