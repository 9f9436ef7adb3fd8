"""Reads of certification (Persijilan): what a trainee earned, the public check, statistics."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Max, Q

from .. import rules
from ..models import (
    AccreditationEvent,
    Certificate,
    CompetencyUnit,
    Result,
)


def certificates_of(trainee):
    """Return ``trainee``'s certificates, current versions first, with what a list shows."""
    return list(
        Certificate.objects.filter(trainee=trainee)
        .select_related("standard", "centre")
        .order_by("-issued_on", "number", "-version")
    )


def intake_certificates(intake):
    """Return the certificates issued for ``intake`` (every version), with their trainee."""
    return list(
        Certificate.objects.filter(intake=intake)
        .select_related("trainee")
        .order_by("holder_name", "number", "version")
    )


def certificate_current(certificate):
    """Return the current version of ``certificate``'s number (itself if it is the latest)."""
    return (
        Certificate.objects.filter(number=certificate.number)
        .select_related("standard", "centre")
        .order_by("-version")
        .first()
    )


# --- the public check ---
CHECK_FIELDS = (
    "id", "number", "version", "reference", "kind", "holder_name", "level", "issued_on",
    "status", "revoked_reason", "revoked_at", "trainee_id",
    "standard__code", "standard__title_ms", "standard__title_en",
    "centre__code", "centre__name",
)  # fmt: skip


@dataclass(frozen=True)
class Checked:
    """What the public check shows of a certificate: nothing more is read."""

    pk: int
    number: str
    version: int
    reference: str
    kind: str
    holder_name: str
    level: int
    issued_on: datetime.date
    status: str
    revoked_reason: str
    revoked_at: datetime.datetime | None
    trainee_id: int
    standard: SimpleNamespace
    centre: SimpleNamespace


def certificate_for_check(*, reference: str | None = None, pk: int | None = None):
    """Return the certificate the public check shows (by reference or pk), or None: one query.

    Plain values, not a model instance (the hot public path: half the work),
    and only what the check shows; the holder's identity number stays in the
    database (``holder_id_number`` is read only to answer a yes/no question).
    """
    rows = Certificate.objects.filter(**({"reference": reference} if reference is not None
                                        else {"pk": pk}))  # fmt: skip
    row = rows.values_list(*CHECK_FIELDS).first()
    if row is None:
        return None
    v = dict(zip(CHECK_FIELDS, row, strict=True))
    return Checked(
        pk=v["id"], number=v["number"], version=v["version"], reference=v["reference"],
        kind=v["kind"], holder_name=v["holder_name"], level=v["level"],
        issued_on=v["issued_on"], status=v["status"], revoked_reason=v["revoked_reason"],
        revoked_at=v["revoked_at"], trainee_id=v["trainee_id"],
        standard=SimpleNamespace(code=v["standard__code"], title_ms=v["standard__title_ms"],
                                 title_en=v["standard__title_en"]),
        centre=SimpleNamespace(code=v["centre__code"], name=v["centre__name"]),
    )  # fmt: skip


def current_reference(certificate) -> str | None:
    """Return the reference of the current version of a superseded certificate (one query)."""
    return (
        Certificate.objects.filter(number=certificate.number, version__gt=certificate.version)
        .order_by("-version")
        .values_list("reference", flat=True)
        .first()
    )


def holder_id_number(certificate) -> str:
    """Return the holder's identity number, for a constant-time comparison only (one query)."""
    from ..models import Trainee

    rows = Trainee.objects.filter(pk=certificate.trainee_id).values_list("id_number", flat=True)
    return rows.first() or ""


# --- issuing ---
@dataclass(frozen=True)
class IntakeFacts:
    """What every enrolment of an intake shares, read once per batch."""

    standard_units: frozenset  # every CU of the standard
    accredited_units: frozenset  # the CUs the centre may certify (full: all)
    accreditation: object
    events: tuple


def intake_facts(intake) -> IntakeFacts:
    accreditation = intake.accreditation
    units = frozenset(
        CompetencyUnit.objects.filter(standard_id=accreditation.standard_id).values_list(
            "pk", flat=True
        )
    )
    if accreditation.mode == rules.MODULAR:
        accredited = frozenset(accreditation.units.values_list("pk", flat=True)) & units
    else:
        accredited = units
    events = tuple(AccreditationEvent.objects.filter(accreditation=accreditation))
    return IntakeFacts(units, accredited, accreditation, events)


def enrolments_earned(enrolment_ids):
    """Return {enrolment id: (CU ids competent and verified, the latest of their dates)}."""
    earned = defaultdict(lambda: (set(), None))
    rows = Result.objects.filter(
        enrolment_id__in=enrolment_ids, outcome=rules.COMPETENT, verified_at__isnull=False
    ).values_list("enrolment_id", "unit_id", "assessed_on")
    for enrolment_id, unit_id, assessed_on in rows:
        units, latest = earned[enrolment_id]
        units.add(unit_id)
        earned[enrolment_id] = (units, assessed_on if latest is None else max(latest, assessed_on))
    return {k: (frozenset(u), d) for k, (u, d) in earned.items()}


def latest_batch(intake):
    from ..models import IssueBatch

    return IssueBatch.objects.filter(intake=intake).order_by("-requested_at", "-pk").first()


def intake_certification_summary(intake):
    """Return counts for the intake's certification page (one query)."""
    return intake.enrolments.aggregate(
        enrolled=Count("pk", distinct=True),
        certified=Count("trainee__certificates__number", distinct=True,
                        filter=Q(trainee__certificates__intake=intake)),
        last_assessed=Max("results__assessed_on"),
    )  # fmt: skip
