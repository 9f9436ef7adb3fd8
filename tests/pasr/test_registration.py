"""Registering PASR candidates: the exam secretary's form, the bulk import, the board's override.

Seed 002, 3.1-3.5 (see test_registration_rules.py for the rules themselves):
a refusal names every failed rule and saves nothing; an identity number is
registered once a year in the nation; the board (LP) may override the
overridable rules with a written reason, shown on the school's list.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from pasr import rules
from pasr.models import Candidate, OverrideRequest, SchoolYear, Transfer
from tests.factories import exam_secretary_of, person
from tests.pasr.registration_helpers import APRIL_10, Y, form_data, pasr_world, set_today

__all__ = ["pasr_world"]


def register_url(w, school=None):
    return f"/pasr/sekolah/{(school or w.a).code}/daftar/?year={Y}"


def rules_shown(response) -> list[str]:
    return re.findall(r'<li data-rule="([a-z_]+)"', response.content.decode())


def post_as(client, user, url, data, **kwargs):
    client.force_login(user)
    return client.post(url, data, **kwargs)


# --- the form ---


def test_the_exam_secretary_registers_an_eligible_candidate(pasr_world, client):
    w = pasr_world
    response = post_as(client, w.users["exam_sec_a"], register_url(w), form_data())
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.year, candidate.school, candidate.id_number) == (Y, w.a, "140315101234")
    assert (candidate.tahap, candidate.final_year, candidate.mainstream_exam) == (2, True, False)
    assert candidate.registered_by == w.users["exam_sec_a"]
    assert candidate.status == rules.REGISTERED and candidate.overridden_rules == []
    assert SchoolYear.objects.get(school=w.a, year=Y).candidates == 1
    assert w.announced == [(w.a.id, Y)]


def test_a_refusal_names_every_failed_rule_and_saves_nothing(pasr_world, client):
    w = pasr_world
    data = form_data(tahap="1", medical="none", mainstream_exam="yes")
    response = post_as(client, w.users["exam_sec_a"], register_url(w), data)
    assert response.status_code == 200
    assert rules_shown(response) == [rules.TAHAP, rules.MEDICAL, rules.EXCLUSIVE]
    assert escape(str(rules.MESSAGES[rules.MEDICAL])) in response.content.decode()
    assert not Candidate.objects.exists() and w.announced == []


def test_the_age_refusal_says_the_age_and_the_earliest_date_of_birth(pasr_world, client):
    w = pasr_world
    data = form_data(date_of_birth=f"{Y - 15}-01-01")
    response = post_as(client, w.users["exam_sec_a"], register_url(w), data)
    assert rules_shown(response) == [rules.AGE]
    text = response.content.decode()
    assert f"{Y - 15}-01-02" in text and "this candidate is 15" in text
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "2026-02-30"),
        ("date_of_birth", "9999-12-31"),
        ("id_number", "14031510123"),
        ("id_number", "١٤٠٣١٥١٠١٢٣٤"),
        ("programme", "pkki"),
        ("tahap", "3"),
        ("kh_component", "menjahit"),
        ("final_year", "mungkin"),
        ("name", "Ali\x00"),
        ("name", ""),
        ("name", "x" * 151),
    ],
)
def test_a_wrong_field_is_a_field_error_never_a_refusal_or_a_500(pasr_world, client, field, value):
    w = pasr_world
    response = post_as(client, w.users["exam_sec_a"], register_url(w), form_data(**{field: value}))
    assert response.status_code == 200
    assert rules_shown(response) == []
    assert f'id="error_1_id_{field}"' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    assert not Candidate.objects.exists()


def test_a_number_registered_at_another_school_is_refused_without_naming_it(pasr_world, client):
    w = pasr_world
    w.b.has_ppki = True
    w.b.save(update_fields=["has_ppki"])
    post_as(client, exam_secretary_of(w.b), register_url(w, w.b), form_data())
    assert Candidate.objects.get().school == w.b
    response = post_as(client, w.users["exam_sec_a"], register_url(w), form_data())
    assert rules_shown(response) == [rules.DUPLICATE]
    text = response.content.decode()
    assert "elsewhere in the nation" in text and w.b.name not in text
    assert Candidate.objects.count() == 1
    # Not overridable: the page offers no request to the board.
    assert 'data-form="pasr-override-ask"' not in text


def test_a_number_registered_at_the_same_school_says_so(pasr_world, client):
    w = pasr_world
    post_as(client, w.users["exam_sec_a"], register_url(w), form_data())
    response = post_as(client, w.users["exam_sec_a"], register_url(w), form_data(name="Lain"))
    assert rules_shown(response) == [rules.DUPLICATE]
    assert f"at this school ({w.a.name})" in response.content.decode()


def test_two_registrations_at_once_the_database_refuses_the_second_as_a_duplicate(
    pasr_world, client, monkeypatch
):
    """The check saw no candidate (the other transaction had not committed): the constraint."""
    from pasr.services import registration

    w = pasr_world
    post_as(client, w.users["exam_sec_a"], register_url(w), form_data())
    real = registration.registration_check
    calls = []

    def blind(**kwargs):
        calls.append(1)
        if len(calls) == 1:  # the first check, before the INSERT, sees nothing
            return [], []
        return real(**kwargs)

    monkeypatch.setattr(registration, "registration_check", blind)
    response = client.post(register_url(w), form_data(name="Kembar"))
    assert response.status_code == 200
    assert rules_shown(response) == [rules.DUPLICATE]
    assert Candidate.objects.count() == 1


def test_a_pupil_registered_for_the_mainstream_exam_is_refused(pasr_world, client):
    """3.2: "Calon dibenarkan mendaftar untuk menduduki sama ada PASR atau UPSR sahaja.\""""
    w = pasr_world
    response = post_as(
        client, w.users["exam_sec_a"], register_url(w), form_data(mainstream_exam="yes")
    )
    assert rules_shown(response) == [rules.EXCLUSIVE]
    assert "data-not-overridable" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_private_candidate_is_refused(pasr_world, client):
    """3.3: "PASR tidak ditawarkan kepada calon persendirian.\""""
    w = pasr_world
    response = post_as(
        client, w.users["exam_sec_a"], register_url(w), form_data(private_candidate="yes")
    )
    assert rules_shown(response) == [rules.PRIVATE]
    assert not Candidate.objects.exists()


def test_registration_closes_after_march_until_the_board_reopens_it(pasr_world, client,
                                                                    monkeypatch):  # fmt: skip
    from django.core.management import call_command

    w = pasr_world
    set_today(monkeypatch, APRIL_10)
    response = post_as(client, w.users["exam_sec_a"], register_url(w), form_data())
    assert rules_shown(response) == [rules.WINDOW]
    assert f"{Y}-03-01" in response.content.decode()
    assert not Candidate.objects.exists()
    call_command("pasr_window", str(Y), "--from", f"{Y}-04-01", "--to", f"{Y}-04-15",
                 "--reason", "Banjir", stdout=io.StringIO())  # fmt: skip
    response = client.post(register_url(w), form_data())
    assert response.status_code == 302 and Candidate.objects.count() == 1


def test_a_school_without_ppki_registers_after_declaring_partial_inclusive_education(
    pasr_world, client
):
    w = pasr_world
    secretary = exam_secretary_of(w.b)
    inclusive = form_data(programme="inclusive")
    response = post_as(client, secretary, register_url(w, w.b), inclusive)
    assert rules_shown(response) == [rules.PROGRAMME]
    response = client.post(f"/pasr/sekolah/{w.b.code}/inklusif/?year={Y}")
    assert response.status_code == 302
    declared = SchoolYear.objects.get(school=w.b, year=Y)
    assert declared.partial_inclusive and declared.declared_by == secretary
    assert (declared.district, declared.state) == (w.d2, w.s1)
    assert declared.declared_at is not None
    response = client.post(register_url(w, w.b), inclusive)
    assert response.status_code == 302
    assert Candidate.objects.get().school == w.b


def test_a_declaration_made_by_mistake_is_withdrawn_while_no_candidate_sits(pasr_world, client):
    w = pasr_world
    secretary = exam_secretary_of(w.b)
    post_as(client, secretary, f"/pasr/sekolah/{w.b.code}/inklusif/?year={Y}", {})
    page = client.get(f"/pasr/sekolah/{w.b.code}/?year={Y}").content.decode()
    assert 'data-form="pasr-undeclare"' in page
    assert client.post(register_url(w, w.b), form_data(programme="inclusive")).status_code == 302
    # With a candidate sitting: refused, with the reason.
    response = client.post(f"/pasr/sekolah/{w.b.code}/inklusif/tarik-balik/?year={Y}", follow=True)
    assert "withdraw or transfer them first" in response.content.decode()
    assert SchoolYear.objects.get(school=w.b, year=Y).partial_inclusive
    Candidate.objects.filter(school=w.b).update(status=rules.WITHDRAWN)
    response = client.post(f"/pasr/sekolah/{w.b.code}/inklusif/tarik-balik/?year={Y}")
    assert response.status_code == 302
    row = SchoolYear.objects.get(school=w.b, year=Y)
    assert (row.partial_inclusive, row.declared_by, row.declared_at) == (False, None, None)
    # Nothing declared any more: refused again, nothing changes.
    response = client.post(f"/pasr/sekolah/{w.b.code}/inklusif/tarik-balik/?year={Y}", follow=True)
    assert "No partial inclusive education is declared" in response.content.decode()


def test_only_the_exam_secretary_may_register(pasr_world, client):
    w = pasr_world
    for persona in ("head_a", "subject_head_a", "pasr_teacher_a", "lp_officer", "officer_d1"):
        response = post_as(client, w.users[persona], register_url(w), form_data())
        assert response.status_code == 403, persona
    response = post_as(client, exam_secretary_of(w.b), register_url(w), form_data())
    assert response.status_code == 404
    assert not Candidate.objects.exists()


# --- the board's override ---


def ask(client, w, data, note="Murid lewat didiagnosis; sedia menduduki PASR."):
    return client.post(f"/pasr/sekolah/{w.a.code}/daftar/rayuan/?year={Y}", {**data, "note": note})


def test_an_overridable_refusal_offers_a_request_to_the_board(pasr_world, client):
    w = pasr_world
    late = form_data(date_of_birth=f"{Y - 15}-01-01")
    response = post_as(client, w.users["exam_sec_a"], register_url(w), late)
    text = response.content.decode()
    assert 'data-form="pasr-override-ask"' in text
    assert 'name="id_number" value="140315101234"' in text
    response = ask(client, w, late)
    assert response.status_code == 302
    request = OverrideRequest.objects.get()
    assert (request.state, request.failed, request.school) == ("pending", [rules.AGE], w.a)
    assert request.data["date_of_birth"] == f"{Y - 15}-01-01"
    assert request.requested_by == w.users["exam_sec_a"]
    assert not Candidate.objects.exists()
    # Asked twice: one request waits.
    ask(client, w, late)
    assert OverrideRequest.objects.count() == 1


def test_a_request_for_a_rule_the_board_cannot_override_is_refused(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    for data in (
        form_data(mainstream_exam="yes"),
        form_data(private_candidate="yes"),
        form_data(date_of_birth=f"{Y - 15}-01-01", mainstream_exam="yes"),
        form_data(),
    ):
        response = ask(client, w, data)  # fmt: skip
        assert response.status_code == 302
    assert not OverrideRequest.objects.exists()
    assert not Candidate.objects.exists()


def test_a_request_needs_a_note(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    ask(client, w, form_data(date_of_birth=f"{Y - 15}-01-01"), note="  ")
    assert not OverrideRequest.objects.exists()


def decide(client, request, decision, reason):
    return client.post(f"/pasr/lp/rayuan/{request.pk}/", {"decision": decision, "reason": reason})


def test_the_board_overrides_with_a_reason_shown_on_the_school_s_list(pasr_world, client):
    w = pasr_world
    late = form_data(date_of_birth=f"{Y - 15}-01-01")
    client.force_login(w.users["exam_sec_a"])
    ask(client, w, late)
    request = OverrideRequest.objects.get()
    client.force_login(w.users["lp_officer"])
    page = client.get(f"/pasr/lp/?year={Y}").content.decode()
    assert f'data-override="{request.pk}"' in page and "140315101234" not in page
    response = decide(client, request, "approve", "Kelewatan diagnosis disahkan hospital.")
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.overridden_rules == [rules.AGE]
    assert candidate.override_reason == "Kelewatan diagnosis disahkan hospital."
    assert candidate.overridden_by == w.users["lp_officer"]
    assert candidate.registered_by == w.users["exam_sec_a"]
    request.refresh_from_db()
    assert (request.state, request.candidate, request.decided_by) == (
        "approved",
        candidate,
        w.users["lp_officer"],
    )
    assert (w.a.id, Y) in w.announced
    client.force_login(w.users["head_a"])
    listing = client.get(f"/pasr/sekolah/{w.a.code}/calon/?year={Y}").content.decode()
    assert "data-override-reason" in listing and "Kelewatan diagnosis" in listing
    client.force_login(w.users["exam_sec_a"])
    page = client.get(register_url(w)).content.decode()
    assert 'data-state="approved"' in page and "Kelewatan diagnosis" in page


def test_the_board_declines_with_a_reason_the_school_sees(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    ask(client, w, form_data(date_of_birth=f"{Y - 15}-01-01"))
    request = OverrideRequest.objects.get()
    client.force_login(w.users["lp_officer"])
    decide(client, request, "decline", "Umur melebihi had.")
    request.refresh_from_db()
    assert (request.state, request.reason) == ("declined", "Umur melebihi had.")
    assert not Candidate.objects.exists()
    client.force_login(w.users["exam_sec_a"])
    assert "Umur melebihi had." in client.get(register_url(w)).content.decode()


def test_no_override_without_a_written_reason(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    ask(client, w, form_data(date_of_birth=f"{Y - 15}-01-01"))
    request = OverrideRequest.objects.get()
    client.force_login(w.users["lp_officer"])
    for reason in ("", "   "):
        decide(client, request, "approve", reason)
    request.refresh_from_db()
    assert request.state == "pending" and not Candidate.objects.exists()


def test_the_board_never_overrides_exclusivity_private_or_a_duplicate(pasr_world, client):
    """A request whose rules now include one the board may not set aside is not approved."""
    w = pasr_world
    request = OverrideRequest.objects.create(
        year=Y, school=w.a, id_number="140315101234", name="Ali",
        data=form_data(mainstream_exam="yes", id_number="140315101234"),
        failed=[rules.EXCLUSIVE], requested_by=w.users["exam_sec_a"],
    )  # fmt: skip
    client.force_login(w.users["lp_officer"])
    decide(client, request, "approve", "Mohon dipertimbangkan.")
    request.refresh_from_db()
    assert request.state == "pending" and not Candidate.objects.exists()


def test_a_state_board_officer_decides_only_their_state_s_requests(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    ask(client, w, form_data(date_of_birth=f"{Y - 15}-01-01"))
    request = OverrideRequest.objects.get()
    perak = person("lp.perak", roles=[("lp_officer", w.s2)])
    client.force_login(perak)
    page = client.get(f"/pasr/lp/?year={Y}")
    assert page.status_code == 200
    assert f'data-override="{request.pk}"' not in page.content.decode()
    assert 'data-form="pasr-window"' not in page.content.decode()
    assert decide(client, request, "approve", "Ya").status_code == 404
    selangor = person("lp.selangor", roles=[("lp_officer", w.s1)])
    client.force_login(selangor)
    assert f'data-override="{request.pk}"' in client.get(f"/pasr/lp/?year={Y}").content.decode()
    decide(client, request, "approve", "Disokong JPN.")
    assert Candidate.objects.get().overridden_by == selangor


# --- the candidate list ---


def _candidates(w, n, school=None):
    return Candidate.objects.bulk_create(
        Candidate(
            year=Y, school=school or w.a, id_number=f"1403151{n_:05d}", name=f"Calon {n_}",
            date_of_birth=f"{Y - 13}-03-15", programme="ppki", curriculum="kssr_pk_mp", tahap=2,
            final_year=True, medical="oku_card", mainstream_exam=False, kh_component="masakan",
        )
        for n_ in range(n)
    )  # fmt: skip


def test_the_exam_secretary_sees_full_numbers_the_head_and_teachers_masked(pasr_world, client):
    w = pasr_world
    _candidates(w, 2)
    url = f"/pasr/sekolah/{w.a.code}/calon/?year={Y}"
    client.force_login(w.users["exam_sec_a"])
    page = client.get(url).content.decode()
    assert 'data-candidate="140315100001"' in page and "140315-10-0001" in page
    for persona in ("head_a", "subject_head_a", "pasr_teacher_a"):
        client.force_login(w.users[persona])
        page = client.get(url).content.decode()
        assert "140315100001" not in page and "140315-10" not in page, persona
        assert "******-**-0001" in page
        assert page.count('data-status="registered"') == 2


def test_a_candidate_transferred_out_stays_on_the_list_as_transferred_out(pasr_world, client):
    w = pasr_world
    gone, stays = _candidates(w, 2)
    gone.school = w.b
    gone.save()
    Transfer.objects.create(candidate=gone, from_school=w.a, to_school=w.b,
                            by=w.users["exam_sec_a"])  # fmt: skip
    client.force_login(w.users["exam_sec_a"])
    page = client.get(f"/pasr/sekolah/{w.a.code}/calon/?year={Y}").content.decode()
    assert f'data-candidate="{gone.id_number}" data-status="transferred_out"' in page
    assert f'data-candidate="{stays.id_number}" data-status="registered"' in page
    assert w.b.name in page


def test_the_list_and_the_school_page_take_the_same_queries_for_1_or_40_candidates(
    pasr_world, client
):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    urls = [f"/pasr/sekolah/{w.a.code}/calon/?year={Y}", f"/pasr/sekolah/{w.a.code}/?year={Y}"]
    _candidates(w, 1)
    counts = []
    for n in (1, 40):
        if n == 40:
            Candidate.objects.all().delete()
            _candidates(w, 40)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


# --- the bulk import ---


def import_url(w):
    return f"/pasr/sekolah/{w.a.code}/daftar/fail/?year={Y}"


def csv_file(rows, name="calon.csv"):
    header = list(form_data())
    lines = [",".join(header)] + [",".join(str(row[h]) for h in header) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def hundred():
    return [form_data(number=f"1403151{n:05d}", name=f"Calon {n}") for n in range(100)]


def test_a_list_of_100_candidates_is_registered_at_once(pasr_world, client):
    w = pasr_world
    response = post_as(client, w.users["exam_sec_a"], import_url(w), {"file": csv_file(hundred())})
    assert response.status_code == 302
    assert Candidate.objects.filter(school=w.a, year=Y).count() == 100
    assert SchoolYear.objects.get(school=w.a, year=Y).candidates == 100
    assert w.announced == [(w.a.id, Y)]


def test_one_bad_row_registers_nothing_and_every_row_s_problem_is_listed(pasr_world, client):
    w = pasr_world
    rows = hundred()
    rows[10]["tahap"] = "1"
    rows[10]["medical"] = "none"
    rows[20]["date_of_birth"] = "2026-02-30"
    rows[30]["id_number"] = rows[5]["id_number"]  # twice in the file
    rows[40]["mainstream_exam"] = "yes"
    response = post_as(client, w.users["exam_sec_a"], import_url(w), {"file": csv_file(rows)})
    assert response.status_code == 200
    assert not Candidate.objects.exists() and w.announced == []
    text = response.content.decode()
    assert 'data-import-errors="5"' in text
    found = re.findall(r'data-row="(\d+)"(?: data-rule="([a-z_]+)")?', text)
    assert found == [("12", "tahap"), ("12", "medical"), ("22", ""), ("32", "duplicate"),
                     ("42", "exclusive")]  # fmt: skip
    assert "also on row 7" in text


def test_a_list_with_a_number_registered_elsewhere_registers_nothing(pasr_world, client):
    w = pasr_world
    _candidates(w, 1, school=w.b)
    rows = [form_data(number="140315100000"), form_data(number="140315100001")]
    response = post_as(client, w.users["exam_sec_a"], import_url(w), {"file": csv_file(rows)})
    assert re.findall(r'data-rule="([a-z_]+)"', response.content.decode()) == ["duplicate"]
    assert Candidate.objects.count() == 1


def test_an_excel_list_with_malay_headings_and_ya_tidak_is_read(pasr_world, client):
    from openpyxl import Workbook

    w = pasr_world
    book = Workbook()
    sheet = book.active
    sheet.append(["NAMA", "NO_KP", "TARIKH_LAHIR", "KELAS", "PROGRAM", "KURIKULUM", "TAHAP",
                  "TAHUN_AKHIR", "PENGESAHAN_PERUBATAN", "PEPERIKSAAN_ARUS_PERDANA",
                  "KOMPONEN_KH"])  # fmt: skip
    sheet.append(["Siti", "140315-10-1111", datetime.datetime(Y - 13, 3, 15), "6A", "PPKI",
                  "KSSR_PK_MP", 2, "YA", "oku_card", "TIDAK",
                  "Jahitan"])  # fmt: skip
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("calon.xlsx", data.getvalue())
    response = post_as(client, w.users["exam_sec_a"], import_url(w), {"file": upload})
    assert response.status_code == 302, response.content.decode()[-2000:]
    candidate = Candidate.objects.get()
    assert (candidate.kh_component, candidate.final_year, candidate.mainstream_exam) == (
        "jahitan",
        True,
        False,
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(pasr_world, client,
                                                                 monkeypatch):  # fmt: skip
    from pasr import importing

    w = pasr_world
    monkeypatch.setattr(importing, "MAX_UPLOAD", 1000)
    monkeypatch.setattr(importing, "parse_candidates", lambda *a: pytest.fail("read"))
    big = SimpleUploadedFile("calon.csv", b"name\n" + b"x" * 2000)
    response = post_as(client, w.users["exam_sec_a"], import_url(w), {"file": big})
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not Candidate.objects.exists()


def test_an_excel_zip_bomb_is_refused_before_openpyxl_reads_it(pasr_world, client):
    import zipfile

    w = pasr_world
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<a>" + b" " * 30_000_000 + b"</a>")
    upload = SimpleUploadedFile("calon.xlsx", data.getvalue())
    response = post_as(client, w.users["exam_sec_a"], import_url(w), {"file": upload})
    assert response.status_code == 200
    assert "unpacks to" in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_template_lists_the_form_s_columns_and_imports_as_it_is(pasr_world, client):
    w = pasr_world
    client.force_login(w.users["exam_sec_a"])
    response = client.get(f"/pasr/sekolah/{w.a.code}/daftar/templat.csv?year={Y}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(form_data())
    client.post(f"/pasr/sekolah/{w.a.code}/inklusif/?year={Y}")  # the second row is inclusive
    upload = SimpleUploadedFile("templat.csv", body.encode())
    response = client.post(import_url(w), {"file": upload})
    assert response.status_code == 302
    assert Candidate.objects.count() == 2
