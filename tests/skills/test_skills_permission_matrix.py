"""Every skills URL against every persona: the skills world's and the ministry's.

Each row: a URL built from the worlds, then the expected status for each
persona (302: sent to the login page). Each POST act lists who may do it and
a function reading its effect in the database: for them it changes, for
everyone else nothing does. Each skills area adds its rows under its comment.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

SKILLS_PERSONAS = ["anonymous", "centre_admin_a", "centre_admin_b", "assessor_ab", "verifier",
                   "cert_officer", "trainee"]  # fmt: skip
# The ministry's people: skills is not their programme, except the administrator's.
MINISTRY_PERSONAS = ["coord_a", "resp_a", "officer_d1", "officer_s1", "national", "admin",
                     "head_a", "exam_sec_a", "lp_officer"]  # fmt: skip
PERSONAS = SKILLS_PERSONAS + MINISTRY_PERSONAS


def expect(default, **overrides):
    return {p: overrides.get(p, default) for p in PERSONAS}


class Both:
    """The skills world with the ministry's personas in ``users`` and training objects."""


@pytest.fixture
def both(world, skills_world):
    from tests.skills.training_factories import assess_all, intake_at, trainees_in

    sw = skills_world
    sw.users = {**{p: world.users[p] for p in MINISTRY_PERSONAS}, **sw.users}
    # training: centre A's intake (3 trainees, assessed, submitted, assigned to the PPL),
    # an open one, and centre B's.
    sw.intake_a = intake_at(sw, code="2026/01", state="submitted", verifier=sw.users["verifier"])
    sw.enrolments_a = trainees_in(sw.intake_a, 3)
    assess_all(sw, sw.intake_a, sw.users["assessor_ab"])
    sw.open_a = intake_at(sw, code="2026/02")
    sw.open_enrolments = trainees_in(sw.open_a, 2, start=20)
    sw.intake_b = intake_at(sw, "b", code="2025/09")
    return sw


# -- training --------------------------------------------------------------------------

# Who sees centre A's intakes (skills.centre.view / skills.trainees.view).
SEES_A = {"anonymous": 302, "centre_admin_a": 200, "centre_admin_b": 404, "assessor_ab": 200,
          "verifier": 200, "cert_officer": 200, "admin": 200}  # fmt: skip
# Centre A's administrator only (skills.intake.manage).
MANAGES_A = {"anonymous": 302, "centre_admin_a": 200, "centre_admin_b": 404}


def _pk(sw, name):
    return getattr(sw, name).pk


def _a(sw, rest=""):
    return f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{rest}"


ROWS = [
    # training
    ("intakes A", lambda sw: _a(sw), expect(403, **SEES_A)),
    ("intakes B", lambda sw: f"/kemahiran/pusat/{sw.centre_b.code}/pengambilan/",
     expect(403, **{**SEES_A, "centre_admin_a": 404, "centre_admin_b": 200})),
    ("intakes of a centre that does not exist", lambda sw: "/kemahiran/pusat/ZZ-0/pengambilan/",
     expect(403, **{**{k: 404 for k in SEES_A}, "anonymous": 302})),
    ("intake new A", lambda sw: _a(sw, "baru/"), expect(403, **MANAGES_A)),
    ("intake A", lambda sw: _a(sw, f"{sw.intake_a.pk}/"), expect(403, **SEES_A)),
    ("intake B seen from A", lambda sw: _a(sw, f"{sw.intake_b.pk}/"),
     expect(403, **{**{k: 404 for k in SEES_A}, "anonymous": 302})),
    ("intake register A", lambda sw: _a(sw, f"{sw.open_a.pk}/pelatih/"),
     expect(403, **MANAGES_A)),
    ("intake import A", lambda sw: _a(sw, f"{sw.open_a.pk}/muat-naik/"), expect(403, **MANAGES_A)),
    ("intake submit A", lambda sw: _a(sw, f"{sw.open_a.pk}/hantar/"), expect(403, **MANAGES_A)),
    ("results A", lambda sw: _a(sw, f"{sw.open_a.pk}/keputusan/"),
     expect(403, anonymous=302, assessor_ab=200)),
    ("results B", lambda sw: f"/kemahiran/pusat/{sw.centre_b.code}/pengambilan/"
     f"{sw.intake_b.pk}/keputusan/", expect(403, anonymous=302, assessor_ab=200)),
    ("intake assign A", lambda sw: _a(sw, f"{sw.intake_a.pk}/ppl/"),
     expect(403, anonymous=302, cert_officer=200, admin=200)),
    ("verifications", lambda sw: "/kemahiran/verifikasi/",
     expect(403, anonymous=302, verifier=200)),
    ("verify A", lambda sw: f"/kemahiran/verifikasi/{sw.intake_a.pk}/",
     expect(403, anonymous=302, verifier=200)),
    ("verify an intake not assigned", lambda sw: f"/kemahiran/verifikasi/{sw.open_a.pk}/",
     expect(403, anonymous=302, verifier=404)),
    ("trainee's own page", lambda sw: "/kemahiran/saya/", expect(404, anonymous=302, trainee=200)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "persona", "status"),
    [
        pytest.param(url, persona, statuses[persona], id=f"{name}-{persona}")
        for name, url, statuses in ROWS
        for persona in PERSONAS
    ],
)
def test_skills_permission_matrix(both, login, url, persona, status):
    response = login(both.users[persona]).get(url(both))
    assert response.status_code == status, f"{persona} got {response.status_code}"
    if status == 302:
        assert response["Location"].startswith("/login/")


# -- training: the POST acts and their effect ---------------------------------------------


def _intakes(sw):
    from skills.models import Intake

    return sorted(Intake.objects.values_list("code", "state", "verifier_id"))


def _enrolments(sw):
    from skills.models import Enrolment

    return sorted(Enrolment.objects.values_list("intake_id", "trainee__id_number"))


def _results(sw):
    from skills.models import Result

    return sorted(Result.objects.values_list("enrolment_id", "unit_id", "outcome", "verified_at"))


def _verifications(sw):
    from skills.models import Result, Verification

    return (
        _intakes(sw),
        list(Verification.objects.values_list("decision", "verifier_id")),
        Result.objects.filter(verified_at__isnull=False).count(),
    )


def _grid(sw):
    data = {f"r-{e.pk}-{u.pk}": "competent" for e in sw.open_enrolments for u in sw.units}
    return {**data, "assessed_on": (sw.today - datetime.timedelta(days=1)).isoformat()}


def _list(sw):
    return {"file": SimpleUploadedFile("senarai.csv", b"id_number,name\n010101101001,Ahmad\n")}


ACTS = [
    # (name, url, form, personas who may, effect)
    # training
    ("intake open", lambda sw: _a(sw, "baru/"),
     lambda sw: {"accreditation": sw.accreditation_a.pk, "code": "BARU",
                 "starts_on": sw.today.isoformat(),
                 "ends_on": (sw.today + datetime.timedelta(days=60)).isoformat()},
     {"centre_admin_a"}, _intakes),
    ("trainee enrol", lambda sw: _a(sw, f"{sw.open_a.pk}/pelatih/"),
     {"id_number": "010101-10-1001", "name": "Ahmad"}, {"centre_admin_a"}, _enrolments),
    ("trainee import", lambda sw: _a(sw, f"{sw.open_a.pk}/muat-naik/"), _list,
     {"centre_admin_a"}, _enrolments),
    ("results record", lambda sw: _a(sw, f"{sw.open_a.pk}/keputusan/"), _grid,
     {"assessor_ab"}, _results),
    ("intake submit", lambda sw: _a(sw, f"{sw.open_a.pk}/hantar/"), {"confirm": "1"},
     {"centre_admin_a"}, _intakes),
    ("verifier assign", lambda sw: _a(sw, f"{sw.open_a.pk}/ppl/"),
     lambda sw: {"verifier": sw.users["verifier"].pk}, {"cert_officer", "admin"}, _intakes),
    ("verify approve", lambda sw: f"/kemahiran/verifikasi/{sw.intake_a.pk}/",
     {"scope": "all", "decision": "approved"}, {"verifier"}, _verifications),
    ("verify return", lambda sw: f"/kemahiran/verifikasi/{sw.intake_a.pk}/",
     {"scope": "all", "decision": "returned", "comments": "Semak CU3"}, {"verifier"},
     _verifications),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "data", "persona", "allowed", "effect"),
    [
        pytest.param(url, data, persona, persona in allowed, effect, id=f"{name}-{persona}")
        for name, url, data, allowed, effect in ACTS
        for persona in PERSONAS
    ],
)
def test_skills_acts_matrix(both, login, url, data, persona, allowed, effect):
    client = login(both.users[persona])
    form = data(both) if callable(data) else data
    before = effect(both)
    response = client.post(url(both), form)
    after = effect(both)
    if allowed:
        assert response.status_code == 302, f"{persona} got {response.status_code}"
        assert after != before, f"{persona}: nothing changed"
    else:
        assert response.status_code in (302, 403, 404), f"{persona} got {response.status_code}"
        if response.status_code == 302:
            assert persona == "anonymous" and response["Location"].startswith("/login/")
        assert after == before, f"{persona} changed {before} into {after}"
