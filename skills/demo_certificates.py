"""The demo's certificates: one valid, one revoked, one superseded (interfaces.md, seed_demo).

Composes with the rest of the skills demo: it reuses the demo's standard,
centre and people when they exist and makes its own small ones otherwise.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import rules
from .models import (
    Accreditation,
    Centre,
    Certificate,
    CompetencyUnit,
    Enrolment,
    Intake,
    Result,
    Sector,
    Standard,
    Trainee,
)  # fmt: skip
from .services.certificates import (
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_enrolment,
)

OFFICER = "pegawai.sijil"
TRAINEE = "pelatih.demo"
INTAKE_CODE = "DEMO-SIJIL"


def _person(username, password, role=None, unit_code=None):
    from core.people.services import role_grant
    from core.people.units import unit_resolve

    user, created = get_user_model().objects.get_or_create(username=username,
                                                           defaults={"role": "person"})  # fmt: skip
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if role:
        role_grant(user=user, role=role, unit=unit_resolve(unit_code))
    return user


def seed(stdout, password):
    """Issue the demo intake's certificates once; print the three numbers; return the logins."""
    officer = _person(OFFICER, password, "certification_officer", "JPK")
    trainee_user = _person(TRAINEE, password)
    logins = [
        ("skills certification officer (JPK)", OFFICER, password, "/kemahiran/statistik/"),
        ("skills trainee", TRAINEE, password, "their certificates"),
    ]
    intake = Intake.objects.filter(code=INTAKE_CODE).select_related("centre").first()
    if intake is None:
        intake = _intake(officer)
        people = [
            ("Nur Aisyah Humaira binti Mohd Khairul Anuar Syafiq", "020202145678", trainee_user),
            ("Tan Wei Ming", "010303106789", None),
            ("Muthu a/l Ramasamy", "000404087890", None),
        ]
        made = []
        units = list(CompetencyUnit.objects.filter(standard=intake.accreditation.standard))
        for name, id_number, user in people:
            trainee, _c = Trainee.objects.get_or_create(
                id_number=id_number, defaults={"name": name, "user": user}
            )
            enrolment = Enrolment.objects.create(intake=intake, trainee=trainee)
            for unit in units:
                Result.objects.create(
                    enrolment=enrolment, unit=unit, outcome=rules.COMPETENT,
                    assessed_on=intake.ends_on, assessor=officer, verified_at=timezone.now(),
                )  # fmt: skip
            made.append(certificates_issue_for_enrolment(enrolment=enrolment, by=officer))
        certificate_revoke(certificate=made[1].certificate, by=officer,
                           reason="Bukti penilaian didapati tidak sah.")  # fmt: skip
        certificate_reissue(certificate=made[2].certificate, by=officer,
                            holder_name="Muthu a/l Ramasamy Pillai",
                            reason="Nama dibetulkan atas permintaan pemegang.")  # fmt: skip
    certificates = Certificate.objects.filter(intake=intake, version=1).order_by("pk")
    by_status = {c.status: c.reference for c in certificates}
    stdout.write("Demo skills certificates (check them at /sijil/semak/?no=...):")
    for status in (rules.VALID, rules.REVOKED_CERT, rules.SUPERSEDED):
        stdout.write(f"  {status.ljust(10)}  {by_status.get(status, '-')}")
    return logins


def _intake(officer):
    today = timezone.localdate()
    standard = Standard.objects.filter(is_demo=True).order_by("code").first()
    if standard is None:
        sector, _c = Sector.objects.get_or_create(
            code="IT",
            defaults={"name_ms": "Teknologi Maklumat", "name_en": "Information technology"},
        )
        standard = Standard.objects.create(
            code="IT-010-3:2016", title_ms="Pembangunan Aplikasi Perisian",
            title_en="Software application development", sector=sector, level=3, is_demo=True,
        )  # fmt: skip
    if not standard.units.exists():
        for i, (ms, en) in enumerate([("Analisis keperluan", "Requirements analysis"),
                                      ("Reka bentuk aplikasi", "Application design"),
                                      ("Pengaturcaraan", "Programming")], start=1):  # fmt: skip
            CompetencyUnit.objects.create(standard=standard, code=f"{standard.code}-C0{i}",
                                          title_ms=ms, title_en=en, hours=80, order=i)  # fmt: skip
    centre = Centre.objects.order_by("code").first() or Centre.objects.create(
        code="PB-DEMO1", name="Pusat Latihan Kemahiran Demo"
    )
    accreditation = Accreditation.objects.create(
        centre=centre, standard=standard, state=rules.APPROVED,
        valid_from=today - datetime.timedelta(days=400),
        expires_on=today + datetime.timedelta(days=700), decided_at=timezone.now(),
        decided_by=officer,
    )  # fmt: skip
    return Intake.objects.create(
        centre=centre, accreditation=accreditation, code=INTAKE_CODE,
        starts_on=today - datetime.timedelta(days=200), ends_on=today - datetime.timedelta(days=20),
        state=rules.INTAKE_VERIFIED, created_by=officer,
    )  # fmt: skip
