"""Personnel (Modul Personel, issue 17 item 2): who may serve as assessor (PP) or verifier (PPL).

Issue 17: "applications to serve as assessor (PP) or external verifier (PPL) for named
standards and levels, with their own qualifications as evidence; approval by the body,
induction course attended, validity and renewal. Only people approved for a standard and
level can assess or verify it (enforced by the access rule)."
"""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skills import personnel_rules as prules
from skills.models import (
    PersonnelApplication,
    PersonnelApproval,
    PersonnelEvent,
    PersonnelEvidence,
    Result,
    Standard,
    Verification,
)
from skills.selectors.personnel import approval_in_force
from skills.services import personnel as services
from tests.factories import person
from tests.skills.training_factories import approve_personnel, assess_all, intake_at, trainees_in

D = datetime.date
PDF = b"%PDF-1.7\n" + b"x" * 100


# --- the rules (skills/personnel_rules.py), row by row -----------------------------------
@pytest.mark.parametrize(
    ("role", "level", "sector", "held", "held_sector", "industry", "pp", "refused"),
    [
        # "a PP holds a skills qualification (SKM, DKM or DLKM) in the standard's field at
        # the standard's level or above, and has at least 3 years' experience in the industry"
        ("pp", 3, 1, 3, 1, 3, 0, None),
        ("pp", 3, 1, 5, 1, 10, 0, None),
        ("pp", 3, 1, 2, 1, 10, 0, "at level 2"),
        ("pp", 3, 1, 3, 2, 10, 0, "another field"),
        ("pp", 3, 1, 3, 1, 2, 0, "3 years' experience"),
        # "a PPL holds the same ... and has served at least 2 years as a PP"
        ("ppl", 2, 1, 2, 1, 0, 2, None),
        ("ppl", 2, 1, 2, 1, 20, 1, "2 years as an assessor"),
        ("ppl", 4, 1, 3, 1, 20, 5, "at level 3"),
        ("boss", 1, 1, 1, 1, 1, 1, "Choose assessor"),
    ],
)
def test_who_may_be_approved(role, level, sector, held, held_sector, industry, pp, refused,
                             english):  # fmt: skip
    problem = prules.eligibility_problem(
        role, standard_level=level, standard_sector=sector, held_level=held,
        held_sector=held_sector, industry_years=industry, pp_years=pp,
    )  # fmt: skip
    assert (problem is None) if refused is None else refused in str(problem)


@pytest.mark.parametrize(
    ("act", "state", "reason", "inducted", "renewal", "refused"),
    [
        ("approve", "applied", "", False, False, None),
        ("refuse", "applied", "Tiada bukti", False, False, None),
        # "Refusing, suspending, reinstating and revoking need a reason"
        ("refuse", "applied", " ", False, False, "Give the reason"),
        ("suspend", "approved", "", True, False, "Give the reason"),
        ("approve", "approved", "", False, False, "not allowed"),
        ("induct", "approved", "", False, False, None),
        # "only on an approved line not yet inducted and not a renewal"
        ("induct", "approved", "", True, False, "already recorded"),
        ("induct", "approved", "", False, True, "already recorded"),
        ("induct", "applied", "", False, False, "not allowed"),
        ("suspend", "approved", "Aduan", True, False, None),
        ("reinstate", "suspended", "Siasatan selesai", True, False, None),
        ("reinstate", "approved", "x", True, False, "not allowed"),
        ("revoke", "suspended", "Penipuan", True, False, None),
        ("revoke", "refused", "x", False, False, "not allowed"),
        ("promote", "applied", "x", False, False, "Unknown act"),
    ],
)
def test_which_act_from_which_state(act, state, reason, inducted, renewal, refused, english):
    problem = prules.act_refusal(act, state, reason=reason, inducted=inducted, renewal=renewal)
    assert (problem is None) if refused is None else refused in str(problem)


@pytest.mark.parametrize(
    ("state", "valid_from", "expires_on", "on", "counts"),
    [
        # "approved (not suspended, not revoked) and that day within valid_from..expires_on,
        # both counted"
        ("approved", D(2025, 1, 1), D(2027, 12, 31), D(2025, 1, 1), True),
        ("approved", D(2025, 1, 1), D(2027, 12, 31), D(2027, 12, 31), True),
        ("approved", D(2025, 1, 1), D(2027, 12, 31), D(2028, 1, 1), False),
        ("approved", D(2025, 1, 1), D(2027, 12, 31), D(2024, 12, 31), False),
        ("approved", None, None, D(2026, 1, 1), False),  # awaiting its induction
        ("suspended", D(2025, 1, 1), D(2027, 12, 31), D(2026, 1, 1), False),
        ("revoked", D(2025, 1, 1), D(2027, 12, 31), D(2026, 1, 1), False),
        ("applied", None, None, D(2026, 1, 1), False),
    ],
)
def test_in_force(state, valid_from, expires_on, on, counts):
    assert prules.in_force(state, valid_from, expires_on, on) is counts


@pytest.mark.parametrize(
    ("start", "valid_from", "expires_on"),
    [
        # "valid for 3 years from the induction day (the last valid day is the day before
        # its third anniversary)"
        (D(2026, 3, 1), D(2026, 3, 1), D(2029, 2, 28)),
        (D(2024, 2, 29), D(2024, 2, 29), D(2027, 2, 27)),
        (D(2026, 1, 1), D(2026, 1, 1), D(2028, 12, 31)),
    ],
)
def test_validity_is_three_years_from_the_induction(start, valid_from, expires_on):
    assert prules.validity(start) == (valid_from, expires_on)


@pytest.mark.parametrize(
    ("state", "expires_on", "today", "pending", "refused"),
    [
        # "from 90 days before the expiry until a year after it"
        ("approved", D(2026, 6, 30), D(2026, 4, 1), False, None),
        ("approved", D(2026, 6, 30), D(2026, 3, 1), False, "opens 90 days"),
        ("approved", D(2026, 6, 30), D(2027, 6, 30), False, None),
        ("approved", D(2026, 6, 30), D(2027, 7, 1), False, "more than a year ago"),
        ("approved", D(2026, 6, 30), D(2026, 6, 1), True, "already renewed"),
        ("approved", None, D(2026, 6, 1), False, "in effect"),
        ("suspended", D(2026, 6, 30), D(2026, 6, 1), False, "in effect"),
    ],
)
def test_when_an_approval_is_renewed(state, expires_on, today, pending, refused, english):
    problem = prules.renewal_refusal(state, expires_on, today, pending=pending)
    assert (problem is None) if refused is None else refused in str(problem)


@pytest.mark.parametrize(
    ("old_expiry", "today", "valid_from", "expires_on"),
    [
        # "the renewed period starts the day after the old expiry (renewed in time) or on
        # the day the body approves it (renewed late)"
        (D(2026, 6, 30), D(2026, 5, 1), D(2026, 7, 1), D(2029, 6, 30)),
        (D(2026, 6, 30), D(2026, 9, 1), D(2026, 9, 1), D(2029, 8, 31)),
    ],
)
def test_a_renewal_follows_on(old_expiry, today, valid_from, expires_on):
    assert prules.renewed_validity(old_expiry, today) == (valid_from, expires_on)


# --- the services ------------------------------------------------------------------------


def _apply(sw, who, role="pp", codes=None, **kw):
    data = dict(
        applicant=who, role=role, standard_codes=codes or [sw.standard.code], sector=sw.sector,
        held_level=3, industry_years=5, pp_years=3, qualifications="SKM Tahap 3 (2015)",
    )  # fmt: skip
    data.update(kw)
    return services.personnel_apply(**data)


@pytest.mark.django_db
def test_an_application_names_standards_and_keeps_its_evidence(skills_world, english):
    sw = skills_world
    other = Standard.objects.create(code="IT-020-2:2016", title_ms="Rangkaian",
                                    title_en="Networks", sector=sw.sector, level=2)  # fmt: skip
    who = person("calon.pp")
    application = _apply(sw, who, codes=[sw.standard.code, other.code.lower()],
                         uploads=[SimpleUploadedFile("sijil.pdf", PDF)])  # fmt: skip
    lines = application.approvals.order_by("standard__code")
    assert [(x.standard.code, x.state, x.person, x.role) for x in lines] == [
        ("IT-010-3:2016", "applied", who, "pp"),
        ("IT-020-2:2016", "applied", who, "pp"),
    ]
    kept = application.evidence.get()
    assert kept.name == "sijil.pdf" and kept.size == len(PDF) and "sijil" not in kept.file.name
    assert os.path.exists(kept.file.path)
    event = application.events.get()
    assert (event.act, event.by, event.reason) == ("apply", who, "IT-010-3:2016, IT-020-2:2016")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("codes", "kw", "message"),
    [
        (["XX-999-1:2000"], {}, "no such standard"),
        (None, {"held_level": 2}, "at level 2"),
        (None, {"industry_years": 1}, "3 years' experience"),
        (None, {"uploads": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")]}, "not the PDF"),
        (None, {"qualifications": " "}, "this is needed"),
    ],
)
def test_a_refused_application_saves_nothing(skills_world, codes, kw, message, english):
    before = len(os.listdir(_private_dir())) if os.path.exists(_private_dir()) else 0
    with pytest.raises(services.PersonnelRefused, match=message):
        _apply(skills_world, person("calon"), codes=codes, **kw)
    assert not PersonnelApplication.objects.filter(applicant__username="calon").exists()
    after = len(os.listdir(_private_dir())) if os.path.exists(_private_dir()) else 0
    assert after == before


def _private_dir():
    from django.conf import settings

    return os.path.join(settings.PRIVATE_MEDIA_ROOT, "personnel")


@pytest.mark.django_db
def test_one_live_application_per_standard(skills_world, english):
    sw = skills_world
    who = person("calon")
    _apply(sw, who)
    with pytest.raises(services.PersonnelRefused, match="already applied"):
        _apply(sw, who)
    # The assessor of the world is approved already: renew, not apply.
    with pytest.raises(services.PersonnelRefused, match="already approved"):
        _apply(sw, sw.users["assessor_ab"])


@pytest.mark.django_db
def test_approve_then_induct_then_in_force_each_act_recorded(skills_world, english):
    sw = skills_world
    who, officer = person("calon"), sw.users["cert_officer"]
    line = _apply(sw, who).approvals.get()
    services.personnel_act(approval_id=line.pk, act="approve", by=officer, reason="Lengkap")
    assert approval_in_force(who, "pp", sw.standard, sw.today) is None  # not before induction
    with pytest.raises(services.PersonnelRefused, match="future"):
        services.personnel_act(approval_id=line.pk, act="induct", by=officer, course="Induksi",
                               induction_on=sw.today + datetime.timedelta(days=1))  # fmt: skip
    day = sw.today - datetime.timedelta(days=3)
    services.personnel_act(approval_id=line.pk, act="induct", by=officer,
                           course="Kursus Induksi PP Siri 4", induction_on=day)  # fmt: skip
    line.refresh_from_db()
    assert (line.valid_from, line.expires_on) == prules.validity(day)
    assert approval_in_force(who, "pp", sw.standard, sw.today) == line
    assert approval_in_force(who, "ppl", sw.standard, sw.today) is None
    services.personnel_act(approval_id=line.pk, act="suspend", by=officer, reason="Aduan")
    assert approval_in_force(who, "pp", sw.standard, sw.today) is None
    with pytest.raises(services.PersonnelRefused, match="Give the reason"):
        services.personnel_act(approval_id=line.pk, act="revoke", by=officer, reason="")
    services.personnel_act(approval_id=line.pk, act="revoke", by=officer, reason="Penipuan")
    events = PersonnelEvent.objects.filter(approval=line)
    assert list(events.values_list("act", "by", "reason")) == [
        ("approve", officer.pk, "Lengkap"),
        ("induct", officer.pk, f"Kursus Induksi PP Siri 4 ({day.isoformat()})"),
        ("suspend", officer.pk, "Aduan"),
        ("revoke", officer.pk, "Penipuan"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_renewal_extends_the_validity_without_a_new_induction(skills_world, english):
    sw = skills_world
    who, officer = person("pp.lama"), sw.users["cert_officer"]
    expiry = sw.today + datetime.timedelta(days=30)
    old = approve_personnel(who, "pp", sw.standard, expires_on=expiry)
    application = services.personnel_renew(approval_id=old.pk, applicant=who,
                                           note="Menilai 4 pengambilan.")  # fmt: skip
    with pytest.raises(services.PersonnelRefused, match="already renewed"):
        services.personnel_renew(approval_id=old.pk, applicant=who, note="Lagi")
    line = application.approvals.get()
    assert line.renews == old and line.state == "applied"
    services.personnel_act(approval_id=line.pk, act="approve", by=officer)
    line.refresh_from_db()
    assert (line.valid_from, line.expires_on) == prules.validity(expiry + datetime.timedelta(1))
    assert line.induction_on == old.induction_on
    later = expiry + datetime.timedelta(days=10)
    assert approval_in_force(who, "pp", sw.standard, later) == line


@pytest.mark.django_db
def test_renewal_is_refused_too_early(skills_world, english):
    sw = skills_world
    who = person("pp.awal")
    old = approve_personnel(who, "pp", sw.standard)  # a year ahead
    with pytest.raises(services.PersonnelRefused, match="opens 90 days"):
        services.personnel_renew(approval_id=old.pk, applicant=who, note="Awal")
    assert PersonnelApplication.objects.filter(applicant=who).count() == 1


# --- only approved personnel act (the access rule and the services) ----------------------
def _results_url(intake):
    return f"/kemahiran/pusat/{intake.centre.code}/pengambilan/{intake.pk}/keputusan/"


def _grid(sw, enrolments, on=None):
    data = {f"r-{e.pk}-{u.pk}": "competent" for e in enrolments for u in sw.units}
    data["assessed_on"] = (on or sw.today - datetime.timedelta(days=1)).isoformat()
    return data


def _assessor(sw, case):
    """An assessor at centre A and, by ``case``, their approval."""
    pp = person(f"pp.{case}", roles=[("assessor", sw.centre_a)])
    other = Standard.objects.create(code="IT-030-3:2016", title_ms="Lain", title_en="Other",
                                    sector=sw.sector, level=3)  # fmt: skip
    if case == "other_standard":
        approve_personnel(pp, "pp", other)
    elif case == "expired":
        approve_personnel(pp, "pp", sw.standard, valid_from=sw.today - datetime.timedelta(1200),
                          expires_on=sw.today - datetime.timedelta(days=1))  # fmt: skip
    elif case == "as_ppl":
        approve_personnel(pp, "ppl", sw.standard)
    elif case == "suspended":
        approve_personnel(pp, "pp", sw.standard, state="suspended")
    elif case == "approved":
        approve_personnel(pp, "pp", sw.standard)
    return pp


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "allowed"),
    [("none", False), ("other_standard", False), ("expired", False), ("as_ppl", False),
     ("suspended", False), ("approved", True)],
)  # fmt: skip
def test_only_an_approved_assessor_assesses(skills_world, login, case, allowed, english):
    sw = skills_world
    pp = _assessor(sw, case)
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 2)
    client = login(pp)
    page = client.get(_results_url(intake))
    response = client.post(_results_url(intake), _grid(sw, enrolments))
    if allowed:
        assert page.status_code == 200 and response.status_code == 302
        assert Result.objects.filter(assessor=pp).count() == 2 * len(sw.units)
    else:
        assert page.status_code == 403 and response.status_code == 403
        text = page.content.decode()
        assert "data-refusal" in text and "no approval as assessor (PP) for IT-010-3:2016" in text
        assert not Result.objects.exists()


@pytest.mark.django_db
def test_results_need_the_approval_on_the_assessment_date(skills_world, english):
    """The service's defence: an approval from yesterday does not cover last week."""
    from django.core.exceptions import ValidationError

    from skills.services.results import Entry, results_record

    sw = skills_world
    pp = person("pp.baru", roles=[("assessor", sw.centre_a)])
    approve_personnel(pp, "pp", sw.standard, valid_from=sw.today - datetime.timedelta(days=1))
    intake = intake_at(sw)
    enrolment = trainees_in(intake, 1)[0]
    week_ago = sw.today - datetime.timedelta(days=7)
    unit = sw.units[0].pk
    with pytest.raises(ValidationError, match="in force on " + week_ago.isoformat()):
        results_record(intake=intake, by=pp, today=sw.today,
                       entries=[Entry(enrolment.pk, unit, "competent", week_ago)])  # fmt: skip
    assert not Result.objects.exists()
    results_record(intake=intake, by=pp, today=sw.today,
                   entries=[Entry(enrolment.pk, unit, "competent", sw.today)])  # fmt: skip
    assert Result.objects.get().assessor == pp


@pytest.mark.django_db
def test_only_approved_verifiers_are_offered_and_verify(skills_world, login, english):
    sw = skills_world
    unapproved = person("ppl.baru", first_name="Zaki", roles=[("verifier", "JPK")])
    intake = intake_at(sw, state="submitted")
    trainees_in(intake, 1)
    assess_all(sw, intake, sw.users["assessor_ab"])
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/ppl/"
    body = login(sw.users["cert_officer"])
    page = body.get(url).content.decode()
    assert f'value="{sw.users["verifier"].pk}"' in page and f'value="{unapproved.pk}"' not in page
    body.post(url, {"verifier": unapproved.pk})
    intake.refresh_from_db()
    assert intake.verifier is None
    # Assigned anyway (before the approval lapsed, say): the verify page and act refuse.
    intake.verifier = unapproved
    intake.save()
    client = login(unapproved)
    assert client.get(f"/kemahiran/verifikasi/{intake.pk}/").status_code == 403
    response = client.post(f"/kemahiran/verifikasi/{intake.pk}/",
                           {"scope": "all", "decision": "approved"})  # fmt: skip
    assert response.status_code == 403 and not Verification.objects.exists()
    from django.core.exceptions import ValidationError

    from skills.services.verification import intake_verify

    with pytest.raises(ValidationError, match="no approval as external verifier"):
        intake_verify(intake=intake, verifier=unapproved, whole_intake=True, sample_ids=[],
                      findings="", decision="approved", comments="")  # fmt: skip
    approve_personnel(unapproved, "ppl", sw.standard)
    assert client.get(f"/kemahiran/verifikasi/{intake.pk}/").status_code == 200


# --- pages -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_apply_on_the_page_with_files(skills_world, login, english):
    sw = skills_world
    who = person("calon.web")
    client = login(who)
    page = client.get("/kemahiran/personel/mohon/").content.decode()
    assert "data-rules" in page and "at least 3 years" in page
    response = client.post("/kemahiran/personel/mohon/", {
        "role": "pp", "standards": f"{sw.standard.code}", "sector": sw.sector.pk,
        "held_level": 3, "industry_years": 4, "pp_years": 0, "qualifications": "SKM 3",
        "evidence": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png",
                     b"\x89PNG\r\n\x1a\n" + b"0" * 10)],
    })  # fmt: skip
    application = PersonnelApplication.objects.get(applicant=who)
    assert response.status_code == 302
    assert response["Location"] == f"/kemahiran/personel/permohonan/{application.pk}/"
    assert sorted(application.evidence.values_list("name", flat=True)) == ["a.pdf", "b.png"]
    refused = client.post("/kemahiran/personel/mohon/", {
        "role": "pp", "standards": "IT-010-3:2016", "sector": sw.sector.pk, "held_level": 1,
        "industry_years": 4, "pp_years": 0, "qualifications": "SKM 1",
    })  # fmt: skip
    assert refused.status_code == 200 and "at level 1" in refused.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("applicant", 200), ("cert_officer", 200), ("admin", 200), ("assessor_ab", 404),
     ("verifier", 404), ("trainee", 404), ("coord_a", 403), ("anonymous", 302)],
)  # fmt: skip
def test_evidence_files_only_for_the_applicant_and_the_body(world, skills_world, login, who,
                                                            status):  # fmt: skip
    sw = skills_world
    users = {**world.users, **sw.users}
    applicant = person("calon.fail")
    users["applicant"] = applicant
    application = _apply(sw, applicant, uploads=[SimpleUploadedFile("sijil.pdf", PDF)])
    kept = application.evidence.get()
    url = f"/kemahiran/personel/permohonan/{application.pk}/fail/{kept.pk}/"
    response = login(users[who]).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_decisions_through_the_pages(skills_world, login, english):
    sw = skills_world
    who = person("calon.web")
    line = _apply(sw, who).approvals.get()
    body = login(sw.users["cert_officer"])
    url = f"/kemahiran/personel/kelulusan/{line.pk}/tindakan/"
    page = body.get(f"/kemahiran/personel/permohonan/{line.application_id}/").content.decode()
    assert 'data-act="approve"' in page and 'data-act="refuse"' in page
    refused = body.post(url, {"act": "refuse", "reason": ""}, follow=True).content.decode()
    assert "Give the reason" in refused
    body.post(url, {"act": "approve"})
    body.post(url, {"act": "induct", "course": "Induksi", "induction_on": sw.today.isoformat()})
    line.refresh_from_db()
    assert line.state == "approved" and line.valid_from == sw.today
    assert list(line.events.values_list("act", flat=True)) == ["approve", "induct"]
    mine = login(who).get("/kemahiran/personel/").content.decode()
    assert f'data-approval="{line.pk}"' in mine and 'data-in-force="1"' in mine


@pytest.mark.django_db
def test_the_desk_lists_awaiting_expiring_and_the_register(
    skills_world, login, django_assert_max_num_queries
):
    sw = skills_world
    for i in range(5):
        _apply(sw, person(f"calon.{i}"))
        approve_personnel(person(f"pp.{i}"), "pp", sw.standard,
                          expires_on=sw.today + datetime.timedelta(days=10 + i))  # fmt: skip
    client = login(sw.users["cert_officer"])
    with django_assert_max_num_queries(14):
        page = client.get("/kemahiran/personel/meja/").content.decode()
    assert page.count("data-awaiting=") == 5 and page.count("data-expiring=") == 5
    assert page.count("data-register=") == 5 + 2  # and the world's assessor and verifier
    only_ppl = client.get("/kemahiran/personel/meja/", {"role": "ppl",
                                                        "standard": sw.standard.code})  # fmt: skip
    assert only_ppl.content.decode().count("data-register=") == 1
    mine = login(sw.users["assessor_ab"])
    with django_assert_max_num_queries(12):
        mine.get("/kemahiran/personel/")


@pytest.mark.django_db
def test_refused_to_shared_school_accounts_and_other_people(world, skills_world, login):
    sw = skills_world
    line = _apply(sw, person("calon")).approvals.get()
    assert login(world.users["coord_a"]).get("/kemahiran/personel/mohon/").status_code == 403
    assert (
        login(sw.users["verifier"])
        .get(f"/kemahiran/personel/permohonan/{line.application_id}/")
        .status_code
        == 404
    )
    act_url = f"/kemahiran/personel/kelulusan/{line.pk}/tindakan/"
    response = login(sw.users["verifier"]).post(act_url, {"act": "approve"})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.state == "applied" and not PersonnelEvent.objects.filter(approval=line).exists()
    assert PersonnelApproval.objects.count() == 3 and PersonnelEvidence.objects.count() == 0
