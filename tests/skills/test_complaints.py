"""Complaints (Modul Aduan): file, follow by reference, the body's acts, what each one sees."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from skills import complaint_rules as crules
from skills.models import Complaint, ComplaintEvent
from skills.services import complaints as services

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee
from .complaint_helpers import complaint, filing

NEW_URL = "/kemahiran/aduan/baru/"
LOOKUP = "/kemahiran/aduan/semak/"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _reference_of(page):
    return re.search(r'data-complaint-reference="([^"]+)"', page).group(1)


def _file(client, data):
    response = client.post(NEW_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/kemahiran/aduan/terima-kasih/"
    thanks = client.get(response["Location"]).content.decode()
    return _reference_of(thanks)


def test_the_whole_flow(skills_world, client, login, django_capture_on_commit_callbacks):
    """Filed anonymously -> reference -> lookup -> assigned, answered, escalated, closed."""
    sw = skills_world
    secret_note = "Pegawai syak aduan ini berkaitan pertikaian gaji dalaman."
    with django_capture_on_commit_callbacks(execute=True):
        reference = _file(client, filing(sw))
    c = Complaint.objects.get(reference=reference)
    assert crules.REFERENCE.match(reference)
    assert (c.category, c.centre, c.status, c.filed_by) == ("centre", sw.centre_a, "new", None)
    assert c.due_on == timezone.localdate() + datetime.timedelta(days=crules.SLA_DAYS)
    assert [e.act for e in c.events.all()] == ["file"]
    # Mailed to the complainant, with the reference.
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].body
    assert mail.outbox[0].to == ["rahimah@example.my"]
    # Shown once: the thank-you page again sends to the lookup.
    assert client.get("/kemahiran/aduan/terima-kasih/")["Location"] == LOOKUP

    page = client.get(LOOKUP, {"no": reference.lower()}).content.decode()
    assert 'data-status="new"' in page and reference in page

    officer = sw.users["cert_officer"]
    staff = login(officer)
    url = f"/kemahiran/aduan/{c.pk}/tindakan/"
    assert staff.post(url, {"act": "assign", "assignee": officer.pk}).status_code == 302
    assert staff.post(url, {"act": "note", "note": secret_note}).status_code == 302
    assert staff.post(url, {"act": "answer", "note": "Kami sedang menyiasat pusat ini."}
                      ).status_code == 302  # fmt: skip
    assert staff.post(url, {"act": "escalate", "note": "Perlu keputusan ketua unit."}
                      ).status_code == 302  # fmt: skip
    assert staff.post(url, {"act": "close", "note": "Pusat diberi amaran bertulis.",
                            "upheld": "yes"}).status_code == 302  # fmt: skip
    c.refresh_from_db()
    assert (c.status, c.level, c.assignee, c.upheld) == ("closed", 2, officer, True)
    assert c.resolution == "Pusat diberi amaran bertulis." and c.first_answered_at and c.closed_at
    events = list(c.events.values_list("act", "by", "public"))
    assert events == [("file", None, False), ("assign", officer.pk, False),
                      ("note", officer.pk, False), ("answer", officer.pk, True),
                      ("escalate", officer.pk, False), ("close", officer.pk, True)]  # fmt: skip
    # The handler's page shows every step, the internal note and the complainant.
    detail = staff.get(f"/kemahiran/aduan/{c.pk}/").content.decode()
    assert secret_note in detail and "Rahimah binti Osman" in detail
    assert detail.count("data-event=") == 6

    public = login(None).get(LOOKUP, {"no": reference}).content.decode()
    assert 'data-status="closed"' in public
    assert "Kami sedang menyiasat pusat ini." in public
    assert "Pusat diberi amaran bertulis." in public
    # Nothing else: not the complainant, nor the contact, the internal note, the handler,
    # the centre, the subject or the description, nor the reason of the escalation.
    for hidden in ("Rahimah", "rahimah@example.my", "012-345 6789", secret_note,
                   officer.username, officer.get_full_name() or officer.username,
                   sw.centre_a.name, sw.centre_a.code, "Bengkel tidak dibuka",
                   "ditutup semasa waktu latihan", "Perlu keputusan ketua unit."):  # fmt: skip
        assert hidden not in public, hidden


def test_unknown_reference_is_404_with_a_message(db, client):
    response = client.get(LOOKUP, {"no": "ADU-2026-ZZZZZZZZ"})
    assert response.status_code == 404
    assert 'data-complaint-found="false"' in response.content.decode()
    assert client.get(LOOKUP, {"no": "nonsense"}).status_code == 404
    assert client.get(LOOKUP, {"no": "x\x00"}).status_code in (400, 404)
    assert client.get(LOOKUP).status_code == 200


def test_lookup_is_rate_limited_per_address(skills_world, client, settings):
    c = complaint(skills_world)
    for _ in range(crules.LOOKUPS_PER_ADDRESS):
        client.get(LOOKUP, {"no": c.reference})
    response = client.get(LOOKUP, {"no": c.reference})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert 'data-throttled="true"' in response.content.decode()
    other = client.get(LOOKUP, {"no": c.reference}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"website": "http://cheap.example"}, None),  # the honeypot
        ({"stamp": ""}, None),  # no stamp: stale
        ({"stamp": "forged:1"}, None),
        ({"category": "certificate", "certificate_number": "JPK-ZZZZZZZZZZ"}, "certificate_number"),
        ({"category": "certificate", "certificate_number": ""}, "certificate_number"),
        ({"category": "centre", "centre": ""}, "centre"),
        ({"category": "centre", "centre": "PB-B002X"}, "centre"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"description": "pendek"}, "description"),
        ({"description": "x" * (crules.DESCRIPTION_MAX + 1)}, "description"),
        ({"subject": "x" * (crules.SUBJECT_MAX + 1)}, "subject"),
        ({"name": ""}, "name"),
    ],
)
def test_refused_filings_save_nothing(skills_world, client, overrides, field):
    response = client.post(NEW_URL, filing(skills_world, **overrides))
    assert response.status_code == 400
    assert not Complaint.objects.exists() and not ComplaintEvent.objects.exists()
    form = response.context["form"]
    assert (field in form.errors) if field else form.non_field_errors()


def test_too_fast_is_refused_with_a_friendly_message(skills_world, client):
    from skills.forms.complaints import form_stamp

    response = client.post(NEW_URL, filing(skills_world, stamp=form_stamp()))
    assert response.status_code == 400
    assert "data-form-error" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_certificate_complaint_names_the_certificate(skills_world, client):
    sw = skills_world
    cert = services_issue(sw)
    ref = _file(client, filing(sw, category="certificate", centre="",
                               certificate_number=cert.reference.lower()))  # fmt: skip
    c = Complaint.objects.get(reference=ref)
    assert (c.certificate, c.centre) == (cert, None)


def services_issue(sw):
    from skills.services import certificates

    intake = intake_of(sw)
    return certificates.certificates_issue_for_enrolment(
        enrolment=enrol(sw, intake, trainee("Lim Mei"), ALL_COMPETENT), by=sw.users["cert_officer"]
    ).certificate


def test_filing_is_rate_limited_per_address(skills_world, client):
    for _ in range(crules.FILINGS_PER_ADDRESS):
        _file(client, filing(skills_world, email=""))
    response = client.post(NEW_URL, filing(skills_world))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Complaint.objects.count() == crules.FILINGS_PER_ADDRESS


def test_a_logged_in_person_finds_the_form_prefilled_and_is_recorded(skills_world, login):
    sw = skills_world
    user = sw.users["trainee"]
    user.first_name, user.last_name, user.email = "Ali", "bin Abu", "ali@example.my"
    user.save()
    client = login(user)
    page = client.get(NEW_URL).content.decode()
    assert 'value="Ali bin Abu"' in page and 'value="ali@example.my"' in page
    ref = _file(client, filing(sw, category="system", centre=""))
    c = Complaint.objects.get(reference=ref)
    assert (c.filed_by, c.centre, c.category) == (user, None, "system")


def test_refused_acts_change_nothing(skills_world, login):
    sw = skills_world
    c = complaint(sw)
    staff = login(sw.users["cert_officer"])
    url = f"/kemahiran/aduan/{c.pk}/tindakan/"
    for data in ({"act": "close", "note": "Selesai", "upheld": "no"},  # never answered
                 {"act": "reopen", "note": "Semula"},  # not closed
                 {"act": "answer", "note": ""},  # no text
                 {"act": "assign", "assignee": sw.users["centre_admin_a"].pk},  # not a handler
                 {"act": "delete"}):  # fmt: skip
        assert staff.post(url, data).status_code == 400, data
    c.refresh_from_db()
    assert (c.status, c.assignee) == ("new", None)
    assert list(c.events.values_list("act", flat=True)) == ["file"]


def test_escalation_stops_at_the_top(skills_world):
    sw = skills_world
    c = complaint(sw)
    for _ in range(crules.MAX_LEVEL - 1):
        services.complaint_act(complaint=c, act="escalate", by=sw.users["cert_officer"], note="x")
    with pytest.raises(services.ComplaintRefused):
        services.complaint_act(complaint=c, act="escalate", by=sw.users["cert_officer"], note="x")
    assert c.level == crules.MAX_LEVEL


def test_close_then_reopen(skills_world):
    sw = skills_world
    officer = sw.users["cert_officer"]
    c = complaint(sw)
    services.complaint_act(complaint=c, act="answer", by=officer, note="Jawapan")
    services.complaint_act(complaint=c, act="close", by=officer, note="Tamat", upheld=False)
    services.complaint_act(complaint=c, act="reopen", by=officer, note="Bukti baharu")
    c.refresh_from_db()
    assert (c.status, c.closed_at, c.upheld) == ("new", None, None)


def test_the_list_puts_overdue_first_and_filters(skills_world, login,
                                                 django_assert_max_num_queries):  # fmt: skip
    sw = skills_world
    fresh = complaint(sw)
    late = complaint(sw, centre=sw.centre_b, subject="Lewat")
    Complaint.objects.filter(pk=late.pk).update(due_on=timezone.localdate()
                                                - datetime.timedelta(days=2))  # fmt: skip
    system = complaint(sw, category="system", centre=None)
    for _ in range(30):
        complaint(sw)
    client = login(sw.users["cert_officer"])
    client.get("/kemahiran/aduan/")  # warm the session and the grants
    with django_assert_max_num_queries(12):
        page = client.get("/kemahiran/aduan/").content.decode()
    rows = re.findall(r'data-complaint="([^"]+)"', page)
    assert rows[0] == late.reference and len(rows) == 33
    assert 'data-overdue-count="1"' in page
    overdue = client.get("/kemahiran/aduan/", {"overdue": "1"}).content.decode()
    assert re.findall(r'data-complaint="([^"]+)"', overdue) == [late.reference]
    systems = client.get("/kemahiran/aduan/", {"category": "system"}).content.decode()
    assert re.findall(r'data-complaint="([^"]+)"', systems) == [system.reference]
    b = client.get("/kemahiran/aduan/", {"centre": sw.centre_b.code}).content.decode()
    assert re.findall(r'data-complaint="([^"]+)"', b) == [late.reference]
    assert fresh.reference in page


def test_a_centre_admin_reads_their_centre_only_without_the_contact(skills_world, login):
    sw = skills_world
    officer = sw.users["cert_officer"]
    mine = complaint(sw)
    services.complaint_act(complaint=mine, act="note", by=officer, note="Nota dalaman rahsia")
    services.complaint_act(complaint=mine, act="answer", by=officer, note="Jawapan awam")
    theirs = complaint(sw, centre=sw.centre_b)
    system = complaint(sw, category="system", centre=None)
    client = login(sw.users["centre_admin_a"])
    listed = client.get("/kemahiran/aduan/").content.decode()
    assert re.findall(r'data-complaint="([^"]+)"', listed) == [mine.reference]
    page = client.get(f"/kemahiran/aduan/{mine.pk}/").content.decode()
    assert "Jawapan awam" in page
    for hidden in ("Nota dalaman rahsia", "Farid bin Hassan", "farid@example.my", "0123456789",
                   officer.username):  # fmt: skip
        assert hidden not in page, hidden
    assert client.get(f"/kemahiran/aduan/{theirs.pk}/").status_code == 404
    assert client.get(f"/kemahiran/aduan/{system.pk}/").status_code == 404


def test_the_footer_links_to_the_form(db, client):
    page = client.get("/sijil/semak/").content.decode()
    assert f'href="{reverse("skills:complaint_new")}"' in page
    assert 'data-link="complaint-new"' in page


def test_the_menu_leads_handlers_and_centre_admins_to_the_list(skills_world, login):
    sw = skills_world
    link = 'href="/kemahiran/aduan/"'
    for persona, shown in (("cert_officer", True), ("centre_admin_a", True), ("assessor_ab", False),
                           ("trainee", False)):  # fmt: skip
        page = login(sw.users[persona]).get("/sijil/semak/").content.decode()
        assert (link in page) is shown, persona
