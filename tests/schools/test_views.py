import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SchoolFactory


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx)


def test_the_school_list_query_count_does_not_grow_with_schools(world, login):
    client = login(world.users["national"])
    few = count_queries(client, "/sekolah/")
    for _ in range(70):
        SchoolFactory(district=world.d1)
    assert count_queries(client, "/sekolah/") == few
    assert count_queries(client, "/sekolah/", {"page": 2}) == few


def test_the_school_list_pages_and_searches(world, login):
    for _ in range(60):
        SchoolFactory(district=world.d1)
    client = login(world.users["officer_d1"])
    content = client.get("/sekolah/").content.decode()
    assert content.count("data-school=") == 50 and 'rel="next"' in content
    assert client.get("/sekolah/", {"page": 2}).content.decode().count("data-school=") == 11
    assert client.get("/sekolah/", {"page": "zzz"}).status_code == 200
    found = client.get("/sekolah/", {"q": "alfa"}).content.decode()
    assert found.count("data-school=") == 1 and 'data-school="BBA0001"' in found


def test_an_htmx_search_answers_with_the_results_partial_only(world, login):
    response = login(world.users["national"]).get(
        "/sekolah/", {"q": "ALFA"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert 'id="results"' in content and "<html" not in content


@pytest.mark.parametrize("persona", ["coord_a", "officer_d1"])
def test_school_detail_shows_the_school_facts(world, login, persona):
    content = login(world.users[persona]).get("/sekolah/bba0001/").content.decode()
    assert "SK ALFA" in content and "PPD PETALING" in content
