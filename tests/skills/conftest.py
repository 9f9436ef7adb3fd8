"""The skills world: the body, two centres, their people, a standard, accreditations.

Shared by every skills test (and the skills permission matrix). Personas in
``sw.users`` (None = anonymous); the ministry's personas stay in ``world``.
"""

import datetime

import pytest
from django.utils import timezone

from tests.factories import person


class SkillsWorld:
    """Centre A (accredited, valid) and centre B (its accreditation expired)."""


@pytest.fixture
def skills_world(db):
    from skills.models import Accreditation, Centre, CompetencyUnit, Sector, Standard, Trainee

    sw = SkillsWorld()
    today = timezone.localdate()
    sw.today = today
    sw.sector = Sector.objects.create(code="IT", name_ms="Teknologi Maklumat",
                                      name_en="Information technology")  # fmt: skip
    sw.standard = Standard.objects.create(
        code="IT-010-3:2016", title_ms="Pembangunan Perisian", title_en="Software development",
        sector=sw.sector, level=3, version="2016", is_demo=True,
    )  # fmt: skip
    sw.units = [
        CompetencyUnit.objects.create(
            standard=sw.standard,
            code=f"IT-010-3:2016-C0{i}",
            title_ms=f"Unit {i}",
            title_en=f"Unit {i}",
            hours=40 * i,
            order=i,
        )  # fmt: skip
        for i in (1, 2, 3)
    ]
    sw.centre_a = Centre.objects.create(code="PB-A001", name="Pusat Latihan Alfa")
    sw.centre_b = Centre.objects.create(code="PB-B002", name="Pusat Latihan Bravo")
    sw.accreditation_a = Accreditation.objects.create(
        centre=sw.centre_a, standard=sw.standard, state="approved",
        valid_from=today - datetime.timedelta(days=365),
        expires_on=today + datetime.timedelta(days=365), decided_at=timezone.now(),
    )  # fmt: skip
    sw.accreditation_b = Accreditation.objects.create(
        centre=sw.centre_b, standard=sw.standard, state="approved",
        valid_from=today - datetime.timedelta(days=800),
        expires_on=today - datetime.timedelta(days=35), decided_at=timezone.now(),
    )  # fmt: skip
    trainee_user = person("pelatih.ali")
    sw.trainee = Trainee.objects.create(id_number="990101105555", name="Ali bin Abu",
                                        user=trainee_user)  # fmt: skip
    sw.users = {
        "anonymous": None,
        "centre_admin_a": person("admin.pba", roles=[("centre_admin", sw.centre_a)]),
        "centre_admin_b": person("admin.pbb", roles=[("centre_admin", sw.centre_b)]),
        # An assessor (PP) working for both centres.
        "assessor_ab": person(
            "pp.both", roles=[("assessor", sw.centre_a), ("assessor", sw.centre_b)]
        ),  # fmt: skip
        # An external verifier (PPL) of the body.
        "verifier": person("ppl.jpk", roles=[("verifier", "JPK")]),
        "cert_officer": person("pegawai.jpk", roles=[("certification_officer", "JPK")]),
        "trainee": trainee_user,
    }
    # Serving needs an approval in force (Modul Personel): the assessor as PP and the
    # verifier as PPL for the standard, from two years ago to a year ahead.
    from tests.skills.training_factories import approve_personnel

    approve_personnel(sw.users["assessor_ab"], "pp", sw.standard)
    approve_personnel(sw.users["verifier"], "ppl", sw.standard)
    return sw


@pytest.fixture
def english(settings):
    """Pages in English for the tests that read their words (Malay is the default)."""
    settings.LANGUAGE_CODE = "en"
