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


# --- the cached card (skills.checkcache): fast, and never stale after a service's change ---
def test_a_second_check_reads_no_table(issued, client, django_assert_num_queries):
    cache.clear()  # the fixture's re-issue marked the old version's entries for a minute
    first = check(client, no=issued.valid.number).content.decode()
    with django_assert_num_queries(0):
        again = check(client, no=issued.valid.number).content.decode()
    assert attr(again, "data-status") == "valid" and attr(again, "data-certificate") == attr(
        first, "data-certificate"
    )
    assert f'name="no" value="{issued.valid.reference}"' in again  # the holder's question
    check(client, no=issued.old.number)
    with django_assert_num_queries(0):
        page = check(client, no=issued.old.number).content.decode()
    assert attr(page, "data-current") == issued.new.reference
    token = reverse("skills:check_token", kwargs={"token": pdfs.check_token(issued.valid)})
    client.get(token)
    with django_assert_num_queries(0):
        assert attr(client.get(token).content.decode(), "data-status") == "valid"


def test_a_revocation_shows_at_once_on_a_cached_card(
    issued, client, django_capture_on_commit_callbacks
):
    token = reverse("skills:check_token", kwargs={"token": pdfs.check_token(issued.valid)})
    for _ in range(2):
        assert attr(check(client, no=issued.valid.number).content.decode(), "data-status") == (
            "valid"
        )
        client.get(token)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=issued.valid, by=issued.users["cert_officer"],
                                    reason="Dokumen palsu")  # fmt: skip
    for _ in range(2):
        page = check(client, no=issued.valid.number).content.decode()
        assert attr(page, "data-status") == "revoked" and "Dokumen palsu" in page
        assert attr(client.get(token).content.decode(), "data-status") == "revoked"


def test_a_reissue_shows_at_once_on_a_cached_card(
    issued, client, django_capture_on_commit_callbacks
):
    check(client, no=issued.valid.number)
    assert attr(check(client, no=issued.valid.number).content.decode(), "data-status") == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=issued.valid,
                                           by=issued.users["cert_officer"],
                                           holder_name="Aminah binti Ali Hassan",
                                           reason="Nama")  # fmt: skip
    page = check(client, no=issued.valid.number).content.decode()
    assert attr(page, "data-status") == "superseded" and attr(page, "data-current") == (
        new.reference
    )


def test_a_check_that_read_before_the_change_cannot_put_the_old_card_back(issued):
    """The race: a check read the record, the revocation committed, then it stores its card."""
    from skills import checkcache

    key = checkcache.reference_key(issued.valid.reference)
    checkcache.certificate_changed(issued.valid)  # outside a transaction: marked at once
    checkcache.store(key, html="<section>valid</section>", reference=issued.valid.reference)
    assert checkcache.card_of(cache.get(key)) is None


def test_the_holder_question_is_never_answered_from_the_cache(issued, client):
    check(client, no=issued.valid.number)
    url = reverse("skills:check")
    yes = client.post(url, {"no": issued.valid.number, "id_number": ID}).content.decode()
    no = client.post(url, {"no": issued.valid.number, "id_number": "900101100000"})
    assert attr(yes, "data-holder-match") == "true"
    assert attr(no.content.decode(), "data-holder-match") == "false"
    # ... and its answer is never kept for the next visitor.
    assert "data-holder-match" not in check(client, no=issued.valid.number).content.decode()


def test_each_language_has_its_own_card(issued, client):
    check(client, no=issued.valid.number)
    client.cookies["ssqs_language"] = "en"
    page = check(client, no=issued.valid.number).content.decode()
    assert issued.valid.standard.title_en in page and "Date of issue" in page


def test_a_cached_card_still_counts_against_the_rate_limit(issued, client, monkeypatch):
    monkeypatch.setattr(rules, "CHECK_LOOKUPS_PER_ADDRESS", 3)
    for _ in range(3):
        assert check(client, no=issued.valid.number).status_code == 200
    assert check(client, no=issued.valid.number).status_code == 429


def test_the_throttle_on_redis_counts_in_one_pipeline(settings):
    """On Redis (production) the count is INCR + EXPIRE in one round trip, read back by
    the window's get_many; the cached card comes in the same get_many."""
    import redis
    from django.core.cache import caches

    from skills import throttle

    url = settings.CELERY_BROKER_URL if str(settings.CELERY_BROKER_URL).startswith(
        "redis://") else "redis://127.0.0.1:6379/11"  # fmt: skip
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        pytest.skip("no Redis here")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": url, "KEY_PREFIX": "sk16test"}}  # fmt: skip
    backend = caches["default"]
    try:
        backend.delete_many([f"skills:check:t:{i}" for i in range(3)])
        now = 1_800_000_000.0
        name = f"lookup:addr:test-{now}"
        for _ in range(3):
            throttle.count([name], now=now)
        backend.set("skills:check:card:x", {"html": "<p>x</p>", "reference": "R"}, 30)
        wait, found = throttle.wait_and_read({name: 3}, ["skills:check:card:x"], now=now)
        assert wait > 0 and found == {"skills:check:card:x": {"html": "<p>x</p>", "reference": "R"}}
        assert throttle.wait_and_read({name: 4}, (), now=now)[0] == 0
        key = backend.make_and_validate_key(f"skills:check:{name}:{int(now // 60)}")
        client = backend._cache.get_client(key)
        assert 0 < client.ttl(key) <= 16 * 60
    finally:
        backend.delete(f"skills:check:{name}:{int(now // 60)}")
        backend.delete("skills:check:card:x")
