"""Verification (Verifikasi): the body assigns an external verifier (PPL), who verifies.

domain.md 4: "an external verifier (PPL) is assigned and verifies before
certification". Only the assigned verifier verifies; every trainee or a
sample; approving verifies the results, returning reopens the intake with
comments the centre reads; nobody verifies an intake in which they assessed.
"""

import pytest

from skills.models import Intake, Result, Verification
from tests.factories import person
from tests.skills.training_factories import approve_personnel, assess_all, intake_at, trainees_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login):
    def _login(user):
        client = login(user)
        client.cookies["ssqs_language"] = "en"
        return client

    return _login


@pytest.fixture
def submitted(skills_world):
    """Centre A's intake of 3 trainees, every CU assessed, submitted, assigned to the PPL."""
    sw = skills_world
    intake = intake_at(sw, state="submitted", verifier=sw.users["verifier"])
    sw.enrolments = trainees_in(intake, 3)
    assess_all(sw, intake, sw.users["assessor_ab"])
    return intake


def _verify(client, intake, **data):
    return client.post(f"/kemahiran/verifikasi/{intake.pk}/", data, follow=True)


def test_the_body_assigns_a_verifier(skills_world, login):
    sw = skills_world
    intake = intake_at(sw, state="submitted")
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/ppl/"
    response = login(sw.users["cert_officer"]).post(url, {"verifier": sw.users["verifier"].pk})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.verifier == sw.users["verifier"]


def test_only_a_person_holding_the_verifier_role_is_assigned(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/ppl/"
    login(sw.users["cert_officer"]).post(url, {"verifier": sw.users["assessor_ab"].pk})
    intake.refresh_from_db()
    assert intake.verifier is None


def test_a_verifier_who_assessed_in_the_intake_is_not_assigned(skills_world, login):
    sw = skills_world
    both = person("pp.ppl", roles=[("verifier", "JPK"), ("assessor", sw.centre_a)])
    approve_personnel(both, "ppl", sw.standard)
    intake = intake_at(sw)
    trainees_in(intake, 1)
    assess_all(sw, intake, both)
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/ppl/"
    page = login(sw.users["cert_officer"]).post(url, {"verifier": both.pk}).content.decode()
    intake.refresh_from_db()
    assert intake.verifier is None and "may not verify it" in page


def test_the_verifier_sees_only_the_intakes_assigned_to_them(skills_world, submitted, login):
    sw = skills_world
    other = intake_at(sw, code="LAIN", state="submitted")
    page = login(sw.users["verifier"]).get("/kemahiran/verifikasi/").content.decode()
    assert f'data-intake="{submitted.code}"' in page and 'data-intake="LAIN"' not in page
    assert login(sw.users["verifier"]).get(f"/kemahiran/verifikasi/{other.pk}/").status_code == 404
    second = person("ppl.dua", roles=[("verifier", "JPK")])
    client = login(second)
    assert client.get(f"/kemahiran/verifikasi/{submitted.pk}/").status_code == 404
    _verify(client, submitted, scope="all", decision="approved")
    assert not Verification.objects.exists()


def test_approving_the_whole_intake_verifies_every_result(skills_world, submitted, login):
    sw = skills_world
    response = _verify(
        login(sw.users["verifier"]), submitted, scope="all", findings="Bukti lengkap",
        decision="approved",
    )  # fmt: skip
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.state == "verified"
    verification = Verification.objects.get()
    assert (verification.verifier, verification.whole_intake, verification.decision) == (
        sw.users["verifier"], True, "approved")  # fmt: skip
    assert verification.findings == "Bukti lengkap"
    assert set(verification.sample.all()) == set(sw.enrolments)
    assert not Result.objects.filter(verified_at__isnull=True).exists()


def test_the_verifier_checks_a_sample_they_pick(skills_world, submitted, login):
    sw = skills_world
    picked = sw.enrolments[1]
    _verify(login(sw.users["verifier"]), submitted, scope="sample", sample=[picked.pk],
            decision="approved")  # fmt: skip
    verification = Verification.objects.get()
    assert not verification.whole_intake
    assert list(verification.sample.all()) == [picked]
    submitted.refresh_from_db()
    assert submitted.state == "verified"


def test_a_sample_naming_another_intakes_trainee_or_nobody_is_refused(
    skills_world, submitted, login
):
    sw = skills_world
    stranger = trainees_in(intake_at(sw, code="LAIN"), 1, start=90)[0]
    client = login(sw.users["verifier"])
    _verify(client, submitted, scope="sample", sample=[stranger.pk], decision="approved")
    _verify(client, submitted, scope="sample", decision="approved")
    assert not Verification.objects.exists()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_returning_needs_comments_and_reopens_the_intake_for_the_centre(
    skills_world, submitted, login
):
    sw = skills_world
    client = login(sw.users["verifier"])
    _verify(client, submitted, scope="all", decision="returned")
    assert not Verification.objects.exists()
    _verify(client, submitted, scope="all", findings="CU3 tiada bukti", decision="returned",
            comments="Lampirkan bukti amali CU3")  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.state == "returned"
    assert Verification.objects.get().decision == "returned"
    assert not Result.objects.filter(verified_at__isnull=False).exists()
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{submitted.pk}/"
    page = login(sw.users["centre_admin_a"]).get(url).content.decode()
    assert "data-returned-comments" in page and "Lampirkan bukti amali CU3" in page
    # The assessor corrects, the centre submits again, the verifier approves.
    enrolment, unit = sw.enrolments[0], sw.units[2]
    login(sw.users["assessor_ab"]).post(
        f"{url}keputusan/",
        {f"r-{enrolment.pk}-{unit.pk}": "not_yet", "assessed_on": sw.today.isoformat()},
    )
    assert Result.objects.get(enrolment=enrolment, unit=unit).outcome == "not_yet"
    login(sw.users["centre_admin_a"]).post(f"{url}hantar/")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    _verify(login(sw.users["verifier"]), submitted, scope="all", decision="approved")
    submitted.refresh_from_db()
    assert submitted.state == "verified" and Verification.objects.count() == 2


def test_an_assessor_may_not_verify_their_own_intakes_results(skills_world, login):
    sw = skills_world
    both = person("pp.ppl", roles=[("verifier", "JPK"), ("assessor", sw.centre_a)])
    approve_personnel(both, "ppl", sw.standard)
    intake = intake_at(sw, state="submitted", verifier=both)
    trainees_in(intake, 1)
    assess_all(sw, intake, both)
    client = login(both)
    assert (
        'data-refused="own-results"'
        in client.get(f"/kemahiran/verifikasi/{intake.pk}/").content.decode()
    )
    _verify(client, intake, scope="all", decision="approved")
    intake.refresh_from_db()
    assert intake.state == "submitted" and not Verification.objects.exists()
    assert not Result.objects.filter(verified_at__isnull=False).exists()


@pytest.mark.parametrize("state", ["open", "returned", "verified"])
def test_only_a_submitted_intake_is_verified(skills_world, login, state):
    sw = skills_world
    intake = intake_at(sw, state=state, verifier=sw.users["verifier"])
    trainees_in(intake, 1)
    _verify(login(sw.users["verifier"]), intake, scope="all", decision="approved")
    assert Intake.objects.get().state == state and not Verification.objects.exists()


def test_the_trainee_sees_their_results_verified_or_not(skills_world, login):
    from skills.models import Enrolment

    sw = skills_world
    verified = intake_at(sw, code="V", state="verified")
    pending = intake_at(sw, code="P")
    for intake in (verified, pending):
        Enrolment.objects.create(intake=intake, trainee=sw.trainee)
    assess_all(sw, verified, sw.users["assessor_ab"])
    Result.objects.update(verified_at="2026-01-01T00:00Z")
    Result.objects.create(enrolment=pending.enrolments.get(), unit=sw.units[0],
                          outcome="not_yet", assessed_on=sw.today,
                          assessor=sw.users["assessor_ab"])  # fmt: skip
    page = login(sw.users["trainee"]).get("/kemahiran/saya/").content.decode()
    assert page.count('data-verified="1"') == 3
    assert page.count('data-outcome="not_yet" data-verified="0"') == 1
    assert "******-**-5555" in page and "990101105555" not in page
    assert 'id="my-certificates"' in page
    # Someone else's account has no trainee page.
    assert login(sw.users["assessor_ab"]).get("/kemahiran/saya/").status_code == 404
