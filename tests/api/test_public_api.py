"""The public endpoints: the NOSS registry and the certificate check, no key needed."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(world):
    from skills.models import Accreditation, Centre, CompetencyUnit, Sector, Standard

    sector = Sector.objects.create(code="IT", name_ms="Teknologi Maklumat", name_en="IT")
    standard = Standard.objects.create(
        code="IT-010-3:2016", title_ms="Perisian", title_en="Software", sector=sector, level=3
    )
    CompetencyUnit.objects.create(standard=standard, code="IT-010-3:2016-C01",
                                  title_ms="Unit", title_en="Unit", hours=40)  # fmt: skip
    today = timezone.localdate()
    for code, state, expires in [
        ("PB-1", "approved", today + datetime.timedelta(days=30)),
        ("PB-2", "approved", today - datetime.timedelta(days=1)),  # expired
        ("PB-3", "applied", None),  # not decided
    ]:
        centre = Centre.objects.create(code=code, name=f"Pusat {code}", state=world.s1)
        Accreditation.objects.create(
            centre=centre, standard=standard, state=state, expires_on=expires
        )
    return standard


def test_the_registry_lists_standards(registry, api_get):
    body = api_get("public/standards?q=perisian").json()
    assert [s["code"] for s in body["items"]] == ["IT-010-3:2016"]
    item = body["items"][0]
    assert item["title"] == {"ms": "Perisian", "en": "Software"}
    assert (item["units"], item["total_hours"], item["sector"]["code"]) == (1, 40, "IT")


def test_a_standard_shows_the_centres_accredited_today_only(registry, api_get):
    body = api_get("public/standards/IT-010-3:2016").json()
    assert [a["centre_code"] for a in body["accreditations"]] == ["PB-1"]
    assert body["accreditations"][0]["state"] == "SGR"
    assert body["competency_units"][0]["hours"] == 40
    assert api_get("public/standards/NOPE").status_code == 404


def test_the_certificate_check_shows_what_the_public_page_shows(world, api_get):
    import io

    from schools.demo import DEMO_PASSWORD
    from skills.demo import seed
    from skills.models import Certificate

    seed(io.StringIO(), DEMO_PASSWORD)
    certificate = Certificate.objects.filter(status="valid").first()
    body = api_get(f"public/certificates/{certificate.reference}").json()
    assert body["reference"] == certificate.reference
    assert body["holder_name"] == certificate.holder_name
    assert body["status"]["code"] == "valid"
    assert "id_number" not in str(body) and "trainee" not in body
    superseded = Certificate.objects.filter(status="superseded").first()  # the demo has one
    again = api_get(f"public/certificates/{superseded.reference}").json()
    assert again["current_reference"] and again["current_reference"] != superseded.reference


def test_the_accreditations_in_force_are_public_and_paged(registry, api_get):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from skills.models import Accreditation, Centre

    today = timezone.localdate()
    for n in range(4, 9):  # five more centres accredited today, one suspended
        centre = Centre.objects.create(code=f"PB-{n}", name=f"Pusat {n}")
        Accreditation.objects.create(
            centre=centre, standard=registry, state="suspended" if n == 8 else "approved",
            valid_from=today - dt.timedelta(days=10), expires_on=today + dt.timedelta(days=90),
        )  # fmt: skip
    body = api_get("public/accreditations?limit=2").json()
    seen = [a["centre_code"] for a in body["items"]]
    while body["next_cursor"]:
        body = api_get(f"public/accreditations?limit=2&cursor={body['next_cursor']}").json()
        seen += [a["centre_code"] for a in body["items"]]
    counts = []
    for limit in (1, 5):  # the same queries whatever the page's size
        with CaptureQueriesContext(connection) as queries:
            api_get(f"public/accreditations?limit={limit}")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # In force only: not the expired PB-2, the undecided PB-3 or the suspended PB-8.
    assert sorted(seen) == ["PB-1", "PB-4", "PB-5", "PB-6", "PB-7"]
    item = api_get("public/accreditations?centre=pb-1").json()["items"][0]
    assert (item["standard_code"], item["state"], item["mode"]["code"]) == (
        "IT-010-3:2016", "SGR", "full")  # fmt: skip
    assert api_get("public/accreditations?state=SGR").json()["items"][0]["centre_code"] == "PB-1"
    assert api_get("public/accreditations?standard=NOPE").json()["items"] == []
    assert api_get("public/accreditations?bogus=1").status_code == 400
