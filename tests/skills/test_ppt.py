"""PPT, recognition of prior achievement: from the application and its evidence to the certificate.

Issue 17: "a person (through an accredited PPT centre or an agency) applies for
a standard, full or modular, attaching evidence per CU (files: size and type
checked, stored outside the web root, served only to those who may see them);
an assessor judges each CU from the evidence (and an interview or practical
assessment, recorded); the external verifier verifies; certification then
follows the same rule and the same certificates as the core issue."
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skills import ppt_rules, rules
from skills.models import Certificate, Enrolment, Intake, PptApplication, PptEvidence, Result
from tests.factories import person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID = "850315-10-5123"


def pdf(name="bukti.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def login(client, user):
    client.force_login(user)
    return client


def apply(client, sw, **extra):
    data = {
        "accreditation": sw.accreditation_a.pk, "mode": "full", "id_number": ID,
        "name": "Rahim bin Osman", "email": "", "channel": "centre", "agency": "", "years": 12,
        "experience": "Juruteknik sistem di Syarikat Maju Jaya, 2013-2025.", **extra,
    }  # fmt: skip
    return client.post(reverse("skills:ppt_new", args=[sw.centre_a.code]), data)


def url(sw, application, name="skills:ppt"):
    return reverse(name, args=[sw.centre_a.code, application.pk])


def upload(client, sw, application, unit, file=None):
    return client.post(
        url(sw, application, "skills:ppt_evidence"),
        {"unit": unit.pk, "file": file or pdf(), "description": "Surat majikan"},
    )


def judge(client, sw, application, outcome="competent", method="evidence", record="", send=False):
    data = {}
    for unit in sw.units:
        data |= {f"o-{unit.pk}": outcome, f"m-{unit.pk}": method, f"r-{unit.pk}": record,
                 f"d-{unit.pk}": sw.today.isoformat()}  # fmt: skip
    if send:
        data["send"] = "1"
    return client.post(url(sw, application, "skills:ppt_judge"), data)


@pytest.fixture
def submitted(client, skills_world):
    """An application of centre A with a file per CU, submitted to the assessor."""
    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    apply(client, sw)
    application = PptApplication.objects.get()
    for unit in sw.units:
        upload(client, sw, application, unit)
    client.post(url(sw, application, "skills:ppt_submit"))
    application.refresh_from_db()
    return application


def test_a_ppt_application_goes_from_evidence_to_certificate(client, skills_world, english):
    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    response = apply(client, sw)
    application = PptApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == url(sw, application)
    assert application.state == ppt_rules.DRAFT and application.intake is None
    assert application.reference == f"PPT-{sw.today.year}-{application.pk:06d}"
    assert set(application.units.all()) == set(sw.units)
    assert application.trainee.id_number == "850315105123"
    page = client.get(url(sw, application)).content.decode()
    assert "850315105123" not in page and rules.mask_id("850315105123") in page
    assert 'data-ppt-stage="draft"' in page

    # Submitting needs evidence for every CU.
    client.post(url(sw, application, "skills:ppt_submit"))
    application.refresh_from_db()
    assert application.state == ppt_rules.DRAFT
    for unit in sw.units:
        assert upload(client, sw, application, unit).status_code == 302
    assert PptEvidence.objects.filter(application=application).count() == 3
    client.post(url(sw, application, "skills:ppt_submit"))
    application.refresh_from_db()
    assert application.state == ppt_rules.SUBMITTED
    intake = application.intake
    assert intake.code == application.reference and intake.state == rules.INTAKE_OPEN
    assert list(Enrolment.objects.filter(intake=intake).values_list("trainee_id", flat=True)) == [
        application.trainee_id
    ]
    # Evidence is locked once submitted.
    upload(client, sw, application, sw.units[0])
    assert PptEvidence.objects.filter(application=application).count() == 3

    # The assessor judges: an interview needs its record; nothing is kept when one is wrong.
    assessor = sw.users["assessor_ab"]
    login(client, assessor)
    response = judge(client, sw, application, method="interview", record="")
    assert "record what the interview asked" in response.content.decode()
    assert not Result.objects.filter(enrolment__intake=intake).exists()
    judge(client, sw, application, method="interview", record="Ditanya tentang ujian unit.",
          send=True)  # fmt: skip
    intake.refresh_from_db()
    assert intake.state == rules.INTAKE_SUBMITTED
    assert Result.objects.filter(enrolment__intake=intake, outcome="competent").count() == 3

    # The body assigns the PPL, who reads the evidence and verifies.
    login(client, sw.users["cert_officer"])
    client.post(reverse("skills:intake_assign", args=[sw.centre_a.code, intake.pk]),
                {"verifier": sw.users["verifier"].pk})  # fmt: skip
    intake.refresh_from_db()
    assert intake.verifier == sw.users["verifier"]
    login(client, sw.users["verifier"])
    assert client.get(url(sw, application)).status_code == 200
    evidence = PptEvidence.objects.filter(application=application).first()
    download = client.get(reverse("skills:ppt_evidence_file", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    client.post(reverse("skills:verify", args=[intake.pk]),
                {"scope": "all", "findings": "Bukti lengkap.", "decision": "approved",
                 "comments": ""})  # fmt: skip
    intake.refresh_from_db()
    assert intake.state == rules.INTAKE_VERIFIED

    # Certification: the core's rule and certificates.
    login(client, sw.users["cert_officer"])
    client.post(url(sw, application, "skills:ppt_certify"))
    certificate = Certificate.objects.get(intake=intake)
    assert certificate.kind == rules.SKM3 and certificate.trainee == application.trainee
    page = client.get(url(sw, application)).content.decode()
    assert 'data-ppt-stage="certified"' in page and certificate.reference in page
    # Certifying twice issues nothing new.
    client.post(url(sw, application, "skills:ppt_certify"))
    assert Certificate.objects.filter(intake=intake).count() == 1


def test_modular_ppt_earns_a_statement_of_achievement(client, skills_world):
    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    apply(client, sw, mode="modular", units=[sw.units[0].pk, sw.units[1].pk])
    application = PptApplication.objects.get()
    assert set(application.units.all()) == set(sw.units[:2])
    for unit in sw.units[:2]:
        upload(client, sw, application, unit)
    client.post(url(sw, application, "skills:ppt_submit"))
    application.refresh_from_db()
    login(client, sw.users["assessor_ab"])
    data = {"send": "1"}
    for unit in sw.units[:2]:
        data |= {f"o-{unit.pk}": "competent", f"m-{unit.pk}": "evidence", f"r-{unit.pk}": "",
                 f"d-{unit.pk}": sw.today.isoformat()}  # fmt: skip
    client.post(url(sw, application, "skills:ppt_judge"), data)
    intake = Intake.objects.get(pk=application.intake_id)
    assert intake.state == rules.INTAKE_SUBMITTED
    intake.verifier = sw.users["verifier"]
    intake.save()
    login(client, sw.users["verifier"])
    verdict = {"scope": "all", "findings": "", "decision": "approved", "comments": ""}
    client.post(reverse("skills:verify", args=[intake.pk]), verdict)
    login(client, sw.users["cert_officer"])
    client.post(url(sw, application, "skills:ppt_certify"))
    certificate = Certificate.objects.get(intake=intake)
    assert certificate.kind == rules.SP
    assert set(certificate.units.all()) == set(sw.units[:2])


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "only PDF, JPG, PNG"),
        ("surat.pdf", b"<html><script>alert(1)</script>", "not the PDF file"),
        ("kosong.pdf", b"", "empty"),
    ],
)
def test_wrong_evidence_is_refused_and_nothing_is_kept(client, skills_world, english, name,
                                                        body, message):  # fmt: skip
    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    apply(client, sw)
    application = PptApplication.objects.get()
    response = upload(client, sw, application, sw.units[0], SimpleUploadedFile(name, body))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PptEvidence.objects.exists()


def test_evidence_too_large_is_refused(client, skills_world, english, monkeypatch):
    from skills import files

    monkeypatch.setattr(files, "MAX_BYTES", 1024)
    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    apply(client, sw)
    application = PptApplication.objects.get()
    response = upload(client, sw, application, sw.units[0], pdf(body=PDF + b"x" * 2000))
    assert "larger than" in response.content.decode()
    assert not PptEvidence.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("centre_admin_a", 200),
        ("assessor_ab", 200),
        ("cert_officer", 200),
        ("applicant", 200),
        ("centre_admin_b", 404),
        ("verifier", 404),  # not (yet) assigned to the application's intake
        ("stranger", 404),
        ("anonymous", 302),
    ],
)
def test_evidence_is_served_only_to_those_who_may_see_it(client, skills_world, who, status):
    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    apply(client, sw, id_number=sw.trainee.id_number, name=sw.trainee.name)
    application = PptApplication.objects.get()
    upload(client, sw, application, sw.units[0])
    evidence = PptEvidence.objects.get()
    client.logout()
    users = {**sw.users, "applicant": sw.users["trainee"], "stranger": person("orang.luar")}
    if users[who] is not None:
        login(client, users[who])
    response = client.get(reverse("skills:ppt_evidence_file", args=[evidence.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
    else:
        assert PDF not in response.content


def test_another_centre_sees_and_does_nothing_to_an_application(client, skills_world, submitted):
    sw = skills_world
    login(client, sw.users["centre_admin_b"])
    assert client.get(url(sw, submitted)).status_code == 404
    assert (
        client.post(url(sw, submitted, "skills:ppt_withdraw"), {"reason": "x"}).status_code == 404
    )
    submitted.refresh_from_db()
    assert submitted.state == ppt_rules.SUBMITTED


def test_withdrawing_needs_a_reason_and_stops_judging(client, skills_world, submitted, english):
    sw = skills_world
    client.post(url(sw, submitted, "skills:ppt_withdraw"), {"reason": ""})
    submitted.refresh_from_db()
    assert submitted.state == ppt_rules.SUBMITTED
    client.post(url(sw, submitted, "skills:ppt_withdraw"), {"reason": "Pemohon berpindah."})
    submitted.refresh_from_db()
    assert submitted.state == ppt_rules.WITHDRAWN
    login(client, sw.users["assessor_ab"])
    response = judge(client, sw, submitted)
    assert "not for judging now" in response.content.decode()
    assert not Result.objects.exists()


def test_the_lists_take_the_same_queries_for_many_applications(client, skills_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sw = skills_world
    login(client, sw.users["centre_admin_a"])
    listing = reverse("skills:ppt_list", args=[sw.centre_a.code])

    def count(address):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    for i in range(3):
        apply(client, sw, id_number=f"8503151051{i:02d}")
    few = count(listing)
    for i in range(3, 15):
        apply(client, sw, id_number=f"8503151051{i:02d}")
    assert count(listing) == few <= 12
    login(client, sw.users["cert_officer"])
    assert count(reverse("skills:ppt_desk")) <= 12
    assert client.get(reverse("skills:ppt_desk")).content.decode().count("data-ppt=") == 15


def test_the_stage_filters_and_counts_agree_with_the_rule(skills_world):
    """Each stage filter finds exactly the applications ``ppt_rules.stage`` puts there, and
    the counts on the lists are theirs."""
    from skills.selectors import ppt as selectors
    from skills.services.certificates import certificates_issue_for_enrolment

    from .ppt_helpers import draft, judged, submitted, verified

    sw = skills_world
    made = [
        draft(sw),
        submitted(sw, id_number="860101105001"),
        judged(sw, id_number="860101105002"),
        verified(sw, id_number="860101105003"),
        verified(sw, id_number="860101105004"),
    ]
    certificates_issue_for_enrolment(enrolment=made[4].intake.enrolments.get(),
                                     by=sw.users["cert_officer"])  # fmt: skip
    stages = ["draft", "assessment", "verification", "verified", "certified"]
    expected = {a.pk: stage for a, stage in zip(made, stages, strict=True)}
    for stage in ppt_rules.STAGES:
        found = {a.pk for a in selectors.applications(stage=stage)}
        assert found == {pk for pk, s in expected.items() if s == stage}, stage
    counts = selectors.stage_counts()
    assert counts == {s: sum(1 for v in expected.values() if v == s) for s in ppt_rules.STAGES}
    assert selectors.stage_counts(centre=sw.centre_b) == dict.fromkeys(ppt_rules.STAGES, 0)
    rows = selectors.page_rows(selectors.applications().values_list("pk", flat=True))
    assert {a.pk: a.stage for a in rows} == expected


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", {"Rahim bin Osman", "Siti Aminah"}),
        ("rahim", {"Rahim bin Osman"}),
        ("860101-10-5001", {"Siti Aminah"}),  # an identity number, dashes or not
        ("860101105001", {"Siti Aminah"}),
        ("PPT-2099-000001", set()),
        ("tiada", set()),
    ],
)
def test_the_desk_finds_by_reference_identity_number_or_name(skills_world, query, found):
    from skills.selectors import ppt as selectors

    from .ppt_helpers import draft

    draft(skills_world, files=False)
    draft(skills_world, id_number="860101105001", name="Siti Aminah", files=False)
    names = {a.trainee.name for a in selectors.applications(query=query).select_related("trainee")}
    assert names == found
    first = selectors.applications().last()
    assert list(selectors.applications(query=first.reference.lower())) == [first]


def test_a_returned_application_takes_more_evidence_and_goes_back_to_the_verifier(
    client, skills_world, english
):
    from skills.services.verification import intake_verify

    from .ppt_helpers import judged

    sw = skills_world
    application = judged(sw)
    intake = application.intake
    intake.verifier = sw.users["verifier"]
    intake.save()
    comments = "Tiada gambar hasil kerja CU C02."
    intake_verify(intake=intake, verifier=sw.users["verifier"], whole_intake=True, sample_ids=(),
                  findings="", decision="returned", comments=comments)  # fmt: skip
    login(client, sw.users["centre_admin_a"])
    page = client.get(url(sw, application)).content.decode()
    assert 'data-ppt-stage="returned"' in page and "Tiada gambar hasil kerja" in page
    upload(client, sw, application, sw.units[1])
    assert application.evidence.filter(unit=sw.units[1]).count() == 2
    login(client, sw.users["assessor_ab"])
    judge(client, sw, application, method="practical", record="Ditunjukkan semula.", send=True)
    intake.refresh_from_db()
    assert intake.state == rules.INTAKE_SUBMITTED
    # With the verifier again: the evidence is locked.
    login(client, sw.users["centre_admin_a"])
    upload(client, sw, application, sw.units[1])
    assert application.evidence.filter(unit=sw.units[1]).count() == 2
