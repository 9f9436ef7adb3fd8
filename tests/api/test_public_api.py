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
