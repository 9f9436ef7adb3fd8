"""Certification (Persijilan): issue, idempotent, revoke, re-issue, in the background, at once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from skills import rules
from skills.models import AccreditationEvent, Certificate, IssueBatch
from skills.services import certificates as services

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee


def issue(sw, enrolment):
    return services.certificates_issue_for_enrolment(
        enrolment=enrolment, by=sw.users["cert_officer"]
    )


def test_it_issues_the_levels_certificate_when_every_cu_is_competent_and_verified(skills_world):
    sw = skills_world
    enrolment = enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)
    outcome = issue(sw, enrolment)
    c = outcome.certificate
    assert c is not None and c.kind == rules.SKM3 and c.version == 1
    assert c.reference == c.number and rules.normalise_reference(c.number) == c.number
    assert set(c.units.values_list("pk", flat=True)) == {u.pk for u in sw.units}
    assert c.holder_name == "Siti binti Ahmad" and c.status == rules.VALID
    assert c.assessed_on == sw.today - datetime.timedelta(days=15)


def test_some_cus_earn_a_statement_of_achievement_for_those_cus(skills_world):
    sw = skills_world
    enrolment = enrol(sw, intake_of(sw), trainee(), {0: "competent", 1: "not_yet", 2: "competent"})
    c = issue(sw, enrolment).certificate
    assert c.kind == rules.SP
    assert set(c.units.values_list("pk", flat=True)) == {sw.units[0].pk, sw.units[2].pk}


def test_an_unverified_cu_does_not_count(skills_world):
    sw = skills_world
    enrolment = enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT, verified=False)
    outcome = issue(sw, enrolment)
    assert outcome.certificate is None and "competency unit" in outcome.why_not
    assert not Certificate.objects.exists()


def test_nothing_when_the_accreditation_was_not_valid_on_the_assessment_date(skills_world):
    sw = skills_world  # centre B's accreditation expired 35 days ago
    intake = intake_of(sw, centre=sw.centre_b, accreditation=sw.accreditation_b)
    enrolment = enrol(sw, intake, trainee(), ALL_COMPETENT)
    outcome = issue(sw, enrolment)
    assert outcome.certificate is None and "accreditation" in outcome.why_not
    # Assessed while it was still valid: certified.
    earlier = enrol(sw, intake, trainee(), ALL_COMPETENT,
                    assessed_on=sw.today - datetime.timedelta(days=60))  # fmt: skip
    assert issue(sw, earlier).certificate.kind == rules.SKM3


def test_a_suspension_in_the_history_stops_certification_of_assessments_after_it(skills_world):
    sw = skills_world
    by = sw.users["cert_officer"]
    ev = AccreditationEvent.objects.create
    ev(accreditation=sw.accreditation_a, act="approved", by=by,
       at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=300))  # fmt: skip
    ev(accreditation=sw.accreditation_a, act="suspended", by=by,
       at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=20))  # fmt: skip
    intake = intake_of(sw)
    assert issue(sw, enrol(sw, intake, trainee(), ALL_COMPETENT)).certificate is None
    before = enrol(sw, intake, trainee(), ALL_COMPETENT,
                   assessed_on=sw.today - datetime.timedelta(days=40))  # fmt: skip
    assert issue(sw, before).certificate is not None


def test_modular_accreditation_certifies_only_its_cus_as_an_sp(skills_world):
    sw = skills_world
    sw.accreditation_a.mode = rules.MODULAR
    sw.accreditation_a.save()
    sw.accreditation_a.units.set([sw.units[0], sw.units[1]])
    c = issue(sw, enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)).certificate
    assert c.kind == rules.SP
    assert set(c.units.values_list("pk", flat=True)) == {sw.units[0].pk, sw.units[1].pk}


def test_modular_accreditation_of_every_cu_gives_the_full_certificate(skills_world):
    sw = skills_world
    sw.accreditation_a.mode = rules.MODULAR
    sw.accreditation_a.save()
    sw.accreditation_a.units.set(sw.units)
    assert issue(sw, enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)).certificate.kind == "SKM3"


def test_issuing_again_gives_nothing_new(skills_world):
    sw = skills_world
    enrolment = enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)
    first = issue(sw, enrolment)
    again = issue(sw, enrolment)
    assert first.certificate and again.certificate is None and again.already
    assert Certificate.objects.count() == 1


def test_revoke_needs_a_reason_and_shows_on_the_certificate(skills_world):
    sw = skills_world
    c = issue(sw, enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)).certificate
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=c, by=sw.users["cert_officer"], reason="  ")
    services.certificate_revoke(certificate=c, by=sw.users["cert_officer"], reason="Dokumen palsu")
    c.refresh_from_db()
    assert c.status == rules.REVOKED_CERT and c.revoked_reason == "Dokumen palsu"
    assert c.revoked_by == sw.users["cert_officer"] and c.revoked_at is not None
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=c, by=sw.users["cert_officer"], reason="again")


def test_reissue_keeps_the_number_and_supersedes_the_old_version(skills_world):
    sw = skills_world
    old = issue(sw, enrol(sw, intake_of(sw), trainee("Siti binti Ahmd"), ALL_COMPETENT)).certificate
    new = services.certificate_reissue(
        certificate=old, by=sw.users["cert_officer"], holder_name="Siti  binti Ahmad", reason="Ej"
    )
    old.refresh_from_db()
    assert new.number == old.number and new.version == 2
    assert new.reference == f"{old.number}/2" and new.holder_name == "Siti binti Ahmad"
    assert old.status == rules.SUPERSEDED and new.status == rules.VALID
    assert set(new.units.all()) == set(old.units.all()) and new.kind == old.kind
    with pytest.raises(ValidationError):  # the old version is no longer the one to act on
        services.certificate_reissue(certificate=old, by=sw.users["cert_officer"],
                                     holder_name="X", reason="y")  # fmt: skip
    third = services.certificate_reissue(certificate=new, by=sw.users["cert_officer"],
                                         holder_name="Siti Ahmad", reason="lagi")  # fmt: skip
    assert third.reference == f"{old.number}/3"


def test_superseded_version_on_the_public_check_links_to_the_current(skills_world, client):
    sw = skills_world
    old = issue(sw, enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)).certificate
    new = services.certificate_reissue(certificate=old, by=sw.users["cert_officer"],
                                       holder_name="Siti Aminah", reason="Nama")  # fmt: skip
    page = client.get(reverse("skills:check"), {"no": old.number}).content.decode()
    assert f'data-certificate="{old.number}"' in page and 'data-status="superseded"' in page
    assert f'data-current="{new.reference}"' in page
    page = client.get(reverse("skills:check"), {"no": new.reference}).content.decode()
    assert 'data-status="valid"' in page and "Siti Aminah" in page


def test_a_number_clash_draws_again(skills_world, monkeypatch):
    sw = skills_world
    first = issue(sw, enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)).certificate
    draws = iter([first.number, first.number, "JPK-0000000001"])
    monkeypatch.setattr(rules, "certificate_number", lambda _r: next(draws))
    second = issue(sw, enrol(sw, intake_of(sw), trainee(), ALL_COMPETENT)).certificate
    assert second.number == "JPK-0000000001"


def test_the_intake_is_issued_in_the_background_with_progress(
    skills_world, login, django_capture_on_commit_callbacks
):
    sw = skills_world
    intake = intake_of(sw)
    enrol(sw, intake, trainee(), ALL_COMPETENT)
    enrol(sw, intake, trainee(), {0: "competent"})
    enrol(sw, intake, trainee(), {0: "not_yet"})
    client = login(sw.users["cert_officer"])
    url = reverse("skills:intake_certify", kwargs={"code": sw.centre_a.code, "pk": intake.pk})
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    batch = IssueBatch.objects.get()
    assert response.url == reverse("skills:issue_batch", kwargs={"pk": batch.pk})
    assert (batch.state, batch.total, batch.done, batch.issued) == ("done", 3, 3, 2)
    assert sorted(Certificate.objects.values_list("kind", flat=True)) == ["SKM3", "SP"]
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in page and 'data-issued="2"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # again: nobody gets a second certificate
    assert Certificate.objects.count() == 2
    assert IssueBatch.objects.order_by("-pk").first().issued == 0


def test_an_unverified_intake_is_not_issued(skills_world, login):
    sw = skills_world
    intake = intake_of(sw, state="submitted")
    enrol(sw, intake, trainee(), ALL_COMPETENT)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:intake_certify", kwargs={"code": sw.centre_a.code, "pk": intake.pk})
    client.post(url)
    assert not IssueBatch.objects.exists() and not Certificate.objects.exists()


def test_a_stalled_batch_is_taken_over_and_a_live_one_is_not(skills_world):
    from django.utils import timezone

    sw = skills_world
    intake = intake_of(sw)
    enrol(sw, intake, trainee(), ALL_COMPETENT)
    batch = IssueBatch.objects.create(intake=intake, requested_by=sw.users["cert_officer"],
                                      state="running", heartbeat_at=timezone.now())  # fmt: skip
    assert services.issue_batch_run(batch_id=batch.pk) is None
    IssueBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert services.issue_batch_run(batch_id=batch.pk) is True
    assert Certificate.objects.count() == 1
    assert services.issue_batch_run(batch_id=batch.pk) is False


@pytest.mark.django_db(transaction=True)
def test_two_workers_issuing_at_once_make_no_duplicate(skills_world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    sw = skills_world
    intake = intake_of(sw)
    enrolments = [enrol(sw, intake, trainee(), ALL_COMPETENT) for _ in range(20)]
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            for enrolment in enrolments:
                issue(sw, enrolment)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Certificate.objects.count() == 20
    assert Certificate.objects.values("number").distinct().count() == 20
    assert Certificate.objects.values("trainee").distinct().count() == 20


LONG_NAME = "Nur Aisyah Humaira binti Mohd Khairul Anuar Syafiq"


def test_the_pdf_is_drawn_on_demand_with_the_qr_to_the_signed_check(skills_world, login):
    import os
    import time

    sw = skills_world
    c = issue(sw, enrol(sw, intake_of(sw), trainee(LONG_NAME), ALL_COMPETENT)).certificate
    client = login(sw.users["cert_officer"])
    client.get(reverse("skills:certificate_pdf", kwargs={"pk": c.pk}))  # warm the fonts
    began = time.perf_counter()
    response = client.get(reverse("skills:certificate_pdf", kwargs={"pk": c.pk}))
    seconds = time.perf_counter() - began
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"skills-certificate-{c.number}.pdf" in response["Content-Disposition"]
    print("PDF seconds", seconds)
    assert seconds < 1.5  # 0.3 s is the target on a quiet machine (bench/skills_check.py)
    if os.environ.get("SKILLS_PDF_OUT"):
        with open(os.environ["SKILLS_PDF_OUT"], "wb") as out:
            out.write(response.content)
