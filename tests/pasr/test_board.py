"""The examinations board (LP): the pasr_window command, the board's page, instrument documents.

Seed 3.4: registration "1 Mac hingga 31 Mac tahun pentaksiran"; 4.1: "Lembaga
Peperiksaan (LP) menyediakan Instrumen ProKhas 1 dan Instrumen ProKhas 2 yang
boleh dimuat turun oleh sekolah mengikut tarikh yang ditetapkan"; 4.2: eight
and four weeks; 6.10: "Verifikasi instrumen adalah proses menentusahkan
instrumen yang telah dimuat turun oleh Guru Besar."
"""

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from pasr.models import AssessmentYear, InstrumentCheck, InstrumentRelease, WindowChange
from tests.factories import exam_secretary_of, head_of, person
from tests.pasr.registration_helpers import Y, pasr_world

__all__ = ["pasr_world"]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def run(*args):
    out = io.StringIO()
    call_command("pasr_window", *[str(a) for a in args], stdout=out)
    return out.getvalue()


# --- the command ---


@pytest.mark.django_db
def test_the_command_with_only_a_year_sets_1_to_31_march():
    out = run(Y)
    year = AssessmentYear.objects.get(year=Y)
    assert (year.registration_opens, year.registration_closes) == (
        datetime.date(Y, 3, 1), datetime.date(Y, 3, 31)
    )  # fmt: skip
    change = WindowChange.objects.get()
    assert (change.window, change.source, change.by) == (
        "registration",
        "command:pasr_window",
        None,
    )
    assert f"PASR {Y} registration window: {Y}-03-01 to {Y}-03-31" in out


@pytest.mark.django_db
def test_the_command_reopens_registration_and_keeps_both_changes():
    run(Y)
    out = run(Y, "--from", f"{Y}-04-01", "--to", f"{Y}-04-15", "--reason", "Banjir di Kelantan")
    year = AssessmentYear.objects.get(year=Y)
    assert (year.registration_opens, year.registration_closes) == (
        datetime.date(Y, 4, 1), datetime.date(Y, 4, 15)
    )  # fmt: skip
    assert f"(was {Y}-03-01 to {Y}-03-31)" in out
    latest, first = WindowChange.objects.all()
    assert latest.reason == "Banjir di Kelantan" and first.reason == ""
    assert (latest.opens_on, first.opens_on) == (datetime.date(Y, 4, 1), datetime.date(Y, 3, 1))


@pytest.mark.django_db
def test_the_command_sets_prokhas_windows_of_8_and_4_weeks():
    run(Y, "--window", "prokhas1", "--from", f"{Y}-04-05", "--to", f"{Y}-05-30")
    run(Y, "--window", "prokhas2", "--from", f"{Y}-07-05", "--to", f"{Y}-08-01")
    year = AssessmentYear.objects.get(year=Y)
    assert year.prokhas1_closes == datetime.date(Y, 5, 30)
    assert year.prokhas2_opens == datetime.date(Y, 7, 5)
    # Registration kept its default, nothing recorded for it.
    assert year.registration_opens == datetime.date(Y, 3, 1)
    assert list(WindowChange.objects.values_list("window", flat=True)) == ["prokhas2", "prokhas1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", f"{Y}-03-31", "--to", f"{Y}-03-01"], "close on or after"),
        (["--from", f"{Y - 1}-12-01", "--to", f"{Y}-03-31"], f"held within {Y}"),
        (["--from", f"{Y}-03-01"], "both --from and --to"),
        (["--from", "1-3-2027", "--to", f"{Y}-03-31"], "YYYY-MM-DD"),
        (["--from", f"{Y}-02-30", "--to", f"{Y}-03-31"], "YYYY-MM-DD"),
        (["--window", "prokhas1"], "no default"),
        (["--window", "prokhas1", "--from", f"{Y}-04-05", "--to", f"{Y}-05-05"], "8 weeks"),
        (["--window", "prokhas2", "--from", f"{Y}-12-20", "--to", f"{Y + 1}-01-16"],
         "assessment year itself"),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_the_command_refuses_wrong_dates_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(Y, *args)
    assert not WindowChange.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_year_out_of_range():
    with pytest.raises(CommandError, match="between 2000 and 2100"):
        run(1999)
    assert not AssessmentYear.objects.exists()


# --- the board's page ---


def board_url(path=""):
    return f"/pasr/lp/{path}?year={Y}"


def test_the_board_sets_a_window_with_a_reason_shown_in_the_history(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    response = client.post(
        board_url("tetingkap/"),
        {
            "window": "prokhas1",
            "opens": f"{Y}-04-05",
            "closes": f"{Y}-05-30",
            "reason": "Jadual LP",
        },
    )
    assert response.status_code == 302
    change = WindowChange.objects.get()
    assert (change.window, change.by, change.reason, change.source) == (
        "prokhas1", w.users["lp_officer"], "Jadual LP", "page"
    )  # fmt: skip
    page = client.get(board_url()).content.decode()
    assert 'data-change="prokhas1"' in page and "Jadual LP" in page
    assert 'href="/pasr/lp/"' in page  # the board's page is in the menu
    # The school's page shows the published window.
    client.force_login(w.users["head_a"])
    school = client.get(f"/pasr/sekolah/{w.a.code}/?year={Y}").content.decode()
    assert "5 April" in school or "5 Apr" in school


def test_a_wrong_window_on_the_page_is_named_and_nothing_saved(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    response = client.post(
        board_url("tetingkap/"),
        {"window": "prokhas2", "opens": f"{Y}-07-05", "closes": f"{Y}-07-20", "reason": "x"},
    )
    assert response.status_code == 200
    assert "4 weeks" in response.content.decode()
    assert not WindowChange.objects.exists() and not AssessmentYear.objects.exists()


def test_the_board_sets_the_day_results_are_due(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    client.post(board_url("tetingkap/"), {"window": "prokhas1", "opens": f"{Y}-04-05",
                                          "closes": f"{Y}-05-30", "reason": "Jadual"})  # fmt: skip
    early = client.post(board_url("tarikh-keputusan/"), {"due": f"{Y}-05-01", "reason": "x"})
    assert early.status_code == 200 and AssessmentYear.objects.get().results_due is None
    client.post(board_url("tarikh-keputusan/"), {"due": f"{Y}-10-30", "reason": "Jadual"})
    assert AssessmentYear.objects.get().results_due == datetime.date(Y, 10, 30)
    assert WindowChange.objects.filter(window="results").count() == 1


def test_only_the_national_board_sets_windows(pasr_world, client):
    w = pasr_world
    perak = person("lp.perak", roles=[("lp_officer", w.s2)])
    data = {"window": "registration", "opens": f"{Y}-04-01", "closes": f"{Y}-04-15", "reason": "x"}
    for user in (perak, w.users["officer_s1"], w.users["exam_sec_a"], w.users["head_a"]):
        client.force_login(user)
        assert client.post(board_url("tetingkap/"), data).status_code == 403
    assert not WindowChange.objects.exists()


# --- instrument documents ---


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def publish(client, content=PDF, name="prokhas1.pdf", instrument="prokhas1"):
    return client.post(
        board_url("instrumen/"),
        {"instrument": instrument, "title": "Instrumen ProKhas 1",
         "document": SimpleUploadedFile(name, content, "application/pdf")},
    )  # fmt: skip


def test_the_board_publishes_a_pdf_with_its_sha256(pasr_world, client, media):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    assert publish(client).status_code == 302
    release = InstrumentRelease.objects.get()
    assert release.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (release.instrument, release.published_by) == ("prokhas1", w.users["lp_officer"])
    assert release.document.read() == PDF
    assert (media / release.document.name).is_file()
    assert release.document.name.startswith(f"pasr/{Y}/prokhas1/")


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"MZ\x90\x00 not a pdf", "prokhas1.pdf"), (b"", "kosong.pdf"),
     (b"<html>%PDF-</html>", "p.pdf")],
)  # fmt: skip
def test_only_a_pdf_is_published(pasr_world, client, media, content, name):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    response = publish(client, content, name)
    assert response.status_code == 200
    assert not InstrumentRelease.objects.exists()


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(
    pasr_world, client, media, monkeypatch
):
    w = pasr_world
    monkeypatch.setattr("pasr.registration_forms.MAX_INSTRUMENT", 100)
    client.force_login(w.users["lp_officer"])
    response = publish(client, PDF + b"0" * 200)
    assert response.status_code == 200 and "larger than" in response.content.decode()
    assert not InstrumentRelease.objects.exists()


def test_media_is_not_served(pasr_world, client, media):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    publish(client)
    release = InstrumentRelease.objects.get()
    client.force_login(w.users["head_a"])
    assert client.get(f"/media/{release.document.name}").status_code == 404


def download(client, w, release, school=None):
    return client.post(f"/pasr/sekolah/{(school or w.a).code}/instrumen/{release.pk}/muat-turun/")


def verify(client, w, release, note=""):
    return client.post(f"/pasr/sekolah/{w.a.code}/instrumen/{release.pk}/sahkan/", {"note": note})


def test_the_head_verifies_the_downloaded_instrument(pasr_world, client, media):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    publish(client)
    release = InstrumentRelease.objects.get()
    client.force_login(w.users["head_a"])
    # Not downloaded yet: nothing to verify.
    verify(client, w, release)
    assert not InstrumentCheck.objects.filter(verified_at__isnull=False).exists()
    client.force_login(w.users["exam_sec_a"])
    response = download(client, w, release)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    check = InstrumentCheck.objects.get()
    assert check.downloaded_by == w.users["exam_sec_a"] and check.verified_at is None
    # The exam secretary may not verify; the head does.
    assert verify(client, w, release).status_code == 403
    client.force_login(w.users["head_a"])
    assert verify(client, w, release, "Lengkap 24 halaman").status_code == 302
    check.refresh_from_db()
    assert check.verified_by == w.users["head_a"] and check.note == "Lengkap 24 halaman"
    page = client.get(f"/pasr/sekolah/{w.a.code}/?year={Y}").content.decode()
    assert 'data-verified="yes"' in page and 'data-verified-by="guru.besar"' in page
    # Reading the page recorded nothing.
    assert InstrumentCheck.objects.count() == 1


def test_a_school_that_does_not_run_pasr_cannot_download(pasr_world, client, media):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    publish(client)
    release = InstrumentRelease.objects.get()
    client.force_login(exam_secretary_of(w.b))
    response = download(client, w, release, school=w.b)
    assert response.status_code == 302
    assert not InstrumentCheck.objects.exists()
    client.force_login(head_of(w.b))
    assert verify(client, w, release).status_code == 404


def test_a_download_is_a_post_a_get_changes_nothing(pasr_world, client, media):
    w = pasr_world
    client.force_login(w.users["lp_officer"])
    publish(client)
    release = InstrumentRelease.objects.get()
    client.force_login(w.users["exam_sec_a"])
    assert (
        client.get(f"/pasr/sekolah/{w.a.code}/instrumen/{release.pk}/muat-turun/").status_code
        == 405
    )
    assert not InstrumentCheck.objects.exists()
