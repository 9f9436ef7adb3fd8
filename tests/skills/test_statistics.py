"""Statistik (issue 16, item 8): intakes, pass rates per CU, certificates by level and place."""

import csv
import io

from django.urls import reverse

from schools.models import State
from skills.services import certificates as services

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee


def _world(sw):
    sw.centre_a.state = State.objects.create(code="JHR", name="Johor")
    sw.centre_a.save()
    officer = sw.users["cert_officer"]
    intake_a = intake_of(sw)
    for outcomes in (ALL_COMPETENT, ALL_COMPETENT, {0: "competent", 1: "not_yet"}):
        services.certificates_issue_for_enrolment(
            enrolment=enrol(sw, intake_a, trainee(), outcomes), by=officer
        )
    intake_b = intake_of(sw, centre=sw.centre_b, accreditation=sw.accreditation_b)
    import datetime

    early = sw.today - datetime.timedelta(days=60)
    services.certificates_issue_for_enrolment(
        enrolment=enrol(sw, intake_b, trainee(), ALL_COMPETENT, assessed_on=early), by=officer
    )
    return sw


def test_the_body_sees_every_centre(skills_world, login, django_assert_max_num_queries):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:statistics")
    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url, {"year": sw.today.year}).content.decode()
    assert 'data-figure="certificates">4<' in page
    assert 'data-level="SKM3" data-count="3"' in page and 'data-level="SP" data-count="1"' in page
    assert "Johor" in page and "Pusat Latihan Bravo" in page
    # CU 2: two competent of three assessed at A, one of one at B.
    assert f'data-unit="{sw.units[1].code}" data-rate="75.0"' in page


def test_a_centre_admin_sees_only_their_centre(skills_world, login):
    sw = _world(skills_world)
    page = login(sw.users["centre_admin_b"]).get(reverse("skills:statistics")).content.decode()
    assert 'data-figure="certificates">1<' in page and "Pusat Latihan Alfa" not in page
    assert 'data-figure="intakes">1<' in page


def test_the_queries_do_not_grow_with_the_data(skills_world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:statistics")
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    intake = intake_of(sw)
    for _ in range(5):
        services.certificates_issue_for_enrolment(
            enrolment=enrol(sw, intake, trainee(), ALL_COMPETENT), by=sw.users["cert_officer"]
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_the_csv_export(skills_world, login):
    sw = _world(skills_world)
    response = login(sw.users["cert_officer"]).get(
        reverse("skills:statistics"), {"year": sw.today.year, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response.status_code == 200 and len(rows) > 5
    assert any(r[1] == "SKM3" and r[3] == "3" for r in rows)


def test_the_xlsx_export(skills_world, login):
    sw = _world(skills_world)
    response = login(sw.users["cert_officer"]).get(
        reverse("skills:statistics"), {"year": sw.today.year, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_a_year_outside_the_list_is_this_year(skills_world, login):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    for bad in ("1900", "abc", "\x00", "99999999999"):
        response = client.get(reverse("skills:statistics"), {"year": bad})
        assert response.status_code in (200, 400)
