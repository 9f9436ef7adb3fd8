"""Intakes, trainees and results for the training tests (built on ``skills_world``)."""

import datetime

from skills.models import Enrolment, Intake, Result, Trainee


def intake_at(sw, centre="a", *, code="2026/01", state="open", days_ago=30, verifier=None):
    """An intake of centre A's (or B's) accreditation that started ``days_ago`` days ago."""
    accreditation = sw.accreditation_a if centre == "a" else sw.accreditation_b
    starts = sw.today - datetime.timedelta(days=days_ago)
    if centre == "b":  # B's accreditation expired 35 days ago: its intake started before that
        starts = sw.today - datetime.timedelta(days=100)
    return Intake.objects.create(
        centre=accreditation.centre, accreditation=accreditation, code=code, starts_on=starts,
        ends_on=starts + datetime.timedelta(days=180), state=state, verifier=verifier,
    )  # fmt: skip


def trainees_in(intake, n, *, start=1):
    """Enrol ``n`` new trainees (identity numbers 0001...) and return their enrolments."""
    enrolments = []
    for i in range(start, start + n):
        trainee, _ = Trainee.objects.get_or_create(
            id_number=f"0001011{i:05d}", defaults={"name": f"Pelatih {i:03d}"}
        )
        enrolments.append(Enrolment.objects.create(intake=intake, trainee=trainee))
    return enrolments


def assess_all(sw, intake, assessor, outcome="competent", on=None):
    """Give every enrolment a result in every CU (by ``assessor``, on ``on`` or yesterday)."""
    on = on or sw.today - datetime.timedelta(days=1)
    for enrolment in intake.enrolments.all():
        for unit in sw.units:
            Result.objects.create(
                enrolment=enrolment, unit=unit, outcome=outcome, assessed_on=on,
                assessor=assessor,
            )  # fmt: skip


def approve_personnel(user, role, standard, *, valid_from=None, expires_on=None, state="approved"):
    """``user`` approved as ``role`` ("pp" or "ppl") for ``standard`` (Modul Personel), in
    force from two years ago to a year ahead unless dates are given; return the approval.

    Written directly (the services' path is tested in tests/skills/test_personnel.py).
    """
    from django.utils import timezone

    from skills.models import PersonnelApplication, PersonnelApproval

    today = timezone.localdate()
    valid_from = valid_from or today - datetime.timedelta(days=730)
    expires_on = expires_on or today + datetime.timedelta(days=365)
    application = PersonnelApplication.objects.create(
        applicant=user, role=role, sector_id=standard.sector_id, held_level=standard.level,
        industry_years=5, pp_years=3, qualifications=f"SKM {standard.level} ({standard.code})",
    )  # fmt: skip
    return PersonnelApproval.objects.create(
        application=application, person=user, role=role, standard=standard, state=state,
        induction_course="Kursus Induksi PP/PPL", induction_on=valid_from,
        valid_from=valid_from, expires_on=expires_on, decided_at=timezone.now(),
    )  # fmt: skip
