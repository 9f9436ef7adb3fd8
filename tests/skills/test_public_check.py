"""Semakan Sijil: the public check (interfaces.md "Skills certification"), no login."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from skills import pdfs, rules
from skills.services import certificates as services

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee

ID = "900101105678"


@pytest.fixture
def issued(skills_world):
    cache.clear()
    sw = skills_world
    intake = intake_of(sw)
    officer = sw.users["cert_officer"]
    make = services.certificates_issue_for_enrolment
    sw.valid = make(enrolment=enrol(sw, intake, trainee("Aminah binti Ali", ID), ALL_COMPETENT),
                    by=officer).certificate  # fmt: skip
    sw.sp = make(enrolment=enrol(sw, intake, trainee("Chong Wei"), {0: "competent"}),
                 by=officer).certificate  # fmt: skip
    sw.revoked = make(enrolment=enrol(sw, intake, trainee("Ravi a/l Kumar"), ALL_COMPETENT),
                      by=officer).certificate  # fmt: skip
    services.certificate_revoke(certificate=sw.revoked, by=officer, reason="Penilaian tidak sah")
    sw.old = make(enrolment=enrol(sw, intake, trainee("Nur Aisyah"), ALL_COMPETENT),
                  by=officer).certificate  # fmt: skip
    sw.new = services.certificate_reissue(
        certificate=sw.old, by=officer, holder_name="Nur Aisyah Humaira", reason="Nama"
    )
    yield sw
    cache.clear()


def attr(page, name):
    found = re.search(rf'{name}="([^"]*)"', page)
    return found.group(1) if found else None


def check(client, **params):
    return client.get(reverse("skills:check"), params)


def test_the_path_is_the_interfaces(issued):
    assert reverse("skills:check") == "/sijil/semak/"


@pytest.mark.parametrize(
    ("which", "status", "level"),
    [("valid", "valid", "SKM3"), ("sp", "valid", "SP"), ("revoked", "revoked", "SKM3"),
     ("old", "superseded", "SKM3"), ("new", "valid", "SKM3")],
)  # fmt: skip
def test_each_status_with_its_data_attributes(issued, client, which, status, level):
    c = getattr(issued, which)
    response = check(client, no=c.reference)
    page = response.content.decode()
    assert response.status_code == 200
    assert attr(page, "data-certificate") == c.reference
    assert attr(page, "data-status") == status
    assert attr(page, "data-level") == level
    assert c.holder_name in page and issued.standard.code in page and issued.centre_a.name in page


def test_revoked_shows_its_reason(issued, client):
    page = check(client, no=issued.revoked.number).content.decode()
    assert "Penilaian tidak sah" in page


def test_superseded_links_to_the_current_version(issued, client):
    page = check(client, no=issued.old.number).content.decode()
    assert attr(page, "data-current") == issued.new.reference
    assert f"?no={issued.new.reference.replace('/', '%2F')}" in page


def test_a_number_is_read_forgivingly(issued, client):
    typed = issued.valid.number.lower().replace("0", "o")
    assert attr(check(client, no=f" {typed} ").content.decode(), "data-status") == "valid"


@pytest.mark.parametrize("typed", ["JPK-ZZZZZZZZZZ", "JPK-123", "' OR 1=1 --", "x" * 5000, "JPK-"])
def test_an_unknown_number_is_a_404_with_a_clear_message(issued, client, typed):
    response = check(client, no=typed)
    assert response.status_code == 404
    assert "No certificate has this number" in response.content.decode() or (
        "Tiada sijil" in response.content.decode()
    )
    assert 'data-status="' not in response.content.decode()


def test_no_number_shows_the_form(issued, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("skills:check"))
    assert response.status_code == 200 and 'name="no"' in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "match"),
    [(ID, "true"), ("900101-10-5678", "true"), (" 900101 10 5678 ", "true"),
     ("900101105679", "false"), ("990101105555", "false")],
)  # fmt: skip
def test_the_holder_match_answers_without_revealing_the_number(issued, client, typed, match):
    response = client.post(reverse("skills:check") + f"?no={issued.valid.number}",
                           {"no": issued.valid.number, "id_number": typed})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert attr(page, "data-holder-match") == match
    assert ID not in page and "900101-10-5678" not in page and "5678" not in page


def test_a_malformed_identity_number_is_named_not_answered(issued, client):
    data = {"no": issued.valid.number, "id_number": "12ab"}
    page = client.post(reverse("skills:check"), data).content.decode()
    assert "data-holder-match" not in page and "12 dig" in page


def test_the_page_never_shows_an_identity_number(issued, client):
    for c in (issued.valid, issued.sp, issued.revoked, issued.old, issued.new):
        page = check(client, no=c.reference).content.decode()
        assert not re.search(r"\d{6}-?\d{2}-?\d{4}", page)
        assert c.trainee.id_number not in page and c.trainee.id_number[-4:] not in page


def test_constant_queries(issued, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        check(client, no=issued.valid.number)
    with django_assert_max_num_queries(2):
        check(client, no=issued.old.number)  # and the current version's reference
    with django_assert_max_num_queries(2):
        client.post(reverse("skills:check"), {"no": issued.valid.number, "id_number": ID})
    with django_assert_max_num_queries(0):
        check(client, no="JPK-123")


def test_lookups_are_rate_limited_per_address(issued, client, monkeypatch):
    monkeypatch.setattr(rules, "CHECK_LOOKUPS_PER_ADDRESS", 5)
    for _ in range(5):
        assert check(client, no=issued.valid.number).status_code == 200
    response = check(client, no=issued.valid.number)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert 'data-status="' not in response.content.decode()
    other = client.get(reverse("skills:check"), {"no": issued.valid.number},
                       REMOTE_ADDR="203.0.113.50")  # fmt: skip
    assert other.status_code == 200


def test_identity_guesses_are_rate_limited_per_address_and_certificate(issued, client):
    url = reverse("skills:check")
    for i in range(rules.CHECK_MATCHES_PER_ADDRESS):
        response = client.post(url, {"no": issued.valid.number, "id_number": f"9001011000{i:02d}"})
        assert attr(response.content.decode(), "data-holder-match") == "false"
    response = client.post(url, {"no": issued.valid.number, "id_number": ID})
    assert response.status_code == 429 and "data-holder-match" not in response.content.decode()
    # Another address may go on until the certificate's own limit.
    for i in range(rules.CHECK_MATCHES_PER_CERTIFICATE - rules.CHECK_MATCHES_PER_ADDRESS):
        response = client.post(url, {"no": issued.valid.number, "id_number": ID},
                               REMOTE_ADDR=f"203.0.113.{i + 1}")  # fmt: skip
        assert response.status_code == 200
    response = client.post(url, {"no": issued.valid.number, "id_number": ID},
                           REMOTE_ADDR="198.51.100.7")  # fmt: skip
    assert response.status_code == 429


def test_the_qr_token_leads_to_the_version_it_names(issued, client):
    url = reverse("skills:check_token", kwargs={"token": pdfs.check_token(issued.old)})
    page = client.get(url).content.decode()
    assert attr(page, "data-status") == "superseded"
    assert attr(page, "data-current") == issued.new.reference
    token = pdfs.check_token(issued.valid)
    assert client.get(reverse("skills:check_token", kwargs={"token": token[:-2] + "xx"})
                      ).status_code == 404  # fmt: skip
    forged = __import__("django.core.signing", fromlist=["dumps"]).dumps(
        [issued.valid.pk, 1], salt="another-salt"
    )
    assert client.get(reverse("skills:check_token", kwargs={"token": forged})).status_code == 404


def test_the_token_carries_no_data(issued):
    from django.core import signing

    token = pdfs.check_token(issued.valid)
    assert issued.valid.holder_name.split()[0] not in token
    signer = signing.Signer(salt="skills-certificate")
    assert signer.unsign_object(token) == [issued.valid.pk, 1]
    assert pdfs.check_token(issued.valid) == token  # the same QR every time
