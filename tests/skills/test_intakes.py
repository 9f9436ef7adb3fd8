"""Intakes (Pendaftaran): opening one, enrolling trainees one by one and from a file.

domain.md 4: "Registration (Pendaftaran): trainees enrolled into an accredited
programme intake"; an intake is refused while the accreditation blocks it
(expired, suspended, revoked, not approved), and the page says why and since when.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from skills.models import AccreditationEvent, Enrolment, Intake, Trainee
from skills.services import intakes as services
from tests.skills.training_factories import intake_at, trainees_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login):
    """Log in, reading the pages in English (the messages are checked word for word)."""

    def _login(user):
        client = login(user)
        client.cookies["ssqs_language"] = "en"
        return client

    return _login


def _new(sw, **overrides):
    data = {
        "accreditation": sw.accreditation_a.pk,
        "code": "2026/02",
        "starts_on": sw.today.isoformat(),
        "ends_on": (sw.today + datetime.timedelta(days=90)).isoformat(),
    }
    return {**data, **overrides}


def test_the_centre_administrator_opens_an_intake(skills_world, login):
    sw = skills_world
    response = login(sw.users["centre_admin_a"]).post(
        f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/baru/", _new(sw)
    )
    intake = Intake.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/"
    assert (intake.centre, intake.accreditation, intake.code, intake.state) == (
        sw.centre_a, sw.accreditation_a, "2026/02", "open")  # fmt: skip
    assert intake.created_by == sw.users["centre_admin_a"]


def test_an_expired_accreditation_refuses_a_new_intake_and_says_since_when(skills_world, login):
    sw = skills_world
    client = login(sw.users["centre_admin_b"])
    url = f"/kemahiran/pusat/{sw.centre_b.code}/pengambilan/baru/"
    expired = sw.accreditation_b.expires_on
    page = client.get(url).content.decode()
    assert f"expired on {expired.isoformat()}" in page
    since = (expired + datetime.timedelta(days=1)).strftime("%-d %B %Y")
    assert f"Since {since}" in page and 'data-refused="intake-new"' in page
    response = client.post(url, _new(sw, accreditation=sw.accreditation_b.pk), follow=True)
    assert not Intake.objects.exists()
    assert f"No new intake: The accreditation expired on {expired.isoformat()}" in (
        response.content.decode()
    )


def test_a_suspended_accreditation_refuses_a_new_intake_with_its_reason(skills_world, login):
    sw = skills_world
    a = sw.accreditation_a
    a.state, a.reason = "suspended", "Bengkel tidak selamat"
    a.save()
    when = timezone.now() - datetime.timedelta(days=3)
    AccreditationEvent.objects.create(
        accreditation=a, act="suspend", reason=a.reason, by=sw.users["cert_officer"], at=when
    )
    client = login(sw.users["centre_admin_a"])
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/baru/"
    page = client.get(url).content.decode()
    assert "The accreditation is suspended." in page and "Bengkel tidak selamat" in page
    assert f"Since {timezone.localtime(when).date().strftime('%-d %B %Y')}" in page
    response = client.post(url, _new(sw), follow=True)
    assert not Intake.objects.exists()
    assert "No new intake: The accreditation is suspended." in response.content.decode()


@pytest.mark.parametrize(
    ("state", "valid_from_days", "expires_days", "refused"),
    [
        ("approved", -10, 10, False),
        ("approved", -10, 0, False),  # the last valid day
        ("approved", -10, -1, True),  # expired yesterday
        ("approved", 5, 100, True),  # valid only from next week
        ("applied", None, None, True),  # not approved
        ("refused", None, None, True),
        ("suspended", -10, 10, True),
        ("revoked", -10, 10, True),
    ],
)
def test_only_an_accreditation_valid_today_opens_intakes(
    skills_world, state, valid_from_days, expires_days, refused
):
    sw = skills_world
    a = sw.accreditation_a
    a.state = state
    day = lambda n: None if n is None else sw.today + datetime.timedelta(days=n)  # noqa: E731
    a.valid_from, a.expires_on = day(valid_from_days), day(expires_days)
    a.save()
    call = lambda: services.intake_open(  # noqa: E731
        centre=sw.centre_a, accreditation=a, code="X1", starts_on=sw.today,
        ends_on=sw.today + datetime.timedelta(days=30), by=sw.users["centre_admin_a"],
        today=sw.today,
    )  # fmt: skip
    if refused:
        with pytest.raises(ValidationError, match="No new intake"):
            call()
        assert not Intake.objects.exists()
    else:
        assert call().code == "X1"


def test_an_intake_starting_after_the_expiry_is_refused(skills_world):
    sw = skills_world
    start = sw.accreditation_a.expires_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="expired"):
        services.intake_open(
            centre=sw.centre_a, accreditation=sw.accreditation_a, code="LATE", starts_on=start,
            ends_on=start + datetime.timedelta(days=10), by=None, today=sw.today,
        )  # fmt: skip


def test_another_centres_accreditation_an_end_before_the_start_and_a_repeated_code(
    skills_world, login
):
    sw = skills_world
    client = login(sw.users["centre_admin_a"])
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/baru/"
    client.post(url, _new(sw, accreditation=sw.accreditation_b.pk))
    client.post(url, _new(sw, ends_on=(sw.today - datetime.timedelta(days=1)).isoformat()))
    assert not Intake.objects.exists()
    client.post(url, _new(sw))
    client.post(url, _new(sw))
    assert Intake.objects.count() == 1


# -- trainees, one at a time ---------------------------------------------------------


def _enrol(client, intake, id_number, name, email=""):
    url = f"/kemahiran/pusat/{intake.centre.code}/pengambilan/{intake.pk}/pelatih/"
    return client.post(url, {"id_number": id_number, "name": name, "email": email}, follow=True)


def test_a_person_is_one_trainee_across_centres_and_keeps_the_registered_name(skills_world, login):
    sw = skills_world
    in_a, in_b = intake_at(sw, "a"), intake_at(sw, "b", code="2025/09")
    _enrol(login(sw.users["centre_admin_a"]), in_a, "020202-10-2222", "Siti binti Ahmad")
    trainee = Trainee.objects.get(id_number="020202102222")
    response = _enrol(login(sw.users["centre_admin_b"]), in_b, "020202102222", "Siti Ahmad")
    assert Trainee.objects.filter(id_number="020202102222").count() == 1
    assert set(Enrolment.objects.filter(trainee=trainee).values_list("intake", flat=True)) == {
        in_a.pk, in_b.pk}  # fmt: skip
    trainee.refresh_from_db()
    assert trainee.name == "Siti binti Ahmad"
    page = response.content.decode()
    assert "already registered as Siti binti Ahmad" in page and "not Siti Ahmad" in page


def test_a_person_is_enrolled_once_per_intake(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    client = login(sw.users["centre_admin_a"])
    _enrol(client, intake, "020202102222", "Siti")
    _enrol(client, intake, "020202-10-2222", "Siti")
    assert Enrolment.objects.filter(intake=intake).count() == 1


@pytest.mark.parametrize(
    "typed", ["02020210222", "0202021022223", "abcdefghijkl", "02020210222\x00"]
)
def test_a_wrong_identity_number_enrols_nobody(skills_world, login, typed):
    sw = skills_world
    intake = intake_at(sw)
    response = _enrol(login(sw.users["centre_admin_a"]), intake, typed, "Siti")
    assert response.status_code == 200
    assert not Enrolment.objects.exists() and Trainee.objects.count() == 1  # sw.trainee only


def test_a_submitted_intake_takes_no_new_trainee(skills_world, login):
    sw = skills_world
    intake = intake_at(sw, state="submitted")
    _enrol(login(sw.users["centre_admin_a"]), intake, "020202102222", "Siti")
    assert not Enrolment.objects.exists()


# -- trainees from a file --------------------------------------------------------------


def _upload(client, intake, content: bytes, name="senarai.csv"):
    url = f"/kemahiran/pusat/{intake.centre.code}/pengambilan/{intake.pk}/muat-naik/"
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


GOOD = (
    "id_number,name,email\n"
    "010101-10-1001,Ahmad bin Ali,ahmad@example.com\n"
    "010101101002,Bala a/l Muthu,\n"
    "990101105555,Ali Abu,\n"  # sw.trainee, registered as "Ali bin Abu"
)


def test_an_import_with_one_bad_row_enrols_nobody_and_names_the_row(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    bad = GOOD + "0101011010,Chong,\n,Tiada Nombor,\n010101101001,Ahmad lagi,x@\n"
    page = _upload(login(sw.users["centre_admin_a"]), intake, bad.encode()).content.decode()
    assert not Enrolment.objects.exists() and Trainee.objects.count() == 1
    assert 'data-import-errors="3"' in page
    assert "row 5, id_number" in page and "Excel drops leading zeros" in page
    assert "row 6, id_number" in page
    assert "row 7, email" in page


def test_an_import_enrols_every_row_and_reuses_known_people(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    client = login(sw.users["centre_admin_a"])
    page = _upload(client, intake, GOOD.encode()).content.decode()
    assert Enrolment.objects.filter(intake=intake).count() == 3
    assert Trainee.objects.count() == 3  # two new, Ali re-used
    sw.trainee.refresh_from_db()
    assert sw.trainee.name == "Ali bin Abu"
    assert "registered as Ali bin Abu" in page
    assert Trainee.objects.get(id_number="010101101001").email == "ahmad@example.com"
    # The same list again: counted as already enrolled, nobody twice.
    page = _upload(client, intake, GOOD.encode()).content.decode()
    assert Enrolment.objects.filter(intake=intake).count() == 3
    assert "0 trainees" in page and "3 already in the intake" in page


def test_an_excel_list_is_read_too(skills_world, login):
    from openpyxl import Workbook

    sw = skills_world
    intake = intake_at(sw)
    book = Workbook()
    sheet = book.active
    sheet.append(["NO_KP", "NAMA", "EMEL"])
    sheet.append(["010101-10-1001", "Ahmad bin Ali", ""])
    sheet.append([10101101002, "Bala", None])  # a number: Excel dropped the leading zero
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(login(sw.users["centre_admin_a"]), intake, buffer.getvalue(), "senarai.xlsx")
    assert not Enrolment.objects.exists()  # the second row's number is refused
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(login(sw.users["centre_admin_a"]), intake, buffer.getvalue(), "senarai.xlsx")
    assert list(Enrolment.objects.values_list("trainee__name", flat=True)) == ["Ahmad bin Ali"]


def test_a_file_too_big_is_refused_before_it_is_read(skills_world, login, monkeypatch):
    sw = skills_world
    intake = intake_at(sw)

    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr("skills.importing.parse_trainees", never)
    content = GOOD.encode() + b"x" * (1024 * 1024)
    response = _upload(login(sw.users["centre_admin_a"]), intake, content)
    assert response.status_code == 200 and not Enrolment.objects.exists()


def test_an_excel_file_unpacking_too_big_is_refused(skills_world, login):
    import zipfile

    sw = skills_world
    intake = intake_at(sw)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * 6_000_000)
    page = _upload(
        login(sw.users["centre_admin_a"]), intake, buffer.getvalue(), "bom.xlsx"
    ).content.decode()
    assert "a trainee list unpacks to at most 5 MB" in page and not Enrolment.objects.exists()


# -- the intake page ---------------------------------------------------------------------


def test_identity_numbers_are_shown_in_full_only_to_the_centre_administrator(skills_world, login):
    sw = skills_world
    intake = intake_at(sw)
    trainees_in(intake, 1)
    url = f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/"
    admin_page = login(sw.users["centre_admin_a"]).get(url).content.decode()
    assert "000101-10-0001" in admin_page
    for persona in ("assessor_ab", "cert_officer", "verifier"):
        page = login(sw.users[persona]).get(url).content.decode()
        assert "******-**-0001" in page, persona
        assert "000101100001" not in page and "000101-10-0001" not in page, persona


def test_the_intake_page_takes_the_same_queries_for_3_or_30_trainees(
    skills_world, login, django_assert_max_num_queries
):
    from tests.skills.training_factories import assess_all

    sw = skills_world
    small, large = intake_at(sw, code="S"), intake_at(sw, code="L")
    trainees_in(small, 3)
    trainees_in(large, 30, start=100)
    for intake in (small, large):
        assess_all(sw, intake, sw.users["assessor_ab"])
    client = login(sw.users["centre_admin_a"])
    counts = []
    for intake in (small, large):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{intake.pk}/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(14):  # 14: whether it is a PPT application's intake
        client.get(f"/kemahiran/pusat/{sw.centre_a.code}/pengambilan/{large.pk}/")
