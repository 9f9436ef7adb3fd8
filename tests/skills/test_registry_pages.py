"""The public NOSS registry: search, filters, paging, no login, constant queries."""

import io

import pytest
from django.core.management import call_command

from skills.models import Accreditation, Centre, Standard


@pytest.fixture
def registry(db):
    call_command("import_noss", "skills/data/noss-demo.csv", "--demo", stdout=io.StringIO())


def codes(response):
    import re

    return re.findall(r'<tr data-standard="([^"]+)"', response.content.decode())


def test_anyone_reads_the_list_without_logging_in(client, registry):
    response = client.get("/kemahiran/noss/")
    assert response.status_code == 200
    assert len(codes(response)) == 8
    assert "data-demo-registry" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "dapur"}, {"I561-001-1:2018", "I561-001-4:2019"}),
        ({"q": "kitchen"}, {"I561-001-1:2018", "I561-001-4:2019"}),
        ({"q": "a011"}, {"A011-001-2:2018"}),
        ({"sector": "AU"}, {"MC-050-2:2015", "C293-005-5:2020"}),
        ({"level": "5"}, {"C293-005-5:2020"}),
        ({"sector": "IT", "level": "3"}, {"IT-010-3:2016", "J620-003-3:2021"}),
        ({"level": "9"}, None),  # ignored: every standard
        ({"level": "²"}, None),
        ({"sector": "ZZ"}, set()),
    ],
)
def test_search_and_filters(client, registry, params, expected):
    found = set(codes(client.get("/kemahiran/noss/", params)))
    assert found == (set(Standard.objects.values_list("code", flat=True)) if expected is None
                     else expected)  # fmt: skip


def test_the_list_pages(client, registry, settings, monkeypatch):
    monkeypatch.setattr("skills.views.registry.PAGE_SIZE", 3)
    first = codes(client.get("/kemahiran/noss/"))
    third = codes(client.get("/kemahiran/noss/", {"page": "3"}))
    assert len(first) == 3 and len(third) == 2 and not set(first) & set(third)
    assert codes(client.get("/kemahiran/noss/", {"page": "x"})) == first


def test_the_list_counts_cus_and_hours(client, registry):
    content = client.get("/kemahiran/noss/", {"q": "A011"}).content.decode()
    assert ">4</td>" in content and ">460</td>" in content


def test_the_list_takes_the_same_queries_whatever_the_number_of_standards(client, registry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from skills.models import CompetencyUnit, Sector

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/kemahiran/noss/").status_code == 200
        return len(context)

    few = count()
    sector = Sector.objects.create(code="ZZ", name_ms="Lain", name_en="Other")
    for n in range(30):
        standard = Standard.objects.create(code=f"ZZ-{n:03d}-1:2020", title_ms="T", title_en="T",
                                           sector=sector, level=1)  # fmt: skip
        CompetencyUnit.objects.create(standard=standard, code="C01", title_ms="U", title_en="U",
                                      hours=10)  # fmt: skip
    assert count() == few <= 5  # three reads and the request's savepoint


def test_the_standard_page_shows_cus_hours_versions_and_centres(client, registry):
    standard = Standard.objects.get(code="J620-003-3:2021")
    old = Standard.objects.get(code="IT-010-3:2016")
    live = Centre.objects.create(code="PB-X1", name="Pusat Satu")
    lapsed = Centre.objects.create(code="PB-X2", name="Pusat Dua")
    waiting = Centre.objects.create(code="PB-X3", name="Pusat Tiga")
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    Accreditation.objects.create(
        centre=live,
        standard=standard,
        state="approved",
        valid_from=today,
        expires_on=today + datetime.timedelta(days=9),
    )
    Accreditation.objects.create(
        centre=lapsed,
        standard=standard,
        state="approved",
        valid_from=today - datetime.timedelta(days=90),
        expires_on=today - datetime.timedelta(days=1),
    )
    Accreditation.objects.create(centre=waiting, standard=standard)  # fmt: skip
    content = client.get(f"/kemahiran/noss/{standard.code}/").content.decode()
    assert content.count("data-unit=") == 5
    assert 'data-total-hours="760"' in content
    assert 'data-supersedes="IT-010-3:2016"' in content
    assert 'data-centre="PB-X1"' in content
    assert 'data-centre="PB-X2"' not in content and 'data-centre="PB-X3"' not in content
    old_page = client.get(f"/kemahiran/noss/{old.code}/").content.decode()
    assert 'data-superseded-by="J620-003-3:2021"' in old_page


def test_the_standard_page_takes_constant_queries(client, registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # five reads and the savepoint
        assert client.get("/kemahiran/noss/J620-003-3:2021/").status_code == 200


def test_an_unknown_standard_is_404(client, registry):
    assert client.get("/kemahiran/noss/XX-000-1:2000/").status_code == 404


def test_the_public_pages_show_no_identity_number(client, skills_world):
    for url in ("/kemahiran/noss/", f"/kemahiran/noss/{skills_world.standard.code}/"):
        content = client.get(url).content.decode()
        assert skills_world.trainee.id_number not in content
        assert skills_world.trainee.name not in content
