"""Intakes, enrolments and results made directly, for the certification tests."""

import datetime

from django.utils import timezone

from skills.models import Enrolment, Intake, Result, Trainee

_serial = iter(range(10_000_000))


def intake_of(sw, *, centre=None, accreditation=None, state="verified", code=None):
    centre = centre or sw.centre_a
    accreditation = accreditation or sw.accreditation_a
    return Intake.objects.create(
        centre=centre,
        accreditation=accreditation,
        code=code or f"K{next(_serial):05d}",
        starts_on=sw.today - datetime.timedelta(days=120),
        ends_on=sw.today - datetime.timedelta(days=10),
        state=state,
        verifier=sw.users["verifier"],
    )


def trainee(name="Siti binti Ahmad", id_number=None, user=None):
    number = id_number or f"{900101100000 + next(_serial):012d}"
    return Trainee.objects.create(id_number=number, name=name, user=user)


def enrol(sw, intake, person, outcomes, *, assessed_on=None, verified=True):
    """Enrol ``person`` with a result per CU: outcomes = {unit index: "competent"|"not_yet"}."""
    enrolment = Enrolment.objects.create(intake=intake, trainee=person)
    day = assessed_on or (sw.today - datetime.timedelta(days=15))
    for index, outcome in outcomes.items():
        Result.objects.create(
            enrolment=enrolment,
            unit=sw.units[index],
            outcome=outcome,
            assessed_on=day,
            assessor=sw.users["assessor_ab"],
            verified_at=timezone.now() if verified else None,
        )
    return enrolment


ALL_COMPETENT = {0: "competent", 1: "competent", 2: "competent"}
