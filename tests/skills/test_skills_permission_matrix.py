"""Skills certification: every URL against every persona, and every POST act's effect.

The personas: the skills world's (``skills_world``: centre A's and B's
administrators, an assessor of both, the body's verifier and certification
officer, a trainee) and the ministry's (``world``: school accounts, officers,
the administrator). 302 for anonymous means "sent to the login page".
Each area of the skills app adds its rows at the end, under its name.
"""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from skills import pdfs, rules

SKILLS_PERSONAS = ["centre_admin_a", "centre_admin_b", "assessor_ab", "verifier",
                   "cert_officer", "trainee"]  # fmt: skip
MINISTRY_PERSONAS = [
    "coord_a", "coord_b", "resp_a", "officer_d1", "officer_d2", "officer_s1", "officer_s2",
    "national", "admin", "head_a", "exam_sec_a", "teacher_a", "pibk_officer_d1",
    "subject_head_a", "pasr_teacher_a", "lp_officer",
]  # fmt: skip
PERSONAS = ["anonymous", *SKILLS_PERSONAS, *MINISTRY_PERSONAS]


def expect(default, **overrides):
    return {p: overrides.get(p, default) for p in PERSONAS}


def _check_page(response, status, label):
    """A page's answer: ``status``, or (a path) a redirect there; 302 alone: the login page."""
    if isinstance(status, str):
        assert response.status_code == 302, f"{label} got {response.status_code}"
        assert response["Location"] == status, label
        return
    assert response.status_code == status, f"{label} got {response.status_code}"
    if status == 302:
        assert response["Location"].startswith("/login/")


def _check_act(response, persona, allowed, before, after, label=None):
    """A POST act's answer and effect: allowed, a redirect and the database changed; refused
    (403, 404, the login page for anonymous), nothing changed."""
    label = label or persona
    if allowed:
        assert response.status_code == 302, f"{label} got {response.status_code}"
        assert after != before, f"{label}: nothing changed"
        return
    assert response.status_code in (302, 403, 404), f"{label} got {response.status_code}"
    if response.status_code == 302:
        assert persona == "anonymous" and response["Location"].startswith("/login/")
    assert after == before, f"{label} changed {before} into {after}"


@pytest.fixture
def both(world, skills_world):
    """The skills world with the ministry's personas beside its own."""
    skills_world.users = {**world.users, **skills_world.users}
    return skills_world


def _second_standard(sw):
    """A standard no centre is accredited for (to apply for), with two CUs."""
    from skills.models import CompetencyUnit, Standard

    standard, created = Standard.objects.get_or_create(
        code="A011-001-2:2018",
        defaults={"title_ms": "Operasi Ladang", "title_en": "Farm operation",
                  "sector": sw.sector, "level": 2},
    )  # fmt: skip
    if created:
        for i in (1, 2):
            CompetencyUnit.objects.create(standard=standard, code=f"A011-C0{i}", title_ms="U",
                                          title_en="U", hours=60, order=i)  # fmt: skip
    return standard


def _application_b(sw):
    """Centre B's application for the second standard, waiting for the body."""
    from skills.models import Accreditation

    sw.application_b = Accreditation.objects.create(
        centre=sw.centre_b, standard=_second_standard(sw), applied_by=sw.users["centre_admin_b"]
    )
    return sw.application_b


# --- accreditation and the NOSS registry (sk-acc) ---
PUBLIC = expect(200)
SEES_A = expect(403, anonymous=302, centre_admin_a=200, centre_admin_b=404, assessor_ab=200,
                verifier=200, cert_officer=200, admin=200)  # fmt: skip
SEES_B = {**SEES_A, "centre_admin_a": 404, "centre_admin_b": 200}
THE_BODY = expect(403, anonymous=302, cert_officer=200, admin=200)

# training (sk-train): centre A's administrator only (skills.intake.manage), its assessors
# (skills.assess: the assessor of both centres), and who finds no such centre or intake.
MANAGES_A = expect(403, anonymous=302, centre_admin_a=200, centre_admin_b=404)
ASSESSES = expect(403, anonymous=302, assessor_ab=200)
NOT_FOUND = ("centre_admin_a", "centre_admin_b", "assessor_ab", "verifier", "cert_officer",
             "admin")  # fmt: skip

ROWS = [
    # (name, url builder, expected statuses)
    ("noss list", lambda sw: "/kemahiran/noss/?q=IT&level=3&sector=IT&page=1", PUBLIC),
    ("noss standard", lambda sw: f"/kemahiran/noss/{sw.standard.code}/", PUBLIC),
    ("noss unknown standard", lambda sw: "/kemahiran/noss/XX-000-1:2000/", expect(404)),
    ("centre A", lambda sw: f"/kemahiran/pusat/{sw.centre_a.code}/", SEES_A),
    ("centre B", lambda sw: f"/kemahiran/pusat/{sw.centre_b.code}/", SEES_B),
    ("unknown centre", lambda sw: "/kemahiran/pusat/PB-ZZZ/", {**SEES_A, "centre_admin_a": 404,
     "assessor_ab": 404, "verifier": 404, "cert_officer": 404, "admin": 404}),
    ("apply A", lambda sw: f"/kemahiran/pusat/{sw.centre_a.code}/mohon/",
     expect(403, anonymous=302, centre_admin_a=200, centre_admin_b=404)),
    ("apply A, a standard chosen",
     lambda sw: f"/kemahiran/pusat/{sw.centre_a.code}/mohon/?standard={sw.standard.code}",
     expect(403, anonymous=302, centre_admin_a=200, centre_admin_b=404)),
    ("accreditations", lambda sw: "/kemahiran/pentauliahan/?state=approved&expiring=1", THE_BODY),
    ("accreditation A", lambda sw: f"/kemahiran/pentauliahan/{sw.accreditation_a.pk}/", THE_BODY),
    ("accreditation unknown", lambda sw: "/kemahiran/pentauliahan/999999/",
     {**THE_BODY, "cert_officer": 404, "admin": 404}),
    # --- training (sk-train): intakes, results, verification, the trainee's page ---
    ("intakes A", lambda sw: _a(sw), SEES_A),
    ("intakes B", lambda sw: f"/kemahiran/pusat/{sw.centre_b.code}/pengambilan/", SEES_B),
    ("intakes of a centre that does not exist", lambda sw: "/kemahiran/pusat/ZZ-0/pengambilan/",
     expect(403, **{p: 404 for p in NOT_FOUND}, anonymous=302)),
    ("intake new A", lambda sw: _a(sw, "baru/"), MANAGES_A),
    ("intake A", lambda sw: _a(sw, f"{_training(sw).intake_a.pk}/"), SEES_A),
    ("intake B seen from A", lambda sw: _a(sw, f"{_training(sw).intake_b.pk}/"),
     expect(403, **{p: 404 for p in NOT_FOUND}, anonymous=302)),
    ("intake register A", lambda sw: _a(sw, f"{_training(sw).open_a.pk}/pelatih/"), MANAGES_A),
    ("intake import A", lambda sw: _a(sw, f"{_training(sw).open_a.pk}/muat-naik/"), MANAGES_A),
    ("intake submit A", lambda sw: _a(sw, f"{_training(sw).open_a.pk}/hantar/"), MANAGES_A),
    ("results A", lambda sw: _a(sw, f"{_training(sw).open_a.pk}/keputusan/"), ASSESSES),
    ("results B", lambda sw: f"/kemahiran/pusat/{sw.centre_b.code}/pengambilan/"
     f"{_training(sw).intake_b.pk}/keputusan/", ASSESSES),
    ("intake assign A", lambda sw: _a(sw, f"{_training(sw).intake_a.pk}/ppl/"), THE_BODY),
    ("verifications", lambda sw: "/kemahiran/verifikasi/",
     expect(403, anonymous=302, verifier=200)),
    ("verify A", lambda sw: f"/kemahiran/verifikasi/{_training(sw).intake_a.pk}/",
     expect(403, anonymous=302, verifier=200)),
    ("verify an intake not assigned",
     lambda sw: f"/kemahiran/verifikasi/{_training(sw).open_a.pk}/",
     expect(403, anonymous=302, verifier=404)),
    ("trainee's own page", lambda sw: "/kemahiran/saya/", expect(404, anonymous=302, trainee=200)),
    # Where skills people land: each sent on to where they work (302), the assessor of
    # two centres shown both; the ministry's people have nothing here.
    ("skills home", lambda sw: "/kemahiran/",
     expect(403, anonymous=302, centre_admin_a="/kemahiran/pusat/PB-A001/",
            centre_admin_b="/kemahiran/pusat/PB-B002/", assessor_ab=200,
            verifier="/kemahiran/verifikasi/", cert_officer="/kemahiran/pentauliahan/",
            trainee="/kemahiran/saya/", admin="/kemahiran/pentauliahan/")),
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
    """A status, or (a path) a redirect there: where a person lands (302 alone: the login)."""
    _check_page(login(both.users[persona]).get(url(both)), status, persona)


# Every POST act: where allowed (302) the database changes as the act says; where
# refused (403, 404, the login page) nothing changes.
def _accreditations_of_a(sw):
    from skills.models import Accreditation

    return sorted(Accreditation.objects.filter(centre=sw.centre_a).values_list(
        "standard__code", "mode", "state", "applied_by"))  # fmt: skip


def _application_b_state(sw):
    sw.application_b.refresh_from_db()
    return (sw.application_b.state, sw.application_b.expires_on, sw.application_b.reason,
            sw.application_b.events.count())  # fmt: skip


def _a_state(sw):
    sw.accreditation_a.refresh_from_db()
    return (sw.accreditation_a.state, sw.accreditation_a.reason,
            sw.accreditation_a.events.count())  # fmt: skip


def _suspend_a(sw):
    sw.accreditation_a.state = "suspended"
    sw.accreditation_a.save()


def _apply_form(sw):
    standard = _second_standard(sw)
    return {"standard": standard.code, "mode": "modular", "note": "Bengkel baharu",
            "units": [standard.units.first().pk]}  # fmt: skip


# --- training (sk-train): the objects its rows and acts need, and the acts' effects ---


def _training(sw):
    """Centre A's intake (3 trainees assessed, submitted, assigned to the PPL), an open one
    with 2 trainees, and centre B's; built once per test."""
    if hasattr(sw, "intake_a"):
        return sw
    from tests.skills.training_factories import assess_all, intake_at, trainees_in

    sw.intake_a = intake_at(sw, code="2026/01", state="submitted", verifier=sw.users["verifier"])
    sw.enrolments_a = trainees_in(sw.intake_a, 3)
    assess_all(sw, sw.intake_a, sw.users["assessor_ab"])
    sw.open_a = intake_at(sw, code="2026/02")
    sw.open_enrolments = trainees_in(sw.open_a, 2, start=20)
    sw.intake_b = intake_at(sw, "b", code="2025/09")
    return sw


def _a(sw, rest=""):
    return f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{rest}"


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


def _trainee_list(sw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("senarai.csv", b"id_number,name\n010101101001,Ahmad\n")}


EXPIRY = (datetime.date.today() + datetime.timedelta(days=700)).isoformat()
DECIDERS = {"cert_officer", "admin"}
ACTS = [
    # (name, url, form, personas who may, effect, setup)
    ("apply", lambda sw: f"/kemahiran/pusat/{sw.centre_a.code}/mohon/", _apply_form,
     {"centre_admin_a"}, _accreditations_of_a, None),
    ("approve", lambda sw: f"/kemahiran/pentauliahan/{sw.application_b.pk}/",
     {"act": "approve", "conditions": "Dua PP", "expires_on": EXPIRY}, DECIDERS,
     _application_b_state, _application_b),
    ("refuse", lambda sw: f"/kemahiran/pentauliahan/{sw.application_b.pk}/",
     {"act": "refuse", "reason": "Tiada bengkel"}, DECIDERS, _application_b_state,
     _application_b),
    ("suspend", lambda sw: f"/kemahiran/pentauliahan/{sw.accreditation_a.pk}/",
     {"act": "suspend", "reason": "Audit"}, DECIDERS, _a_state, None),
    ("reinstate", lambda sw: f"/kemahiran/pentauliahan/{sw.accreditation_a.pk}/",
     {"act": "reinstate", "reason": "Pulih"}, DECIDERS, _a_state, _suspend_a),
    ("revoke", lambda sw: f"/kemahiran/pentauliahan/{sw.accreditation_a.pk}/",
     {"act": "revoke", "reason": "Penipuan"}, DECIDERS, _a_state, None),
    # --- training (sk-train) ---
    ("intake open", lambda sw: _a(sw, "baru/"),
     lambda sw: {"accreditation": sw.accreditation_a.pk, "code": "BARU",
                 "starts_on": sw.today.isoformat(),
                 "ends_on": (sw.today + datetime.timedelta(days=60)).isoformat()},
     {"centre_admin_a"}, _intakes, _training),
    ("trainee enrol", lambda sw: _a(sw, f"{sw.open_a.pk}/pelatih/"),
     {"id_number": "010101-10-1001", "name": "Ahmad"}, {"centre_admin_a"}, _enrolments,
     _training),
    ("trainee import", lambda sw: _a(sw, f"{sw.open_a.pk}/muat-naik/"), _trainee_list,
     {"centre_admin_a"}, _enrolments, _training),
    ("results record", lambda sw: _a(sw, f"{sw.open_a.pk}/keputusan/"), _grid,
     {"assessor_ab"}, _results, _training),
    ("intake submit", lambda sw: _a(sw, f"{sw.open_a.pk}/hantar/"), {"confirm": "1"},
     {"centre_admin_a"}, _intakes, _training),
    ("verifier assign", lambda sw: _a(sw, f"{sw.open_a.pk}/ppl/"),
     lambda sw: {"verifier": sw.users["verifier"].pk}, DECIDERS, _intakes, _training),
    ("verify approve", lambda sw: f"/kemahiran/verifikasi/{sw.intake_a.pk}/",
     {"scope": "all", "decision": "approved"}, {"verifier"}, _verifications, _training),
    ("verify return", lambda sw: f"/kemahiran/verifikasi/{sw.intake_a.pk}/",
     {"scope": "all", "decision": "returned", "comments": "Semak CU3"}, {"verifier"},
     _verifications, _training),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "data", "persona", "allowed", "effect", "setup"),
    [
        pytest.param(url, data, persona, persona in allowed, effect, setup, id=f"{name}-{persona}")
        for name, url, data, allowed, effect, setup in ACTS
        for persona in PERSONAS
    ],
)
def test_skills_acts_matrix(both, login, url, data, persona, allowed, effect, setup):
    if setup is not None:
        setup(both)
    form = data(both) if callable(data) else data
    client = login(both.users[persona])
    before = effect(both)
    response = client.post(url(both), form)
    _check_act(response, persona, allowed, before, effect(both))


def test_the_acts_record_what_they_say(both, login):
    """The effects above, spelled out once: who, what, and the state it leaves."""
    _application_b(both)
    client = login(both.users["cert_officer"])
    client.post(f"/kemahiran/pentauliahan/{both.application_b.pk}/",
                {"act": "approve", "conditions": "Dua PP", "expires_on": EXPIRY})  # fmt: skip
    both.application_b.refresh_from_db()
    assert both.application_b.state == "approved"
    assert both.application_b.conditions == "Dua PP"
    assert both.application_b.expires_on.isoformat() == EXPIRY
    event = both.application_b.events.get()
    assert (event.act, event.by) == ("approve", both.users["cert_officer"])
    login(both.users["centre_admin_a"]).post(f"/kemahiran/pusat/{both.centre_a.code}/mohon/",
                                             _apply_form(both))  # fmt: skip
    applied = both.centre_a.accreditations.get(standard__code="A011-001-2:2018")
    assert applied.mode == "modular" and applied.units.count() == 1
    assert applied.applied_by == both.users["centre_admin_a"]


# --- certificates (sk-cert): issue, revoke, re-issue, PDF, the public check, statistics ---
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
CERT_SEES_A = {"anonymous": 302, "cert_officer": 200, "centre_admin_a": 200, "assessor_ab": 200,
          "verifier": 200, "admin": 200, "centre_admin_b": 404}  # fmt: skip
CERT_CERTIFY_ONLY = {"anonymous": 302, "cert_officer": 200}


def _cert_rows():
    return [
        ("skills:intake_certify", lambda sw: {"code": sw.centre_a.code, "pk": sw.intake.pk}, {},
         expect(403, **CERT_CERTIFY_ONLY)),
        ("skills:issue_batch", lambda sw: {"pk": sw.batch.pk}, {},
         expect(403, **CERT_CERTIFY_ONLY)),
        ("skills:certificate", lambda sw: {"pk": sw.certificate.pk}, {},
         expect(403, **CERT_SEES_A)),
        ("skills:certificate_pdf", lambda sw: {"pk": sw.certificate.pk}, {},
         expect(403, **CERT_SEES_A, trainee=200)),
        ("skills:statistics", lambda sw: {}, {},
         expect(403, anonymous=302, cert_officer=200, admin=200, centre_admin_a=200,
                centre_admin_b=200)),
        ("skills:check", lambda sw: {}, {"no": "CERT"}, expect(200)),
        ("skills:check_token", lambda sw: {"token": pdfs.check_token(sw.certificate)}, {},
         expect(200)),
    ]  # fmt: skip


CERT_ROWS = [(name, persona, status) for name, _k, _q, statuses in _cert_rows()
        for persona, status in statuses.items()]  # fmt: skip


@pytest.mark.parametrize(("name", "persona", "status"), CERT_ROWS)
def test_certificates_pages(both, login, name, persona, status):
    cache.clear()  # the public check's rate limit counts per address, and tests share one
    sw = _certificates(both)
    _name, kwargs, query, _s = next(r for r in _cert_rows() if r[0] == name)
    query = {k: (sw.certificate.reference if v == "CERT" else v) for k, v in query.items()}
    response = login(sw.users[persona]).get(reverse(name, kwargs=kwargs(sw)), query)
    assert response.status_code == status, f"{name} as {persona}"


# The statistics' drill-down (on the roll-up kit): the body sees any state and centre;
# a centre's administrator their own centre only (a state or another centre: 404).
STAT_NODE_SEES = {"anonymous": 302, "cert_officer": 200, "admin": 200}
STAT_NODES = [
    ({"state": "-"}, expect(403, **STAT_NODE_SEES, centre_admin_a=404, centre_admin_b=404)),
    ({"centre": "PB-A001"},
     expect(403, **STAT_NODE_SEES, centre_admin_a=200, centre_admin_b=404)),
    ({"centre": "PB-A001", "format": "csv"},
     expect(403, **STAT_NODE_SEES, centre_admin_a=200, centre_admin_b=404)),
]  # fmt: skip
STAT_NODE_ROWS = [(i, persona, status) for i, (_q, statuses) in enumerate(STAT_NODES)
                  for persona, status in statuses.items()]  # fmt: skip


@pytest.mark.parametrize(("row", "persona", "status"), STAT_NODE_ROWS)
def test_statistics_nodes(both, login, row, persona, status):
    from skills.services.statistics import statistics_rebuild

    sw = _certificates(both)
    statistics_rebuild(year=sw.today.year)
    query = STAT_NODES[row][0]
    response = login(sw.users[persona]).get(reverse("skills:statistics"), query)
    assert response.status_code == status, f"statistics {query} as {persona}"


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


CERT_ACTS = [
    ("skills:certificate_revoke", lambda sw: {"pk": sw.certificate.pk},
     {"reason": "Dokumen palsu"}, _revoked),
    ("skills:certificate_reissue", lambda sw: {"pk": sw.certificate.pk},
     {"holder_name": "Ali bin Abu Bakar", "reason": "Ejaan nama"}, _reissued),
    ("skills:intake_certify", lambda sw: {"code": sw.centre_a.code, "pk": sw.intake.pk}, {},
     _batch_requested),
    ("skills:issue_batch_restart", lambda sw: {"pk": sw.batch.pk}, {}, _batch_restarted),
]  # fmt: skip

# Only the body's certification officer certifies; everyone else changes nothing.
CERT_ACT_STATUS = {"anonymous": 302, "cert_officer": 302}
CERT_ACT_ROWS = [(act[0], persona) for act in CERT_ACTS for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CERT_ACT_ROWS)
def test_certificates_acts(both, login, name, persona):
    cache.clear()
    sw = _certificates(both)
    sw.intake.state = rules.INTAKE_VERIFIED
    sw.intake.save()
    _n, kwargs, data, changed = next(a for a in CERT_ACTS if a[0] == name)
    client = login(sw.users[persona])
    response = client.post(reverse(name, kwargs=kwargs(sw)), data)
    allowed = persona == "cert_officer"
    # Seeing a certificate (centre staff, the PPL, an admin) is not certifying: 403.
    expected = CERT_ACT_STATUS.get(persona, 403)
    assert response.status_code == expected, f"{name} as {persona}"
    assert changed(sw) is allowed, f"{name} as {persona}: database effect"


# --- a trainee's login (item 7): only the centre's administrator, on their centre's intake ---
ACCOUNT_STATUS = {"anonymous": 302, "centre_admin_a": 200, "centre_admin_b": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_trainee_account_act(both, login, persona):
    from django.contrib.auth import get_user_model

    from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee

    sw = both
    intake = intake_of(sw)
    person = trainee("Tan Mei Ling")
    enrolment = enrol(sw, intake, person, ALL_COMPETENT)
    users = get_user_model().objects.count()
    url = reverse(
        "skills:trainee_account",
        kwargs={"code": intake.centre.code, "pk": intake.pk, "enrolment": enrolment.pk},
    )
    response = login(sw.users[persona]).post(url)
    assert response.status_code == ACCOUNT_STATUS.get(persona, 403), persona
    person.refresh_from_db()
    allowed = persona == "centre_admin_a"
    assert (person.user_id is not None) is allowed, f"{persona}: database effect"
    assert get_user_model().objects.count() == users + allowed


# --- the centre star rating (rating): the drill-down, the body's list, the criteria ---
def _rated(sw):
    """Both centres rated this year (centre A's drill-down has lines to show)."""
    from skills.services.rating import rating_rebuild

    rating_rebuild(year=sw.today.year)
    return sw


RATES_A = expect(403, anonymous=302, centre_admin_a=200, centre_admin_b=404, cert_officer=200,
                 admin=200)  # fmt: skip
RATING_ROWS = [
    ("rating A", lambda sw: f"/kemahiran/pusat/{_rated(sw).centre_a.code}/penarafan/", RATES_A),
    ("rating B", lambda sw: f"/kemahiran/pusat/{_rated(sw).centre_b.code}/penarafan/?year=1",
     {**RATES_A, "centre_admin_a": 404, "centre_admin_b": 200}),
    ("rating unknown centre", lambda sw: "/kemahiran/pusat/PB-ZZZ/penarafan/",
     {**RATES_A, "centre_admin_a": 404, "cert_officer": 404, "admin": 404}),
    ("ratings", lambda sw: f"/kemahiran/penarafan/?year={_rated(sw).today.year}&stars=3"
     "&state=10&q=a&sort=name", THE_BODY),
    ("ratings csv", lambda sw: f"/kemahiran/penarafan/?format=csv&year={_rated(sw).today.year}",
     THE_BODY),
    ("rating criteria", lambda sw: "/kemahiran/penarafan/kriteria/", PUBLIC),
    ("rating criteria upload", lambda sw: "/kemahiran/penarafan/kriteria/muat-naik/", THE_BODY),
    ("public centre A", lambda sw: f"/kemahiran/pusat-bertauliah/{_rated(sw).centre_a.code}/",
     PUBLIC),
    ("public centre unknown", lambda sw: "/kemahiran/pusat-bertauliah/PB-ZZZ/", expect(404)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "persona", "status"),
    [
        pytest.param(url, persona, statuses[persona], id=f"{name}-{persona}")
        for name, url, statuses in RATING_ROWS
        for persona in PERSONAS
    ],
)
def test_rating_permission_matrix(both, login, url, persona, status):
    response = login(both.users[persona]).get(url(both))
    _check_page(response, status, persona)
    if status == 200 and "/penarafan/" in url(both) and "pusat/" in url(both):
        # The drill-down shows the centre asked for, never another's.
        from skills.models import CentreRating

        code = url(both).split("/")[3]
        rating = CentreRating.objects.get(centre__code=code)
        assert f'data-total="{rating.total}"' in response.content.decode()


def _schemes(sw):
    from skills.models import RatingScheme

    return sorted(RatingScheme.objects.values_list("version", "from_year", "uploaded_by"))


def _new_criteria(sw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from skills.services.rating import DEFAULT_FILE

    text = DEFAULT_FILE.read_bytes().replace(b"weight: 15", b"weight: 25")
    return {"file": SimpleUploadedFile("kriteria.yaml", text), "from_year": sw.today.year}


@pytest.mark.parametrize("persona", PERSONAS)
def test_rating_upload_acts_matrix(both, login, persona):
    """Publishing criteria: the body only (a new version, by them); nothing for anyone else."""
    from skills.services.rating import scheme_default

    scheme_default(from_year=2020)
    before = _schemes(both)
    response = login(both.users[persona]).post("/kemahiran/penarafan/kriteria/muat-naik/",
                                               _new_criteria(both))  # fmt: skip
    after = _schemes(both)
    _check_act(response, persona, persona in DECIDERS, before, after)
    if persona in DECIDERS:
        assert after == [*before, (len(before) + 1, both.today.year, both.users[persona].pk)]


# --- complaints (Modul Aduan): the public form and lookup, the body's desk ---
def _complaints(sw):
    """A complaint about centre A (answered once, with an internal note), one about B."""
    from skills.services import complaints as complaint_services

    from .complaint_helpers import complaint

    if hasattr(sw, "complaint_a"):
        return sw
    sw.complaint_a = complaint(sw)
    officer = sw.users["cert_officer"]
    complaint_services.complaint_act(complaint=sw.complaint_a, act="note", by=officer,
                                     note="Nota dalaman")  # fmt: skip
    sw.complaint_b = complaint(sw, centre=sw.centre_b)
    return sw


# The body's handlers (certification officer, admin) everything; a centre's administrator
# the complaints about their centre (read-only); everyone else nothing.
COMPLAINT_HANDLERS = {"cert_officer", "admin"}
COMPLAINTS_LIST = expect(403, anonymous=302, cert_officer=200, admin=200, centre_admin_a=200,
                         centre_admin_b=200)  # fmt: skip
COMPLAINT_A = expect(403, anonymous=302, cert_officer=200, admin=200, centre_admin_a=200,
                     centre_admin_b=404)  # fmt: skip
COMPLAINT_ROWS = [
    ("complaint form", lambda sw: "/kemahiran/aduan/baru/", PUBLIC),
    ("complaint lookup", lambda sw: f"/kemahiran/aduan/semak/?no={sw.complaint_a.reference}",
     PUBLIC),
    ("complaint lookup unknown", lambda sw: "/kemahiran/aduan/semak/?no=ADU-2026-ZZZZZZZZ",
     expect(404)),
    # Nothing to thank for without a filing in this session: on to the lookup.
    ("complaint thanks", lambda sw: "/kemahiran/aduan/terima-kasih/",
     expect("/kemahiran/aduan/semak/")),
    ("complaints", lambda sw: "/kemahiran/aduan/?status=all&category=centre&overdue=1",
     COMPLAINTS_LIST),
    ("complaint A", lambda sw: f"/kemahiran/aduan/{sw.complaint_a.pk}/", COMPLAINT_A),
    ("complaint B", lambda sw: f"/kemahiran/aduan/{sw.complaint_b.pk}/",
     {**COMPLAINT_A, "centre_admin_a": 404, "centre_admin_b": 200}),
    ("complaint unknown", lambda sw: "/kemahiran/aduan/999999/",
     {**COMPLAINT_A, "centre_admin_a": 404, "cert_officer": 404, "admin": 404}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "persona"),
    [pytest.param(i, p, id=f"{r[0]}-{p}") for i, r in enumerate(COMPLAINT_ROWS) for p in PERSONAS],
)
def test_complaints_pages(both, login, row, persona):
    cache.clear()  # the lookup's rate limit counts per address, and tests share one
    sw = _complaints(both)
    name, url, statuses = COMPLAINT_ROWS[row]
    status = statuses[persona]
    response = login(sw.users[persona]).get(url(sw))
    _check_page(response, status, f"{name} as {persona}")
    if status == 200 and name.startswith("complaint A") and persona not in COMPLAINT_HANDLERS:
        page = response.content.decode()  # a centre's reader: no contact, no internal note
        assert "Nota dalaman" not in page and "farid@example.my" not in page


def _events_of_a(sw):
    sw.complaint_a.refresh_from_db()
    return (sw.complaint_a.status, sw.complaint_a.assignee_id, sw.complaint_a.level,
            list(sw.complaint_a.events.values_list("act", "by", "public", "note")))  # fmt: skip


def _answered_a(sw):
    from skills.services import complaints as complaint_services

    complaint_services.complaint_act(complaint=sw.complaint_a, act="answer",
                                     by=sw.users["cert_officer"], note="Jawapan")  # fmt: skip


def _closed_a(sw):
    from skills.services import complaints as complaint_services

    _answered_a(sw)
    officer = sw.users["cert_officer"]
    complaint_services.complaint_act(complaint=sw.complaint_a, act="close", by=officer,
                                     note="Tamat", upheld=False)  # fmt: skip


COMPLAINT_ACTS = [
    # (name, form, setup): every act of the body on complaint A
    ("assign", lambda sw: {"act": "assign", "assignee": sw.users["cert_officer"].pk}, None),
    ("answer", lambda sw: {"act": "answer", "note": "Kami siasat."}, None),
    ("note", lambda sw: {"act": "note", "note": "Dalaman"}, None),
    ("escalate", lambda sw: {"act": "escalate", "note": "Ke ketua unit"}, None),
    ("close", lambda sw: {"act": "close", "note": "Selesai", "upheld": "yes"}, _answered_a),
    ("reopen", lambda sw: {"act": "reopen", "note": "Bukti baharu"}, _closed_a),
]  # fmt: skip


@pytest.mark.parametrize(
    ("act", "persona"),
    [pytest.param(i, p, id=f"complaint {a[0]}-{p}") for i, a in enumerate(COMPLAINT_ACTS)
     for p in PERSONAS],
)  # fmt: skip
def test_complaint_acts(both, login, act, persona):
    sw = _complaints(both)
    _name, form, setup = COMPLAINT_ACTS[act]
    if setup is not None:
        setup(sw)
    before = _events_of_a(sw)
    response = login(sw.users[persona]).post(f"/kemahiran/aduan/{sw.complaint_a.pk}/tindakan/",
                                             form(sw))  # fmt: skip
    after = _events_of_a(sw)
    if persona in COMPLAINT_HANDLERS:
        assert response.status_code == 302, f"{persona} got {response.status_code}"
        assert after != before and len(after[3]) == len(before[3]) + 1
        assert after[3][-1][1] == sw.users[persona].pk  # the step names who did it
    else:
        expected = 302 if persona == "anonymous" else 403
        assert response.status_code == expected, f"{persona} got {response.status_code}"
        if expected == 302:
            assert response["Location"].startswith("/login/")
        assert after == before, f"{persona} changed {before} into {after}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_complaint_filing_is_open_to_everyone(both, login, persona):
    """Anyone files (logged in or not); the complaint records who, when logged in."""
    from skills.models import Complaint

    from .complaint_helpers import filing

    cache.clear()
    response = login(both.users[persona]).post("/kemahiran/aduan/baru/", filing(both))
    assert response.status_code == 302 and response["Location"] == "/kemahiran/aduan/terima-kasih/"
    filed = Complaint.objects.get()
    user = both.users[persona]
    assert filed.filed_by_id == (user.pk if user is not None else None)
    assert filed.events.get().act == "file"


# --- PPT (recognition of prior achievement) ---
def _ppt(sw):
    """Centre A's applications: a draft with its files, one with the assessor, a verified one;
    and centre B's draft."""
    if hasattr(sw, "ppt_draft"):
        return sw
    from skills.models import PptApplication

    from .ppt_helpers import draft, submitted, verified

    sw.ppt_draft = draft(sw)
    sw.ppt_judging = submitted(sw, id_number="860101105001", name="Siti Aminah")
    sw.ppt_verified = verified(sw, id_number="870202105002", name="Kamal Hassan")
    sw.ppt_b = PptApplication.objects.create(
        centre=sw.centre_b, accreditation=sw.accreditation_b, trainee=sw.trainee, mode="full",
        experience="x", years=3, created_by=sw.users["centre_admin_b"], reference="PPT-B",
    )  # fmt: skip
    sw.ppt_evidence = sw.ppt_draft.evidence.first()
    return sw


def _ppt_url(sw, application, rest=""):
    return f"/kemahiran/pusat/{application.centre.code}/ppt/{application.pk}/{rest}"


PPT_SEES_A = expect(403, anonymous=302, centre_admin_a=200, centre_admin_b=404, assessor_ab=200,
                    cert_officer=200, admin=200, verifier=404)  # fmt: skip
PPT_ROWS = [
    ("ppt desk", lambda sw: "/kemahiran/ppt/?stage=draft&q=Rahim",
     expect(403, anonymous=302, centre_admin_a="/kemahiran/pusat/PB-A001/ppt/",
            centre_admin_b="/kemahiran/pusat/PB-B002/ppt/", assessor_ab=200, cert_officer=200,
            admin=200)),
    ("ppt list A", lambda sw: "/kemahiran/pusat/PB-A001/ppt/?stage=assessment",
     {**PPT_SEES_A, "verifier": 403}),
    ("ppt new A", lambda sw: "/kemahiran/pusat/PB-A001/ppt/baru/", MANAGES_A),
    ("ppt A", lambda sw: _ppt_url(sw, sw.ppt_judging), PPT_SEES_A),
    ("ppt A verified (its PPL)", lambda sw: _ppt_url(sw, sw.ppt_verified),
     {**PPT_SEES_A, "verifier": 200}),
    ("ppt B", lambda sw: _ppt_url(sw, sw.ppt_b),
     {**PPT_SEES_A, "centre_admin_a": 404, "centre_admin_b": 200}),
    ("ppt unknown", lambda sw: "/kemahiran/pusat/PB-A001/ppt/999999/",
     {**PPT_SEES_A, "centre_admin_a": 404, "assessor_ab": 404, "cert_officer": 404,
      "admin": 404}),
    ("ppt judge A", lambda sw: _ppt_url(sw, sw.ppt_judging, "penilaian/"), ASSESSES),
    ("ppt judge a draft", lambda sw: _ppt_url(sw, sw.ppt_draft, "penilaian/"),
     {**ASSESSES, "assessor_ab": 404}),
    # The file: the centre's staff and the body; nobody else learns it exists.
    ("ppt evidence file", lambda sw: f"/kemahiran/ppt/bukti/{sw.ppt_evidence.pk}/",
     expect(404, anonymous=302, centre_admin_a=200, assessor_ab=200, cert_officer=200,
            admin=200)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "persona"),
    [pytest.param(i, p, id=f"{r[0]}-{p}") for i, r in enumerate(PPT_ROWS) for p in PERSONAS],
)
def test_ppt_pages(both, login, row, persona):
    sw = _ppt(both)
    name, url, statuses = PPT_ROWS[row]
    status = statuses[persona]
    _check_page(login(sw.users[persona]).get(url(sw)), status, f"{name} as {persona}")


def _ppt_state(application):
    def effect(sw):
        from skills.models import Certificate, PptApplication, Result

        found = PptApplication.objects.get(pk=getattr(sw, application).pk)
        return (found.state, found.intake_id, found.evidence.count(),
                Result.objects.filter(enrolment__intake_id=found.intake_id).count(),
                Certificate.objects.filter(intake_id=found.intake_id).count())  # fmt: skip

    return effect


def _ppt_count(sw):
    from skills.models import PptApplication

    return PptApplication.objects.filter(centre=sw.centre_a).count()


def _ppt_judging(sw):
    return {
        key: value
        for unit in sw.units
        for key, value in ((f"o-{unit.pk}", "competent"), (f"m-{unit.pk}", "evidence"),
                           (f"r-{unit.pk}", ""), (f"d-{unit.pk}", sw.today.isoformat()))
    }  # fmt: skip


def _ppt_upload(sw):
    from .ppt_helpers import evidence_file

    return {"unit": sw.units[0].pk, "file": evidence_file("tambahan.pdf"), "description": "Foto"}


PPT_ACTS = [
    # (name, url, form, personas who may, effect)
    ("ppt apply", lambda sw: "/kemahiran/pusat/PB-A001/ppt/baru/",
     lambda sw: {"accreditation": sw.accreditation_a.pk, "mode": "full",
                 "id_number": "880303105003", "name": "Lim Ah Kow", "channel": "centre",
                 "years": 8, "experience": "Tukang kimpal 8 tahun."},
     {"centre_admin_a"}, _ppt_count),
    ("ppt evidence add", lambda sw: _ppt_url(sw, sw.ppt_draft, "bukti/"), _ppt_upload,
     {"centre_admin_a"}, _ppt_state("ppt_draft")),
    ("ppt evidence remove",
     lambda sw: _ppt_url(sw, sw.ppt_draft, f"bukti/{sw.ppt_evidence.pk}/buang/"), {},
     {"centre_admin_a"}, _ppt_state("ppt_draft")),
    ("ppt submit", lambda sw: _ppt_url(sw, sw.ppt_draft, "hantar/"), {}, {"centre_admin_a"},
     _ppt_state("ppt_draft")),
    ("ppt judge", lambda sw: _ppt_url(sw, sw.ppt_judging, "penilaian/"), _ppt_judging,
     {"assessor_ab"}, _ppt_state("ppt_judging")),
    ("ppt withdraw", lambda sw: _ppt_url(sw, sw.ppt_judging, "tarik-balik/"),
     {"reason": "Pemohon menarik diri"}, {"centre_admin_a"}, _ppt_state("ppt_judging")),
    ("ppt certify", lambda sw: _ppt_url(sw, sw.ppt_verified, "persijilan/"), {},
     {"cert_officer"}, _ppt_state("ppt_verified")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("act", "persona"),
    [pytest.param(i, p, id=f"{a[0]}-{p}") for i, a in enumerate(PPT_ACTS) for p in PERSONAS],
)
def test_ppt_acts(both, login, act, persona):
    sw = _ppt(both)
    _name, url, data, allowed, effect = PPT_ACTS[act]
    form = data(sw) if callable(data) else data
    before = effect(sw)
    response = login(sw.users[persona]).post(url(sw), form)
    _check_act(response, persona, persona in allowed, before, effect(sw))


# --- the executive report (Modul Laporan Eksekutif): every tier for the body; a centre's
# administrator their own centre's (no tier asked: theirs); another tier or centre: 404.
EXEC_BODY = {"anonymous": 302, "cert_officer": 200, "admin": 200}
EXEC_ROWS = [
    ("nation", {}, expect(403, **EXEC_BODY, centre_admin_a=200, centre_admin_b=200)),
    ("nation pdf", {"format": "pdf"},
     expect(403, **EXEC_BODY, centre_admin_a=200, centre_admin_b=200)),
    ("centre A", {"centre": "PB-A001"},
     expect(403, **EXEC_BODY, centre_admin_a=200, centre_admin_b=404)),
    ("centre A csv", {"centre": "PB-A001", "format": "csv"},
     expect(403, **EXEC_BODY, centre_admin_a=200, centre_admin_b=404)),
    ("centre B xlsx", {"centre": "PB-B002", "format": "xlsx"},
     expect(403, **EXEC_BODY, centre_admin_a=404, centre_admin_b=200)),
    ("no state", {"state": "-"}, expect(403, **EXEC_BODY, centre_admin_a=404, centre_admin_b=404)),
    ("sector IT", {"sector": "IT"},
     expect(403, **EXEC_BODY, centre_admin_a=404, centre_admin_b=404)),
    ("unknown centre", {"centre": "PB-ZZZ"},
     expect(403, anonymous=302, cert_officer=404, admin=404, centre_admin_a=404,
            centre_admin_b=404)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "persona"),
    [pytest.param(i, p, id=f"{r[0]}-{p}") for i, r in enumerate(EXEC_ROWS) for p in PERSONAS],
)
def test_executive_report(both, login, row, persona):
    """Who sees which tier; a centre's administrator is shown their own centre, never another."""
    _name, query, statuses = EXEC_ROWS[row]
    response = login(both.users[persona]).get(reverse("skills:executive"), query)
    _check_page(response, statuses[persona], persona)
    if response.status_code == 200 and "format" not in query:
        own = {"centre_admin_a": "PB-A001", "centre_admin_b": "PB-B002"}.get(persona)
        if own:
            assert f'data-tier="centre:{own}"' in response.content.decode()


# --- facilities self-declared and checked (Kemudahan): the centre declares, the body checks ---
def _declared(sw):
    """Centre A's declaration of this year, awaiting the body's check (built once)."""
    from .facility_helpers import declare

    if not hasattr(sw, "declaration_a"):
        sw.declaration_a = declare(sw)
    return sw


FACILITY_ROWS = [
    ("facilities A", lambda sw: f"/kemahiran/pusat/{_declared(sw).centre_a.code}/kemudahan/",
     RATES_A),
    ("facilities B", lambda sw: f"/kemahiran/pusat/{sw.centre_b.code}/kemudahan/?year=2020",
     {**RATES_A, "centre_admin_a": 404, "centre_admin_b": 200}),
    ("facilities unknown centre", lambda sw: "/kemahiran/pusat/PB-ZZZ/kemudahan/",
     {**RATES_A, "centre_admin_a": 404, "cert_officer": 404, "admin": 404}),
    ("facility declarations", lambda sw: f"/kemahiran/kemudahan/?state=&year={sw.today.year}"
     "&q=PB", THE_BODY),
    ("facility check A", lambda sw: f"/kemahiran/kemudahan/{_declared(sw).declaration_a.pk}/",
     THE_BODY),
    ("facility check unknown", lambda sw: "/kemahiran/kemudahan/999999/",
     {**THE_BODY, "cert_officer": 404, "admin": 404}),
    ("facility checklist", lambda sw: "/kemahiran/kemudahan/senarai-semak/", PUBLIC),
    ("facility checklist upload", lambda sw: "/kemahiran/kemudahan/senarai-semak/muat-naik/",
     THE_BODY),
]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "persona"),
    [pytest.param(i, p, id=f"{r[0]}-{p}") for i, r in enumerate(FACILITY_ROWS) for p in PERSONAS],
)
def test_facilities_pages(both, login, row, persona):
    name, url, statuses = FACILITY_ROWS[row]
    status = statuses[persona]
    _check_page(login(both.users[persona]).get(url(both)), status, f"{name} as {persona}")


def _declarations(sw):
    from skills.models import FacilityDeclaration, FacilityItem

    declarations = FacilityDeclaration.objects.values_list(
        "centre__code", "year", "state", "declared_by", "checked_by", "visited_on"
    )
    items = FacilityItem.objects.values_list("code", "in_place", "how", "finding")
    return sorted(declarations), sorted(items)


def _checklists(sw):
    from skills.models import FacilityChecklist

    return sorted(FacilityChecklist.objects.values_list("version", "uploaded_by"))


def _new_checklist(sw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from skills.services.facilities import DEFAULT_FILE

    text = DEFAULT_FILE.read_bytes().replace(b"12 bulan", b"6 bulan")
    return {"file": SimpleUploadedFile("senarai.yaml", text)}


def _facility_acts():
    from .facility_helpers import check_form, declaration_form

    return [
        # (name, url, form, personas who may, effect, setup)
        ("facilities declare", lambda sw: f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/"
         "isytihar/", lambda sw: declaration_form(), {"centre_admin_a"}, _declarations, None),
        ("facilities re-declare", lambda sw: f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/"
         "isytihar/", lambda sw: declaration_form(absent=()), {"centre_admin_a"}, _declarations,
         _declared),
        ("facilities check", lambda sw: f"/kemahiran/kemudahan/{sw.declaration_a.pk}/",
         check_form, DECIDERS, _declarations, _declared),
        ("facility checklist upload", lambda sw: "/kemahiran/kemudahan/senarai-semak/muat-naik/",
         _new_checklist, DECIDERS, _checklists, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("act", "persona"),
    [pytest.param(i, p, id=f"{a[0]}-{p}") for i, a in enumerate(_facility_acts())
     for p in PERSONAS],
)  # fmt: skip
def test_facilities_acts(both, login, act, persona):
    name, url, data, allowed, effect, setup = _facility_acts()[act]
    if setup is not None:
        setup(both)
    before = effect(both)
    response = login(both.users[persona]).post(url(both), data(both))
    after = effect(both)
    _check_act(response, persona, persona in allowed, before, after, f"{name} as {persona}")
    if persona in allowed and name == "facilities check":
        assert after[0][0][4] == both.users[persona].pk  # the check names who did it


# --- personnel (Modul Personel): applying to serve as PP/PPL, the body's desk and acts ---
# Anyone with a personal account applies and sees their own; a school's shared logins
# (code, code + R) do not apply (403); the body (certification officer, administrator)
# decides and sees every application and its files; any other person finds nothing (404).
SHARED = ("coord_a", "coord_b", "resp_a")
ANY_PERSON = expect(200, anonymous=302, **{p: 403 for p in SHARED})
OWN_OR_BODY = expect(404, anonymous=302, assessor_ab=200, cert_officer=200, admin=200,
                     **{p: 403 for p in SHARED})  # fmt: skip


def _personnel(sw):
    """The assessor's application to assess the second standard (with a file, waiting), and
    their approval for the world's standard; built once per test."""
    if hasattr(sw, "pp_application"):
        return sw
    from django.core.files.uploadedfile import SimpleUploadedFile

    from skills.models import PersonnelApproval
    from skills.services.personnel import personnel_apply

    standard = _second_standard(sw)
    sw.pp_application = personnel_apply(
        applicant=sw.users["assessor_ab"], role="pp", standard_codes=[standard.code],
        sector=sw.sector, held_level=3, industry_years=6, pp_years=0,
        qualifications="SKM Tahap 3 Operasi Ladang",
        uploads=[SimpleUploadedFile("sijil.pdf", b"%PDF-1.7\nsijil")],
    )  # fmt: skip
    sw.pp_pending = sw.pp_application.approvals.get()
    sw.pp_evidence = sw.pp_application.evidence.get()
    sw.pp_approval = PersonnelApproval.objects.get(person=sw.users["assessor_ab"],
                                                   standard=sw.standard)  # fmt: skip
    sw.ppl_approval = PersonnelApproval.objects.get(person=sw.users["verifier"],
                                                    standard=sw.standard)  # fmt: skip
    return sw


PERSONNEL_ROWS = [
    ("personnel mine", lambda sw: "/kemahiran/personel/", ANY_PERSON),
    ("personnel apply", lambda sw: "/kemahiran/personel/mohon/?standard=IT-010-3:2016",
     ANY_PERSON),
    ("personnel desk", lambda sw: "/kemahiran/personel/meja/?standard=IT-010-3:2016&role=pp",
     THE_BODY),
    ("personnel application",
     lambda sw: f"/kemahiran/personel/permohonan/{_personnel(sw).pp_application.pk}/",
     OWN_OR_BODY),
    ("personnel evidence",
     lambda sw: f"/kemahiran/personel/permohonan/{_personnel(sw).pp_application.pk}/fail/"
     f"{sw.pp_evidence.pk}/", OWN_OR_BODY),
    ("personnel application unknown", lambda sw: "/kemahiran/personel/permohonan/999999/",
     {**OWN_OR_BODY, "assessor_ab": 404, "cert_officer": 404, "admin": 404}),
    # Renewing is the person's own approval only (the body acts, it does not renew).
    ("personnel renew",
     lambda sw: f"/kemahiran/personel/kelulusan/{_personnel(sw).pp_approval.pk}/baharui/",
     {**OWN_OR_BODY, "cert_officer": 404, "admin": 404}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "persona", "status"),
    [
        pytest.param(url, persona, statuses[persona], id=f"{name}-{persona}")
        for name, url, statuses in PERSONNEL_ROWS
        for persona in PERSONAS
    ],
)
def test_personnel_pages(both, login, url, persona, status):
    _check_page(login(both.users[persona]).get(url(both)), status, persona)


def _personnel_state(sw):
    from skills.models import PersonnelApplication, PersonnelApproval, PersonnelEvent

    return (
        sorted(PersonnelApplication.objects.values_list("applicant", "role", "renewal_of"),
               key=repr),
        sorted(PersonnelApproval.objects.values_list("pk", "state", "valid_from", "expires_on",
                                                     "reason"), key=repr),
        sorted(PersonnelEvent.objects.values_list("act", "by", "approval"), key=repr),
    )  # fmt: skip


def _approve_pending(sw):
    from skills.services.personnel import personnel_act

    personnel_act(approval_id=_personnel(sw).pp_pending.pk, act="approve",
                  by=sw.users["cert_officer"])  # fmt: skip


def _suspend_pp(sw):
    from skills.services.personnel import personnel_act

    personnel_act(approval_id=_personnel(sw).pp_approval.pk, act="suspend",
                  by=sw.users["cert_officer"], reason="Aduan")  # fmt: skip


def _ppl_expiring(sw):
    from skills.models import PersonnelApproval

    PersonnelApproval.objects.filter(pk=_personnel(sw).ppl_approval.pk).update(
        expires_on=sw.today + datetime.timedelta(days=30)
    )


def _third_standard(sw):
    """A standard nobody applied for yet."""
    from skills.models import Standard

    return Standard.objects.get_or_create(
        code="IT-040-2:2020",
        defaults={"title_ms": "Sokongan Teknikal", "title_en": "Technical support",
                  "sector": sw.sector, "level": 2},
    )[0]  # fmt: skip


def _act_url(attr):
    return lambda sw: f"/kemahiran/personel/kelulusan/{getattr(_personnel(sw), attr).pk}/tindakan/"


PEOPLE = {p for p in PERSONAS if p != "anonymous" and p not in SHARED}
PERSONNEL_ACTS = [
    # (name, url, form, personas who may, setup)
    ("personnel apply", lambda sw: "/kemahiran/personel/mohon/",
     lambda sw: {"role": "pp", "standards": _third_standard(sw).code, "sector": sw.sector.pk,
                 "held_level": 2, "industry_years": 5, "pp_years": 0,
                 "qualifications": "SKM Tahap 2"},
     PEOPLE, _personnel),
    ("personnel approve", _act_url("pp_pending"), {"act": "approve"}, DECIDERS, None),
    ("personnel refuse", _act_url("pp_pending"), {"act": "refuse", "reason": "Tiada bukti"},
     DECIDERS, None),
    ("personnel induct", _act_url("pp_pending"),
     lambda sw: {"act": "induct", "course": "Induksi Siri 3", "induction_on": sw.today.isoformat()},
     DECIDERS, _approve_pending),
    ("personnel suspend", _act_url("pp_approval"), {"act": "suspend", "reason": "Aduan"},
     DECIDERS, None),
    ("personnel reinstate", _act_url("pp_approval"), {"act": "reinstate", "reason": "Selesai"},
     DECIDERS, _suspend_pp),
    ("personnel revoke", _act_url("pp_approval"), {"act": "revoke", "reason": "Penipuan"},
     DECIDERS, None),
    ("personnel renew",
     lambda sw: f"/kemahiran/personel/kelulusan/{_personnel(sw).ppl_approval.pk}/baharui/",
     {"note": "Mengesahkan 6 pengambilan."}, {"verifier"}, _ppl_expiring),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "data", "persona", "allowed", "setup"),
    [
        pytest.param(url, data, persona, persona in allowed, setup, id=f"{name}-{persona}")
        for name, url, data, allowed, setup in PERSONNEL_ACTS
        for persona in PERSONAS
    ],
)
def test_personnel_acts(both, login, url, data, persona, allowed, setup):
    _personnel(both)
    if setup is not None:
        setup(both)
    form = data(both) if callable(data) else data
    before = _personnel_state(both)
    response = login(both.users[persona]).post(url(both), form)
    after = _personnel_state(both)
    _check_act(response, persona, allowed, before, after)
    if allowed:
        user = both.users[persona]
        assert len(after[2]) == len(before[2]) + 1  # one event, by them
        from collections import Counter

        (added,) = (Counter(after[2]) - Counter(before[2])).elements()
        assert added[1] == user.pk


# Only approved personnel act: the assessor of both centres without an approval in force
# for the intake's standard is refused the assess page and its POST, and nothing is kept.
def _no_approval(sw):
    from skills.models import PersonnelApproval

    PersonnelApproval.objects.filter(person=sw.users["assessor_ab"]).delete()


def _other_standard_only(sw):
    from tests.skills.training_factories import approve_personnel

    _no_approval(sw)
    approve_personnel(sw.users["assessor_ab"], "pp", _second_standard(sw))


def _expired(sw):
    from skills.models import PersonnelApproval

    PersonnelApproval.objects.filter(person=sw.users["assessor_ab"]).update(
        expires_on=sw.today - datetime.timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("case", "setup", "allowed"),
    [("no approval", _no_approval, False), ("another standard only", _other_standard_only, False),
     ("expired", _expired, False), ("approved", None, True)],
)  # fmt: skip
def test_only_approved_assessors_assess(both, login, case, setup, allowed):
    sw = _training(both)
    if setup is not None:
        setup(sw)
    client = login(sw.users["assessor_ab"])
    url = _a(sw, f"{sw.open_a.pk}/keputusan/")
    page = client.get(url)
    before = _results(sw)
    response = client.post(url, _grid(sw))
    after = _results(sw)
    if allowed:
        assert (page.status_code, response.status_code) == (200, 302)
        assert len(after) == len(before) + len(sw.open_enrolments) * len(sw.units)
    else:
        assert (page.status_code, response.status_code) == (403, 403), case
        assert "data-refusal" in page.content.decode()
        assert after == before, case


@pytest.mark.parametrize(
    ("case", "setup", "allowed"),
    [("no approval", lambda sw: _no_ppl(sw), False),
     ("expired", lambda sw: _ppl_expired(sw), False), ("approved", None, True)],
)  # fmt: skip
def test_only_approved_verifiers_verify(both, login, case, setup, allowed):
    sw = _training(both)
    if setup is not None:
        setup(sw)
    client = login(sw.users["verifier"])
    url = f"/kemahiran/verifikasi/{sw.intake_a.pk}/"
    page = client.get(url)
    before = _verifications(sw)
    response = client.post(url, {"scope": "all", "decision": "approved"})
    after = _verifications(sw)
    if allowed:
        assert (page.status_code, response.status_code) == (200, 302)
        assert after != before
    else:
        assert (page.status_code, response.status_code) == (403, 403), case
        assert after == before, case


def _no_ppl(sw):
    from skills.models import PersonnelApproval

    PersonnelApproval.objects.filter(person=sw.users["verifier"]).delete()


def _ppl_expired(sw):
    from skills.models import PersonnelApproval

    PersonnelApproval.objects.filter(person=sw.users["verifier"]).update(
        expires_on=sw.today - datetime.timedelta(days=1)
    )
