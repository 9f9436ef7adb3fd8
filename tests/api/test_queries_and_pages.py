"""Constant queries per API page, and the administrators' key pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import keys
from api.models import ApiCall, ApiKey
from tests.api.conftest import rate
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _queries(api_get, path, secret):
    with CaptureQueriesContext(connection) as captured:
        response = api_get(path, secret)
    assert response.status_code == 200, response.content
    return len(captured), len(response.json().get("items", []))


@pytest.mark.parametrize("unit", ["KPM", "SGR", "SGR-PETALING"])
@pytest.mark.parametrize(
    "path",
    [
        "schools?limit={n}",
        "ssqs/cycles/2026/ratings?limit={n}",
        "ssqs/cycles/2026/ratings?limit={n}&state=SGR&stars=4",
        "pibk/years/2026/schools?limit={n}",
    ],
)
def test_queries_per_page_do_not_grow_with_its_size(world, cycle, make_key, api_get, path, unit):
    from pibk.models import SchoolYear

    for n in range(120):
        school = SchoolFactory(code=f"ZZZ{n:04d}", district=world.d1)
        rate(cycle, school)
        SchoolYear.objects.create(
            school=school, district=school.district, state=school.district.state, year=2026,
            mode="counts",
        )  # fmt: skip
    secret = make_key(unit)
    api_get("schools?limit=1", secret)  # last_used_at written: later calls do not write it
    small, small_items = _queries(api_get, path.format(n=10), secret)
    large, large_items = _queries(api_get, path.format(n=100), secret)
    assert (small_items, large_items) == (10, 100)
    assert small == large
    # the request's savepoint and release, the key, (the cycle), the rows, the call's log
    # line and, on PostgreSQL, its asynchronous commit
    assert large <= 7


def test_the_next_page_costs_the_same(world, cycle, make_key, api_get):
    for n in range(30):
        rate(cycle, SchoolFactory(code=f"ZZZ{n:04d}", district=world.d1))
    secret = make_key("KPM")
    api_get("schools?limit=1", secret)
    first = api_get("ssqs/cycles/2026/ratings?limit=10", secret).json()
    path = first["next"].split("/api/v1/", 1)[1]
    assert (
        _queries(api_get, "ssqs/cycles/2026/ratings?limit=10", secret)[0]
        == _queries(api_get, path, secret)[0]
    )


# --- the administrators' pages -----------------------------------------------------------


def test_an_admin_makes_a_key_and_sees_it_once(world, login):
    client = login(world.users["admin"])
    page = client.get("/pentadbir/kunci-api/")
    assert page.status_code == 200
    response = client.post(
        "/pentadbir/kunci-api/",
        {"name": "Statistik JPN", "unit": "sgr", "programmes": ["ssqs"]},
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert key.key_hash == keys.digest(secret) and key.created_by == world.users["admin"]
    assert (key.unit_kind, key.unit_code, key.programmes) == ("state", "SGR", ["ssqs"])
    assert response["Cache-Control"] == "no-store, private"
    # Never again: the list and the key's page show the prefix only.
    for url in ("/pentadbir/kunci-api/", f"/pentadbir/kunci-api/{key.pk}/"):
        html = client.get(url).content.decode()
        assert secret not in html and key.prefix in html


@pytest.mark.parametrize(
    "form",
    [
        {"name": "", "unit": "KPM"},
        {"name": "X", "unit": "NOWHERE"},
        {"name": "X", "unit": "BBA0001"},
        {"name": "X", "unit": "KPM", "programmes": ["skills"]},
        {"name": "X\x00", "unit": "KPM"},
        {"name": "X" * 200, "unit": "KPM"},
    ],
)
def test_a_bad_key_form_says_why_and_saves_nothing(world, login, form):
    client = login(world.users["admin"])
    response = client.post("/pentadbir/kunci-api/", form)
    assert response.status_code == 200
    assert "data-api-key-secret" not in response.content.decode()
    assert not ApiKey.objects.exists()


def test_an_admin_revokes_a_key_and_sees_its_calls(world, login, make_key, api_get):
    secret = make_key("KPM")
    api_get("schools?level=primary", secret)
    key = ApiKey.objects.get()
    client = login(world.users["admin"])
    page = client.get(f"/pentadbir/kunci-api/{key.pk}/").content.decode()
    assert "/api/v1/schools?level=primary" in page and 'data-status="200"' in page
    response = client.post(f"/pentadbir/kunci-api/{key.pk}/batal/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api_get("schools", secret).status_code == 401
    # The revoked key's attempt is on its page too.
    calls = ApiCall.objects.filter(key=key).order_by("pk")
    assert list(calls.values_list("status", flat=True)) == [200, 401]


@pytest.mark.parametrize("persona", ["national", "officer_s1", "coord_a", "head_a"])
def test_only_ministry_admins_manage_keys(world, login, make_key, persona):
    make_key("KPM")
    key = ApiKey.objects.get()
    client = login(world.users[persona])
    assert client.get("/pentadbir/kunci-api/").status_code == 403
    assert client.post("/pentadbir/kunci-api/", {"name": "X", "unit": "KPM"}).status_code == 403
    assert client.post(f"/pentadbir/kunci-api/{key.pk}/batal/").status_code == 403
    assert ApiKey.objects.count() == 1
    key.refresh_from_db()
    assert key.revoked_at is None
