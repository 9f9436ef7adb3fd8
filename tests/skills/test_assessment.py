"""Assessment (Penilaian): the centre's assessors (PP) record each trainee's result per CU.

domain.md 4: "assessors record each trainee's result per CU (or module)". A
result is dated (not in the future, not before the intake starts) on a day
the accreditation allows assessments; a submitted or verified intake is
locked, a returned one opens again for correction.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.models import Intake, Result
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


def _url(intake):
    return f"/kemahiran/pusat/{intake.centre.code}/pengambilan/{intake.pk}/keputusan/"


def _grid(enrolments, units, outcome="competent", on=None, evidence="Amali bengkel"):
    data = {f"r-{e.pk}-{u.pk}": outcome for e in enrolments for u in units}
    data["assessed_on"] = on.isoformat() if on else ""
    data["evidence"] = evidence
    return data


def _days(sw, n):
    return sw.today + datetime.timedelta(days=n)


def test_an_assessor_records_a_whole_grid_in_one_post(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 3)
    assessor = sw.users["assessor_ab"]
    response = login(assessor).post(_url(intake), _grid(enrolments, sw.units, on=_days(sw, -1)))
    assert response.status_code == 302
    results = Result.objects.filter(enrolment__intake=intake)
    assert results.count() == 9
    assert set(results.values_list("outcome", "assessed_on", "evidence", "assessor")) == {
        ("competent", _days(sw, -1), "Amali bengkel", assessor.pk)}  # fmt: skip
    assert not results.filter(verified_at__isnull=False).exists()


def test_an_assessor_of_two_centres_assesses_at_both(skills_world, login):
    sw = skills_world
    in_a, in_b = intake_at(sw, "a"), intake_at(sw, "b", code="B1")
    ea, eb = trainees_in(in_a, 1), trainees_in(in_b, 1, start=50)
    client = login(sw.users["assessor_ab"])
    # B's accreditation expired 35 days ago: a result dated 40 days ago was made while valid.
    client.post(_url(in_a), _grid(ea, sw.units[:1], on=_days(sw, -1)))
    client.post(_url(in_b), _grid(eb, sw.units[:1], on=_days(sw, -40)))
    assert Result.objects.filter(enrolment__intake=in_a).count() == 1
    assert Result.objects.filter(enrolment__intake=in_b).count() == 1


def test_an_expired_accreditation_refuses_results_dated_after_the_expiry(skills_world, login):
    sw = skills_world
    intake = intake_at(sw, "b", code="B1")
    enrolments = trainees_in(intake, 2)
    page = (
        login(sw.users["assessor_ab"])
        .post(_url(intake), _grid(enrolments, sw.units, on=_days(sw, -1)), follow=True)
        .content.decode()
    )
    assert not Result.objects.exists()
    assert f"no assessment, The accreditation expired on {sw.accreditation_b.expires_on}" in page


def test_a_suspended_accreditation_refuses_every_result(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 1)
    sw.accreditation_a.state = "suspended"
    sw.accreditation_a.save()
    page = (
        login(sw.users["assessor_ab"])
        .post(_url(intake), _grid(enrolments, sw.units, on=_days(sw, -20)), follow=True)
        .content.decode()
    )
    assert not Result.objects.exists() and "The accreditation is suspended." in page


@pytest.mark.parametrize(("days", "why"), [(1, "in the future"), (-31, "before the intake starts")])
def test_a_result_dated_in_the_future_or_before_the_intake_is_refused(
    skills_world, login, days, why
):
    sw = skills_world
    intake = intake_at(sw, days_ago=30)
    enrolments = trainees_in(intake, 1)
    page = (
        login(sw.users["assessor_ab"])
        .post(_url(intake), _grid(enrolments, sw.units, on=_days(sw, days)), follow=True)
        .content.decode()
    )
    assert not Result.objects.exists() and why in page


@pytest.mark.parametrize("state", ["submitted", "verified"])
def test_a_submitted_or_verified_intake_is_locked(skills_world, login, state):
    sw = skills_world
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 1)
    assess_all(sw, intake, sw.users["assessor_ab"], outcome="not_yet")
    intake.state = state
    intake.save()
    client = login(sw.users["assessor_ab"])
    page = client.get(_url(intake)).content.decode()
    assert "data-locked" in page
    client.post(_url(intake), _grid(enrolments, sw.units, on=_days(sw, -1)))
    assert set(Result.objects.values_list("outcome", flat=True)) == {"not_yet"}


def test_a_returned_intake_opens_again_for_correction(skills_world, login):
    sw = skills_world
    intake = intake_at(sw, state="returned")
    enrolments = trainees_in(intake, 1)
    assess_all(sw, intake, sw.users["assessor_ab"], outcome="not_yet")
    login(sw.users["assessor_ab"]).post(
        _url(intake), _grid(enrolments, sw.units[:1], on=_days(sw, -1))
    )
    assert sorted(Result.objects.values_list("outcome", flat=True)) == [
        "competent", "not_yet", "not_yet"]  # fmt: skip


def test_an_unchanged_cell_keeps_its_assessor_and_date(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 1)
    assess_all(sw, intake, sw.users["assessor_ab"], on=_days(sw, -5))
    other = person("pp.lain", roles=[("assessor", sw.centre_a)])
    approve_personnel(other, "pp", sw.standard)
    data = _grid(enrolments, sw.units, on=_days(sw, -1))
    data[f"r-{enrolments[0].pk}-{sw.units[0].pk}"] = "not_yet"
    login(other).post(_url(intake), data)
    changed = Result.objects.get(unit=sw.units[0])
    assert (changed.outcome, changed.assessor, changed.assessed_on) == (
        "not_yet", other, _days(sw, -1))  # fmt: skip
    assert set(Result.objects.exclude(pk=changed.pk).values_list("assessor", "assessed_on")) == {
        (sw.users["assessor_ab"].pk, _days(sw, -5))}  # fmt: skip


def test_one_trainees_form_takes_a_date_and_evidence_per_unit(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    (enrolment,) = trainees_in(intake, 1)
    client = login(sw.users["assessor_ab"])
    page = client.get(_url(intake), {"trainee": enrolment.pk}).content.decode()
    assert f'name="d-{enrolment.pk}-{sw.units[0].pk}"' in page
    key = f"{enrolment.pk}-{sw.units[1].pk}"
    response = client.post(
        _url(intake),
        {"trainee": enrolment.pk, f"r-{key}": "not_yet", f"d-{key}": _days(sw, -3).isoformat(),
         f"e-{key}": "Ujian bertulis"},
    )  # fmt: skip
    assert response.status_code == 302
    result = Result.objects.get()
    assert (result.unit, result.outcome, result.assessed_on, result.evidence) == (
        sw.units[1], "not_yet", _days(sw, -3), "Ujian bertulis")  # fmt: skip


def test_a_modular_accreditation_assesses_only_its_chosen_units(skills_world, login):
    sw = skills_world
    sw.accreditation_a.mode = "modular"
    sw.accreditation_a.save()
    sw.accreditation_a.units.set(sw.units[:2])
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 1)
    client = login(sw.users["assessor_ab"])
    page = client.get(_url(intake)).content.decode()
    assert f"r-{enrolments[0].pk}-{sw.units[2].pk}" not in page
    client.post(_url(intake), _grid(enrolments, sw.units, on=_days(sw, -1)))
    assert set(Result.objects.values_list("unit", flat=True)) == {u.pk for u in sw.units[:2]}


def test_the_results_grid_takes_the_same_queries_for_3_or_30_trainees(skills_world, login):
    sw = skills_world
    client = login(sw.users["assessor_ab"])
    counts = []
    for code, n in (("S", 3), ("L", 30)):
        intake = intake_at(sw, code=code)
        trainees_in(intake, n, start=len(counts) * 100 + 1)
        assess_all(sw, intake, sw.users["assessor_ab"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(intake)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 12, counts


# -- submitting the intake ---------------------------------------------------------------


def _submit(client, intake, **data):
    url = f"/kemahiran/pusat/{intake.centre.code}/pengambilan/{intake.pk}/hantar/"
    return client.post(url, data)


def test_an_incomplete_intake_is_submitted_only_with_a_confirmation_naming_what_is_missing(
    skills_world, login
):
    sw = skills_world
    intake = intake_at(sw)
    enrolments = trainees_in(intake, 2)
    for unit in sw.units:
        Result.objects.create(enrolment=enrolments[0], unit=unit, outcome="competent",
                              assessed_on=sw.today, assessor=sw.users["assessor_ab"])  # fmt: skip
    client = login(sw.users["centre_admin_a"])
    response = _submit(client, intake)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-missing="1"' in page
    assert "Pelatih 002" in page and sw.units[2].code in page
    intake.refresh_from_db()
    assert intake.state == "open"
    assert _submit(client, intake, confirm="1").status_code == 302
    intake.refresh_from_db()
    assert intake.state == "submitted"


def test_a_complete_intake_is_submitted_at_once_and_an_empty_one_not_at_all(skills_world, login):
    sw = skills_world
    full, empty = intake_at(sw, code="F"), intake_at(sw, code="E")
    trainees_in(full, 2)
    assess_all(sw, full, sw.users["assessor_ab"])
    client = login(sw.users["centre_admin_a"])
    _submit(client, full)
    _submit(client, empty, confirm="1")
    assert dict(Intake.objects.values_list("code", "state")) == {"F": "submitted", "E": "open"}
