"""The read API: keys and their scopes, pages, conventions (RFC 9457, ETag, updated_since)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import keys
from api.models import ApiCall, ApiKey
from tests.api.conftest import rate
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def codes(response):
    assert response.status_code == 200, response.content
    return [item.get("code") or item.get("school") for item in response.json()["items"]]


# --- keys and scopes --------------------------------------------------------------------------


def test_a_national_key_sees_every_school(world, make_key, api_get):
    assert codes(api_get("schools", make_key("KPM"))) == ["ABA0003", "BBA0001", "BBB0002"]


def test_a_district_key_sees_its_district_only(world, make_key, api_get, rated):
    secret = make_key(world.d1.code)
    assert codes(api_get("schools", secret)) == ["BBA0001"]
    assert codes(api_get("ssqs/cycles/2026/ratings", secret)) == ["BBA0001"]
    assert api_get(f"schools/{world.b.code}", secret).status_code == 404
    assert api_get(f"ssqs/cycles/2026/ratings/{world.b.code}", secret).status_code == 404
    assert api_get(f"schools/{world.a.code}", secret).json()["code"] == "BBA0001"
    assert codes(api_get("districts", secret)) == [world.d1.code]
    assert codes(api_get("states", secret)) == ["SGR"]


def test_a_state_key_sees_its_state(world, make_key, api_get, rated):
    secret = make_key(world.s1.code)
    assert codes(api_get("schools", secret)) == ["BBA0001", "BBB0002"]
    assert codes(api_get("ssqs/cycles/2026/ratings", secret)) == ["BBA0001", "BBB0002"]
    assert sorted(codes(api_get("districts", secret))) == ["SGR-KLANG", "SGR-PETALING"]


def test_a_state_filter_outside_the_key_finds_nothing(world, make_key, api_get):
    assert codes(api_get("schools?state=PRK", make_key(world.d1.code))) == []


def test_a_revoked_key_gets_401(world, make_key, api_get):
    from api.services import key_revoke

    secret = make_key("KPM")
    assert api_get("schools", secret).status_code == 200
    key_revoke(key=ApiKey.objects.get(key_hash=keys.digest(secret)))
    response = api_get("schools", secret)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer ssqs_" + "x" * 43]
)
def test_a_missing_or_false_key_gets_a_401_problem(world, client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/schools", **extra)
    assert response.status_code == 401
    body = response.json()
    assert body["title"] == "Unauthorized" and body["type"].endswith("unauthorized")


def test_an_ssqs_key_cannot_read_pibk(world, make_key, api_get, rated):
    secret = make_key("KPM", ["ssqs"])
    assert api_get("ssqs/cycles/2026/ratings", secret).status_code == 200
    for path in ("pibk/years", "pibk/years/2026/schools", "pibk/years/2026/nodes"):
        response = api_get(path, secret)
        assert response.status_code == 403, path
        assert response["Content-Type"] == "application/problem+json"


def test_a_pibk_key_cannot_read_ssqs(world, make_key, api_get, rated):
    secret = make_key("KPM", ["pibk"])
    assert api_get("pibk/years/2026/schools", secret).status_code == 200
    assert api_get("ssqs/cycles/2026/ratings", secret).status_code == 403
    assert api_get("ssqs/cycles/2026/nodes", secret).status_code == 403
    # The school list is every programme's (as on the pages).
    assert api_get("schools", secret).status_code == 200


def test_the_key_is_a_principal_read_by_the_access_rule(world, make_key):
    from core.people import access

    secret = make_key(world.d1.code, ["ssqs"])
    principal = keys.Principal(keys.find(secret))
    assert principal.key.revoked_at is None
    assert access.can(principal, "ssqs.results.view", world.a)
    assert not access.can(principal, "ssqs.results.view", world.b)
    assert not access.can(principal, "pibk.view")
    assert not access.can(principal, "officers.manage")


def test_last_used_is_written_at_most_once_a_minute(world, make_key, api_get):
    secret = make_key("KPM")
    api_get("schools", secret)
    key = ApiKey.objects.get(key_hash=keys.digest(secret))
    first = key.last_used_at
    assert first is not None
    api_get("schools", secret)
    key.refresh_from_db()
    assert key.last_used_at == first
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    api_get("schools", secret)
    key.refresh_from_db()
    assert key.last_used_at > first - datetime.timedelta(minutes=2)


def test_every_call_is_logged(world, make_key, api_get, client):
    secret = make_key("KPM")
    api_get("schools?level=primary", secret, REMOTE_ADDR="203.0.113.7")
    api_get("schools", "ssqs_wrong")
    key = ApiKey.objects.get(key_hash=keys.digest(secret))
    calls = list(ApiCall.objects.order_by("pk").values_list("key", "method", "path", "status"))
    assert calls == [
        (key.pk, "GET", "/api/v1/schools?level=primary", 200),
        (None, "GET", "/api/v1/schools", 401),
    ]
    assert ApiCall.objects.first().address == "203.0.113.7"


# --- the command -----------------------------------------------------------------------------


def test_create_api_key_prints_the_key_once_and_stores_its_hash(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", "Statistik", "--unit", "sgr", "--programme", "ssqs",
                 "--programme", "PIBK", stdout=out, stderr=err)  # fmt: skip
    secret = out.getvalue().strip()
    assert secret.startswith("ssqs_") and len(secret) >= 40
    key = ApiKey.objects.get()
    assert key.key_hash == keys.digest(secret) and secret not in key.key_hash
    assert (key.unit_kind, key.unit_code, key.programmes) == ("state", "SGR", ["pibk", "ssqs"])
    assert key.prefix in err.getvalue() and secret not in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NOWHERE"], "No unit"),
        (["--unit", "BBA0001"], "not in"),
        (["--unit", "KPM", "--programme", "skills"], "Unknown programme"),
        (["--unit", "JPK"], "not in"),
    ],
)
def test_create_api_key_refuses_bad_scopes(world, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", "X", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiKey.objects.exists()


# --- resources -------------------------------------------------------------------------------


def test_a_rating_carries_score_stars_band_status_and_indicators(world, make_key, api_get, rated):
    item = api_get("ssqs/cycles/2026/ratings?limit=1", make_key("KPM")).json()["items"][0]
    assert item["school"] == "ABA0003" and item["score"] == 72 and item["stars"] == 4
    assert item["band"] == {"code": "Advance", "label": {"ms": "Advance", "en": "Advance"}}
    assert item["status"]["code"] == "final"
    assert set(item["status"]["label"]) == {"ms", "en"}
    assert [(i["code"], i["score"]) for i in item["indicators"]] == [
        ("usage", 70.25), ("human_capital", 80.0), ("applications", 50.5),
        ("infrastructure", 66.67),
    ]  # fmt: skip
    assert item["indicators"][1]["label"] == {"ms": "Modal Insan", "en": "Human capital"}
    assert "breakdown" not in item
    datetime.datetime.fromisoformat(item["computed_at"]).utcoffset()  # an offset


def test_an_unknown_cycle_is_404(world, make_key, api_get):
    assert api_get("ssqs/cycles/1999/ratings", make_key("KPM")).status_code == 404


def test_ratings_filter_as_the_pages_do(world, make_key, api_get, rated):
    secret = make_key("KPM")
    assert codes(api_get("ssqs/cycles/2026/ratings?skm=true", secret)) == ["ABA0003"]
    assert codes(api_get("ssqs/cycles/2026/ratings?district=SGR-KLANG", secret)) == ["BBB0002"]
    assert codes(api_get("ssqs/cycles/2026/ratings?stars=1", secret)) == []
    assert codes(api_get("ssqs/cycles/2026/ratings?q=SK%20BR", secret)) == ["BBB0002"]


def test_nodes_are_those_the_key_sees(world, make_key, api_get, rated):
    from monitoring.rollups import rollups_rebuild

    rollups_rebuild(cycle_id=rated.pk)
    national = codes(api_get("ssqs/cycles/2026/nodes?limit=500", make_key("KPM")))
    assert "KPM" in national and "SGR" in national and "PRK-KINTA" in national
    state = codes(api_get("ssqs/cycles/2026/nodes", make_key("SGR")))
    assert sorted(state) == ["SGR", "SGR-KLANG", "SGR-PETALING"]
    district = api_get("ssqs/cycles/2026/nodes", make_key(world.d1.code)).json()["items"]
    assert [n["code"] for n in district] == [world.d1.code]
    assert district[0]["level"]["code"] == "district" and district[0]["rated"] == 1


def test_updated_since_pulls_only_what_changed(world, make_key, api_get, cycle):
    old = timezone.now() - datetime.timedelta(days=3)
    rate(cycle, world.a, at=old)
    rate(cycle, world.b)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = api_get("ssqs/cycles/2026/ratings", make_key("KPM"), QUERY_STRING="")
    assert len(codes(response)) == 2
    from urllib.parse import quote

    url = f"ssqs/cycles/2026/ratings?updated_since={quote(since)}"
    assert codes(api_get(url, make_key("KPM"))) == ["BBB0002"]


# --- conventions -----------------------------------------------------------------------------


def test_cursor_pages_are_complete_and_stable(world, make_key, api_get, cycle):
    for n in range(23):
        rate(cycle, SchoolFactory(code=f"ZZZ{n:04d}", district=world.d1))
    secret = make_key("KPM")
    seen, url, pages = [], "ssqs/cycles/2026/ratings?limit=5", 0
    while url:
        body = api_get(url, secret).json()
        seen += [item["school"] for item in body["items"]]
        pages += 1
        url = body["next"] and body["next"].split("/api/v1/", 1)[1]
    assert pages == 5 and seen == sorted(seen) and len(seen) == len(set(seen)) == 23


def test_a_forged_cursor_is_a_400_problem(world, make_key, api_get):
    secret = make_key("KPM")
    response = api_get("schools?cursor=abc", secret)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    # A cursor of another resource is refused too.
    body = api_get("states?limit=1", secret).json()
    assert api_get(f"schools?cursor={body['next_cursor']}", secret).status_code == 400


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=501", "limit=x", "level=nursery", "skm=maybe", "updated_since=x"]
)
def test_bad_parameters_are_400_problems(world, make_key, api_get, query):
    response = api_get(f"schools?{query}", make_key("KPM"))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["detail"]
    assert response["Content-Type"] == "application/problem+json"


def test_a_nul_is_a_400_problem(world, make_key, api_get):
    response = api_get("schools?q=%00", make_key("KPM"))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_etag_and_if_none_match(world, make_key, api_get, rated):
    secret = make_key("KPM")
    first = api_get("ssqs/cycles/2026/ratings", secret)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api_get("ssqs/cycles/2026/ratings", secret, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    rate(rated, SchoolFactory(code="YYY0001", district=world.d1))
    changed = api_get("ssqs/cycles/2026/ratings", secret, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_rate_limit_answers_429_with_retry_after(world, make_key, api_get, settings):
    settings.API_KEY_LIMIT = 3
    secret = make_key("KPM")
    assert [api_get("states", secret).status_code for _ in range(3)] == [200] * 3
    response = api_get("states", secret)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429
    # Another key is counted apart.
    assert api_get("states", make_key("KPM", name="Other")).status_code == 200


def test_public_endpoints_need_no_key_and_are_limited_per_address(world, api_get, settings):
    settings.API_PUBLIC_LIMIT = 2
    assert api_get("public/standards", REMOTE_ADDR="198.51.100.1").status_code == 200
    assert api_get("public/certificates/NOPE", REMOTE_ADDR="198.51.100.1").status_code == 404
    response = api_get("public/standards", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429 and response["Retry-After"]
    assert api_get("public/standards", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_the_index_and_docs(world, client):
    index = client.get("/api/v1/")
    assert index.status_code == 200 and "schools" in index.json()["resources"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    csp = docs["Content-Security-Policy"]
    assert "script-src 'self'" in csp


def test_the_served_schema_is_the_generated_one(world, client):
    from api.management.commands.api_schema import served_schema

    assert client.get("/api/v1/openapi.json").json() == json.loads(served_schema())


def test_the_schema_is_checked_in(world):
    """Fails when the API changes without docs/api/openapi.json: run manage.py api_schema."""
    from api.management.commands.api_schema import SCHEMA_FILE, served_schema

    assert SCHEMA_FILE.read_text() == served_schema()
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema["openapi"].startswith("3.")


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-11-01T08:00:00+08:00", "2026-11-01T00:00:00+00:00"),
        ("2026-11-01t00:00:00z", "2026-11-01T00:00:00+00:00"),
        ("2026-06-30T23:59:60Z", "2026-06-30T23:59:59+00:00"),  # a leap second
        ("3347-10-15T21:45:26+22:44", "3347-10-14T23:01:26+00:00"),  # beyond PostgreSQL's 15:59
        ("0001-01-01T00:00:00Z", "1900-01-01T00:00:00+00:00"),
        ("9999-12-31T23:00:00-05:00", "9999-12-31T00:00:00+00:00"),
    ],
)
def test_updated_since_reads_any_rfc3339_time(text, utc):
    from api.schemas import _iso_time

    assert _iso_time(text).isoformat() == utc


@pytest.mark.parametrize(
    "text", ["0.5", "2026-11-01", "2026-11-01T08:00:00", "2026-02-30T00:00:00Z"]
)
def test_updated_since_refuses_what_is_not_a_time_with_its_offset(text):
    from api.schemas import _iso_time

    with pytest.raises(ValueError):
        _iso_time(text)
