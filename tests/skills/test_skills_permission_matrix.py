"""Skills certification's permission matrix: every URL x every persona, every POST act's effect.

Personas: the skills world's (``sw.users``) and the ministry's (``world``),
none of whom holds a skills role.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from skills import pdfs, rules

SKILLS = ["anonymous", "centre_admin_a", "centre_admin_b", "assessor_ab", "verifier",
          "cert_officer", "trainee"]  # fmt: skip
MINISTRY = ["coord_a", "resp_a", "officer_d1", "officer_s1", "national", "admin", "head_a",
            "exam_sec_a", "teacher_a", "pibk_officer_d1", "subject_head_a", "pasr_teacher_a",
            "lp_officer"]  # fmt: skip
PERSONAS = SKILLS + MINISTRY


def expect(default, **overrides):
    return {p: overrides.get(p, default) for p in PERSONAS}


@pytest.fixture
def both(world, skills_world):
    cache.clear()
    sw = skills_world
    sw.users = {**{k: v for k, v in world.users.items() if k in MINISTRY}, **sw.users}
    return sw


def user_of(sw, persona):
    return sw.users[persona]


# ---------------------------------------------------------------- certificates
def _certificates(sw):
    """Centre A's intake with the world's trainee certified, and a failed batch."""
    from skills.models import IssueBatch
    from skills.services import certificates as services

    from .certificate_helpers import ALL_COMPETENT, enrol, intake_of

    if hasattr(sw, "certificate"):
        return sw
    sw.intake = intake_of(sw)
    enrolment = enrol(sw, sw.intake, sw.trainee, ALL_COMPETENT)
    sw.certificate = services.certificates_issue_for_enrolment(
        enrolment=enrolment, by=sw.users["cert_officer"]
    ).certificate
    sw.batch = IssueBatch.objects.create(intake=sw.intake, requested_by=sw.users["cert_officer"],
                                         state="failed", total=1, done=0)  # fmt: skip
    return sw


# Staff who see centre A's certificates: the body's officer, A's staff, the PPL, an admin.
SEES_A = {"anonymous": 302, "cert_officer": 200, "centre_admin_a": 200, "assessor_ab": 200,
          "verifier": 200, "admin": 200, "centre_admin_b": 404}  # fmt: skip
CERTIFY_ONLY = {"anonymous": 302, "cert_officer": 200}


def _cert_rows():
    return [
        ("skills:intake_certify", lambda sw: {"code": sw.centre_a.code, "pk": sw.intake.pk}, {},
         expect(403, **CERTIFY_ONLY)),
        ("skills:issue_batch", lambda sw: {"pk": sw.batch.pk}, {}, expect(403, **CERTIFY_ONLY)),
        ("skills:certificate", lambda sw: {"pk": sw.certificate.pk}, {}, expect(403, **SEES_A)),
        ("skills:certificate_pdf", lambda sw: {"pk": sw.certificate.pk}, {},
         expect(403, **SEES_A, trainee=200)),
        ("skills:statistics", lambda sw: {}, {},
         expect(403, anonymous=302, cert_officer=200, admin=200, centre_admin_a=200,
                centre_admin_b=200)),
        ("skills:check", lambda sw: {}, {"no": "CERT"}, expect(200)),
        ("skills:check_token", lambda sw: {"token": pdfs.check_token(sw.certificate)}, {},
         expect(200)),
    ]  # fmt: skip


ROWS = [(name, persona, status) for name, _k, _q, statuses in _cert_rows()
        for persona, status in statuses.items()]  # fmt: skip


@pytest.mark.parametrize(("name", "persona", "status"), ROWS)
def test_certificates_pages(both, login, name, persona, status):
    sw = _certificates(both)
    _name, kwargs, query, _s = next(r for r in _cert_rows() if r[0] == name)
    query = {k: (sw.certificate.reference if v == "CERT" else v) for k, v in query.items()}
    response = login(user_of(sw, persona)).get(reverse(name, kwargs=kwargs(sw)), query)
    assert response.status_code == status, f"{name} as {persona}"


# Each POST act: who may, and what changed in the database.
def _revoked(sw):
    sw.certificate.refresh_from_db()
    return sw.certificate.status == rules.REVOKED_CERT


def _reissued(sw):
    from skills.models import Certificate

    return Certificate.objects.filter(number=sw.certificate.number, version=2).exists()


def _batch_requested(sw):
    from skills.models import IssueBatch

    return IssueBatch.objects.filter(intake=sw.intake).count() == 2


def _batch_restarted(sw):
    sw.batch.refresh_from_db()
    return sw.batch.state != "failed"


ACTS = [
    ("skills:certificate_revoke", lambda sw: {"pk": sw.certificate.pk},
     {"reason": "Dokumen palsu"}, _revoked),
    ("skills:certificate_reissue", lambda sw: {"pk": sw.certificate.pk},
     {"holder_name": "Ali bin Abu Bakar", "reason": "Ejaan nama"}, _reissued),
    ("skills:intake_certify", lambda sw: {"code": sw.centre_a.code, "pk": sw.intake.pk}, {},
     _batch_requested),
    ("skills:issue_batch_restart", lambda sw: {"pk": sw.batch.pk}, {}, _batch_restarted),
]  # fmt: skip

# Only the body's certification officer certifies; everyone else changes nothing.
ACT_STATUS = {"anonymous": 302, "cert_officer": 302}
ACT_ROWS = [(act[0], persona) for act in ACTS for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), ACT_ROWS)
def test_certificates_acts(both, login, name, persona):
    sw = _certificates(both)
    sw.intake.state = rules.INTAKE_VERIFIED
    sw.intake.save()
    _n, kwargs, data, changed = next(a for a in ACTS if a[0] == name)
    client = login(user_of(sw, persona))
    response = client.post(reverse(name, kwargs=kwargs(sw)), data)
    allowed = persona == "cert_officer"
    # Seeing a certificate (centre staff, the PPL, an admin) is not certifying: 403.
    expected = ACT_STATUS.get(persona, 403)
    assert response.status_code == expected, f"{name} as {persona}"
    assert changed(sw) is allowed, f"{name} as {persona}: database effect"
