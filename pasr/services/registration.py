"""Registering PASR candidates, and what comes with it, each write in one transaction.

Seed 002, 3.1-3.5: the school's exam secretary registers a candidate when
every rule holds (``rules.failed_rules`` names each that does not); nothing
is saved on a refusal. The examinations board may override a refusal of the
overridable rules with a written reason (``override_decide``). A school runs
PASR when it has a PPKI programme or declares partial inclusive education
for the year (``inclusive_declare``). The board publishes each instrument's
document; the school downloads it and its head verifies it (seed 4.1, 6.10).
Every write announces the school's change (``events.school_changed``).
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import calendar, events, importing, rules
from ..models import (
    Candidate,
    InstrumentCheck,
    InstrumentRelease,
    OverrideRequest,
    SchoolYear,
)
from ..registration_forms import RegistrationForm
from .calendar import _year_for_update


@dataclass
class Outcome:
    """A registration: the candidate saved, or the rules that failed (nothing saved)."""

    candidate: Candidate | None = None
    failed: list = field(default_factory=list)
    refusals: list = field(default_factory=list)

    @property
    def overridable(self) -> bool:
        return rules.overridable(self.failed)


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an imported list: its row (the header is row 1), column, rule."""

    row: int
    column: str
    message: str
    rule: str = ""

    def __str__(self):
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportOutcome:
    created: int = 0
    rows: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- the school's year ---


def school_runs(*, school, year: int) -> rules.SchoolYear:
    """Return what the school runs in ``year`` (rule 1): its PPKI, its declaration."""
    declared = SchoolYear.objects.filter(school=school, year=year, partial_inclusive=True).exists()
    return rules.SchoolYear(has_ppki=school.has_ppki, partial_inclusive=declared)


def school_year_ensure(*, school, year: int) -> SchoolYear:
    """Return the school's PASR year, made (with its district and state) if new."""
    row, _created = SchoolYear.objects.get_or_create(
        school=school,
        year=year,
        defaults={"district_id": school.district_id, "state_id": school.district.state_id},
    )
    return row


def _changed(school, year: int) -> None:
    """Keep the school's count of candidates and announce the change (inside the transaction)."""
    school_year_ensure(school=school, year=year)
    count = (
        Candidate.objects.filter(school=school, year=year).exclude(status=rules.WITHDRAWN).count()
    )
    SchoolYear.objects.filter(school=school, year=year).update(candidates=count)
    events.school_changed(school.id, year)


def inclusive_declare(*, school, year: int, by) -> SchoolYear:
    """Record that the school runs partial inclusive education in ``year``, with who and when."""
    with transaction.atomic():
        school_year_ensure(school=school, year=year)
        row = SchoolYear.objects.select_for_update().get(school=school, year=year)
        if not row.partial_inclusive:
            row.partial_inclusive = True
            row.declared_by = by
            row.declared_at = timezone.now()
            row.save()
            events.school_changed(school.id, year)
    return row


def inclusive_withdraw(*, school, year: int, by) -> SchoolYear:
    """Take back a partial-inclusive declaration made by mistake: only while no candidate sits.

    A school with candidates (other than withdrawn ones) keeps running PASR: its
    candidates are withdrawn or transferred first. The audit trail keeps who
    declared and who took it back.
    """
    with transaction.atomic():
        row = SchoolYear.objects.select_for_update().filter(school=school, year=year).first()
        if row is None or not row.partial_inclusive:
            raise ValidationError(_("No partial inclusive education is declared for this year."))
        sitting = (
            Candidate.objects.filter(school=school, year=year)
            .exclude(status=rules.WITHDRAWN)
            .count()
        )
        if sitting:
            raise ValidationError(
                ngettext(
                    "The school has %(n)d candidate this year: withdraw or transfer them first.",
                    "The school has %(n)d candidates this year: withdraw or transfer them first.",
                    sitting,
                )
                % {"n": sitting}
            )
        row.partial_inclusive = False
        row.declared_by = None
        row.declared_at = None
        row.save()
        events.school_changed(school.id, year)
    return row


# --- registration ---


def registration_check(*, school, year: int, applicant: rules.Applicant, id_number: str,
                       runs: rules.SchoolYear | None = None):  # fmt: skip
    """Return (failed rule codes, refusals) of registering ``applicant`` at ``school`` now."""
    board = calendar.assessment_year(year)
    other = (
        Candidate.objects.filter(year=year, id_number=id_number).select_related("school").first()
    )
    failed = rules.failed_rules(
        applicant,
        year=year,
        school=runs or school_runs(school=school, year=year),
        window_open=calendar.window_open(board, rules.REGISTRATION),
        already_registered=other is not None,
    )
    refusals = rules.refusals(
        failed,
        year=year,
        born=applicant.date_of_birth,
        opens=board.registration_opens,
        closes=board.registration_closes,
        duplicate_school=school.name if other and other.school_id == school.id else None,
    )
    return failed, refusals


def _duplicate(school, year, fields, applicant) -> Outcome:
    """The refusal when the database found the number registered meanwhile (a race)."""
    failed, refusals = registration_check(
        school=school, year=year, applicant=applicant, id_number=fields["id_number"]
    )
    if rules.DUPLICATE not in failed:  # the other registration was rolled back since
        failed.append(rules.DUPLICATE)
        refusals += rules.refusals([rules.DUPLICATE], year=year, born=None, opens=None, closes=None)
    return Outcome(failed=failed, refusals=refusals)


def candidate_register(*, school, year: int, fields: dict, applicant: rules.Applicant,
                       by) -> Outcome:  # fmt: skip
    """Register one candidate if every rule holds; else name every rule that failed.

    ``fields`` are the Candidate's (``RegistrationForm.candidate_fields``).
    Two exam secretaries registering one number at once: the database's
    unique constraint refuses the second, answered as a duplicate.
    """
    failed, refusals = registration_check(
        school=school, year=year, applicant=applicant, id_number=fields["id_number"]
    )
    if failed:
        return Outcome(failed=failed, refusals=refusals)
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                year=year, school=school, registered_by=by, **fields
            )
            _changed(school, year)
    except IntegrityError:
        return _duplicate(school, year, fields, applicant)
    return Outcome(candidate=candidate)


def candidates_import(*, school, year: int, data: bytes, filename: str, by) -> ImportOutcome:
    """Register every candidate of a CSV/XLSX list, or none: each row checked like the form.

    The same rules as one registration, and a number twice in the file is
    refused too; every problem is named by row, nothing is saved unless
    every row passes.
    """
    parsed = importing.parse_candidates(data, filename)
    if parsed.errors:
        return ImportOutcome(
            problems=[ImportProblem(e.row, e.column, e.message) for e in parsed.errors]
        )
    problems, valid = [], []
    for line, row in parsed.rows:
        form = RegistrationForm(data=row)
        if form.is_valid():
            valid.append((line, form))
            continue
        for name, errors in form.errors.items():
            problems.extend(ImportProblem(line, name, str(message)) for message in errors)
    board = calendar.assessment_year(year)
    window_open = calendar.window_open(board, rules.REGISTRATION)
    runs = school_runs(school=school, year=year)
    numbers = [form.cleaned_data["id_number"] for _line, form in valid]
    registered = dict(
        Candidate.objects.filter(year=year, id_number__in=numbers).values_list(
            "id_number", "school_id"
        )
    )
    seen: dict[str, int] = {}
    candidates = []
    for line, form in valid:
        number = form.cleaned_data["id_number"]
        earlier = seen.setdefault(number, line)
        twice = earlier != line
        applicant = form.applicant()
        failed = rules.failed_rules(
            applicant,
            year=year,
            school=runs,
            window_open=window_open,
            already_registered=number in registered or twice,
        )
        for refusal in rules.refusals(
            failed,
            year=year,
            born=applicant.date_of_birth,
            opens=board.registration_opens,
            closes=board.registration_closes,
            duplicate_school=school.name if registered.get(number) == school.id else None,
        ):
            message = refusal.message
            if refusal.rule == rules.DUPLICATE and number not in registered:
                message = _("This identity number is also on row %(row)s of the file.") % {
                    "row": earlier
                }
            problems.append(ImportProblem(line, "id_number" if refusal.rule == rules.DUPLICATE
                                          else refusal.rule, message, refusal.rule))  # fmt: skip
        if not failed:
            candidates.append(
                Candidate(year=year, school=school, registered_by=by, **form.candidate_fields())
            )
    outcome = ImportOutcome(rows=len(parsed.rows), problems=sorted(problems, key=lambda p: p.row))
    if problems:
        return outcome
    try:
        with transaction.atomic():
            Candidate.objects.bulk_create(candidates, batch_size=500)
            _changed(school, year)
    except IntegrityError:
        outcome.problems.append(
            ImportProblem(
                1,
                _("file"),
                _(
                    "One of these identity numbers was registered elsewhere while the file "
                    "was checked: nothing was saved. Upload the file again to see which."
                ),
                rules.DUPLICATE,
            )
        )
        return outcome
    outcome.created = len(candidates)
    return outcome


# --- the board's override ---


def override_ask(*, school, year: int, data: dict, applicant: rules.Applicant, note: str,
                 by) -> OverrideRequest:  # fmt: skip
    """Ask the board to override a refused registration; only an overridable refusal.

    ``data`` is the form's data as text (``RegistrationForm.stored``).
    """
    failed, _refusals = registration_check(
        school=school, year=year, applicant=applicant, id_number=data["id_number"]
    )
    if not failed:
        raise ValidationError(_("Every rule holds: register the candidate instead."))
    if not rules.overridable(failed):
        raise ValidationError(
            _(
                "The board cannot override this refusal: a candidate sits either PASR or the "
                "mainstream examination, private candidates are not accepted, and an identity "
                "number is registered once a year."
            )
        )
    if not (note or "").strip():
        raise ValidationError(_("Write a note to the board: why should this pupil sit PASR?"))
    with transaction.atomic():
        if OverrideRequest.objects.filter(
            year=year, id_number=data["id_number"], state=OverrideRequest.State.PENDING
        ).exists():
            raise ValidationError(
                _("A request for this identity number is already waiting for the board.")
            )
        request = OverrideRequest.objects.create(
            year=year,
            school=school,
            id_number=data["id_number"],
            name=data["name"],
            data=data,
            failed=failed,
            note=note.strip(),
            requested_by=by,
        )
        events.school_changed(school.id, year)
    return request


def override_decide(*, override: OverrideRequest, approve: bool, reason: str,
                    by) -> OverrideRequest:  # fmt: skip
    """Override (registering the candidate) or decline a request, with the board's reason.

    The rules are checked again now: the board sets aside only the
    overridable ones (never exclusivity, a private candidate, a duplicate).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write the reason for the decision."))
    with transaction.atomic():
        found = (
            OverrideRequest.objects.select_for_update(of=("self",))
            .select_related("school__district__state", "requested_by")
            .get(pk=override.pk)
        )
        if found.state != OverrideRequest.State.PENDING:
            raise ValidationError(_("This request has already been decided."))
        found.reason, found.decided_by, found.decided_at = reason, by, timezone.now()
        school = found.school
        if approve:
            form = RegistrationForm(data=found.data)
            if not form.is_valid():
                raise ValidationError(_("The request's form is no longer valid; decline it."))
            failed, refusals = registration_check(
                school=school, year=found.year, applicant=form.applicant(),
                id_number=form.cleaned_data["id_number"],
            )  # fmt: skip
            if not (failed == [] or rules.overridable(failed)):
                raise ValidationError(
                    [r.message for r in refusals if r.rule not in rules.OVERRIDABLE]
                )
            try:
                with transaction.atomic():
                    found.candidate = Candidate.objects.create(
                        year=found.year, school=school, registered_by=found.requested_by,
                        overridden_rules=failed, override_reason=reason, overridden_by=by,
                        **form.candidate_fields(),
                    )  # fmt: skip
            except IntegrityError as exc:
                raise ValidationError(
                    _("This identity number was registered meanwhile; decline the request.")
                ) from exc
            found.state = OverrideRequest.State.APPROVED
        else:
            found.state = OverrideRequest.State.DECLINED
        found.save()
        _changed(school, found.year)
    return found


# --- instrument documents ---


def instrument_publish(*, year: int, instrument: str, title: str, upload,
                       by) -> InstrumentRelease:  # fmt: skip
    """Publish an instrument's document (a PDF the form checked) with its SHA-256."""
    if instrument not in rules.INSTRUMENTS:
        raise ValidationError(_("Unknown instrument."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    upload.seek(0)
    with transaction.atomic():
        board = _year_for_update(year)
        release = InstrumentRelease(
            assessment_year=board,
            instrument=instrument,
            title=" ".join(title.split())[:200],
            sha256=sha256,
            published_by=by,
        )
        # The name is the board's, not the uploader's (no path, no surprise).
        release.document.save(f"{instrument}-{sha256[:16]}.pdf", upload, save=False)
        release.save()
    return release


def instrument_download(*, school, release: InstrumentRelease, by) -> InstrumentCheck:
    """Record that ``by`` downloaded the document for the school (the latest download kept)."""
    year = release.assessment_year.year
    if not school_runs(school=school, year=year).runs_pasr:
        raise ValidationError(
            _(
                "This school does not run PASR in %(year)s (no PPKI programme and no partial "
                "inclusive education declared)."
            )
            % {"year": year}
        )
    with transaction.atomic():
        check, _created = InstrumentCheck.objects.get_or_create(school=school, release=release)
        check.downloaded_by, check.downloaded_at = by, timezone.now()
        check.save(update_fields=["downloaded_by", "downloaded_at"])
        events.school_changed(school.id, year)
    return check


def instrument_verify(*, school, release: InstrumentRelease, by, note: str = "") -> InstrumentCheck:
    """Record the head's verification of the document the school downloaded (seed 6.10)."""
    with transaction.atomic():
        check = (
            InstrumentCheck.objects.select_for_update().filter(school=school, release=release)
        ).first()
        if check is None or check.downloaded_at is None:
            raise ValidationError(
                _("Download the document first: the head verifies the instrument downloaded.")
            )
        check.verified_by, check.verified_at = by, timezone.now()
        check.note = (note or "").strip()
        check.save(update_fields=["verified_by", "verified_at", "note"])
        events.school_changed(school.id, release.assessment_year.year)
    return check
