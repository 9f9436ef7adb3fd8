"""The executive report (Modul Laporan Eksekutif, issue 17 item 5): one page a tier."""

import csv
import datetime
import io
import subprocess

import pytest
from django.urls import reverse

from schools.models import State
from skills import executive_rules as xrules
from skills.models import Accreditation, Certificate, CompetencyUnit, Intake, Sector, Standard
from skills.selectors import executive as selectors
from skills.services import certificates as services
from skills.services.statistics import statistics_rebuild

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee

URL = "/kemahiran/laporan-eksekutif/"


def _world(sw):
    """Centre A (Johor): 3 certificates this year (2 SKM3, 1 SP) and one last year; centre B
    (no state): 1 this year (assessed while its accreditation was in force). An HT
    accreditation of A expiring on the quarter's last day (a renewal applied for); B's
    expired before the quarter with an intake submitted and never verified, ended 100 days
    before the quarter (overdue); A's intake that ended 10 days ago is not overdue."""
    today = sw.today
    first, last = xrules.quarter_bounds(today)
    sw.johor = State.objects.create(code="JHR", name="Johor")
    sw.centre_a.state = sw.johor
    sw.centre_a.save()
    officer = sw.users["cert_officer"]
    intake_a = intake_of(sw)
    for outcomes in (ALL_COMPETENT, ALL_COMPETENT, {0: "competent", 1: "not_yet"},
                     ALL_COMPETENT):  # fmt: skip
        services.certificates_issue_for_enrolment(
            enrolment=enrol(sw, intake_a, trainee(), outcomes), by=officer
        )
    # One of A's SKM3 was first issued on 1 January last year (inside any "same period").
    moved = Certificate.objects.filter(centre=sw.centre_a, kind="SKM3").first()
    Certificate.objects.filter(pk=moved.pk).update(issued_on=datetime.date(today.year - 1, 1, 1))
    intake_b = intake_of(sw, centre=sw.centre_b, accreditation=sw.accreditation_b)
    services.certificates_issue_for_enrolment(
        enrolment=enrol(sw, intake_b, trainee(), ALL_COMPETENT,
                        assessed_on=today - datetime.timedelta(days=60)),
        by=officer,
    )  # fmt: skip
    Accreditation.objects.filter(pk=sw.accreditation_b.pk).update(
        expires_on=first - datetime.timedelta(days=1)
    )
    sw.overdue = Intake.objects.create(
        centre=sw.centre_b, accreditation=sw.accreditation_b, code="B-LAMA",
        starts_on=first - datetime.timedelta(days=300),
        ends_on=first - datetime.timedelta(days=100), state="submitted",
    )  # fmt: skip
    intake_of(sw, state="open", code="A-BARU")  # ended 10 days ago: not overdue
    sw.hospitality = Sector.objects.create(code="HT", name_ms="Hospitaliti",
                                           name_en="Hospitality")  # fmt: skip
    kitchen = Standard.objects.create(code="I561-001-1:2018", title_ms="Operasi Dapur",
                                      title_en="Kitchen operation", sector=sw.hospitality,
                                      level=1)  # fmt: skip
    CompetencyUnit.objects.create(standard=kitchen, code="I561-C01", title_ms="U", title_en="U",
                                  hours=10)  # fmt: skip
    sw.expiring = Accreditation.objects.create(
        centre=sw.centre_a, standard=kitchen, state="approved",
        valid_from=today - datetime.timedelta(days=700), expires_on=last,
    )  # fmt: skip
    Accreditation.objects.create(centre=sw.centre_a, standard=kitchen, state="applied")
    for year in (today.year, today.year - 1):
        statistics_rebuild(year=year)
    return sw


@pytest.fixture
def xw(skills_world):
    from django.core.cache import cache

    cache.clear()  # last year's same period is kept an hour: not another test's
    return _world(skills_world)


def _page(client, **query):
    response = client.get(URL, query)
    return response, response.content.decode()


def test_the_nation(xw, login, english, django_assert_num_queries):
    client = login(xw.users["cert_officer"])
    client.get(URL)
    # Constant: session, user, grants, the two years' figures, sectors, overdue,
    # accreditations, the states to choose from; and the request's savepoint and its
    # release (ATOMIC_REQUESTS). Last year's same period: once an hour (the cache).
    with django_assert_num_queries(10):
        response, page = _page(client)
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(11):  # the first look of the hour: last year's aggregate
        again = client.get(URL).content.decode()
    assert again.count("data-headline") == page.count("data-headline")
    assert response.status_code == 200
    assert 'data-tier="nation:"' in page
    assert 'data-headline="certified" data-value="4"' in page
    assert 'data-headline="overdue" data-value="1"' in page
    assert 'data-headline="expiring" data-value="1"' in page
    # 4 this year against 1 in the same period of last year: +300 %.
    assert 'data-headline="change" data-value="300.0"' in page
    assert '<tr data-sector="IT" data-total="4" data-last="1">' in page
    assert 'data-kind="SKM3" data-count="3"' in page and 'data-kind="SP" data-count="1"' in page
    assert 'data-centre="PB-B002" data-intakes="1"' in page
    last_day = xrules.quarter_bounds(xw.today)[1]
    assert f'data-standard="I561-001-1:2018" data-expires="{last_day:%Y-%m-%d}"' in page
    assert 'data-renewal="true"' in page
    # B's accreditation expired before the quarter with its intake still submitted.
    assert 'data-accreditations="expired"' in page
    assert page.count('data-standard="IT-010-3:2016"') == 1
    assert "ended more than 60 days ago" in page  # the definition, written on the page
    assert 'data-print="skills-executive-report"' in page
    for personal in ("Siti binti Ahmad", "9001011"):
        assert personal not in page


def test_the_query_count_does_not_grow(xw, login, django_assert_num_queries):
    client = login(xw.users["cert_officer"])
    client.get(URL)
    with django_assert_num_queries(10):
        client.get(URL)
    # More of everything: certificates, overdue intakes at more centres, expiring ones.
    from skills.models import Centre

    first, last = xrules.quarter_bounds(xw.today)
    for i in range(4):
        centre = Centre.objects.create(code=f"PB-X{i}", name=f"Pusat {i}", state=xw.johor)
        acc = Accreditation.objects.create(centre=centre, standard=xw.standard, state="approved",
                                           valid_from=first, expires_on=last)  # fmt: skip
        Intake.objects.create(centre=centre, accreditation=acc, code="L", state="open",
                              starts_on=first - datetime.timedelta(days=400),
                              ends_on=first - datetime.timedelta(days=200))  # fmt: skip
        services.certificates_issue_for_enrolment(
            enrolment=enrol(xw, intake_of(xw, centre=centre, accreditation=acc), trainee(),
                            ALL_COMPETENT),
            by=xw.users["cert_officer"],
        )  # fmt: skip
    statistics_rebuild(year=xw.today.year)
    with django_assert_num_queries(10):
        response, page = _page(client)
    assert 'data-headline="overdue" data-value="5"' in page


@pytest.mark.parametrize(
    ("tier", "code"),
    [("nation", ""), ("state", "JHR"), ("state", "-"), ("sector", "IT"), ("sector", "HT"),
     ("centre", "PB-A001"), ("centre", "PB-B002")],
)  # fmt: skip
def test_the_stored_figures_equal_the_live_aggregate(xw, tier, code):
    from skills.access import executive_tier

    found = executive_tier(xw.users["cert_officer"], tier, code)
    for year in (xw.today.year, xw.today.year - 1):
        stored, _before = selectors.certificate_counts_stored(found, year)
        live = selectors.certificate_counts_live(
            found, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        )
        assert dict(stored) == live, (tier, code, year)


def test_the_tiers(xw, login):
    client = login(xw.users["cert_officer"])
    _r, page = _page(client, state="JHR")
    assert 'data-tier="state:JHR"' in page and 'data-headline="certified" data-value="3"' in page
    assert 'data-headline="overdue" data-value="0"' in page  # B has no state
    assert 'data-headline="expiring" data-value="1"' in page
    _r, page = _page(client, state="-")
    assert 'data-headline="certified" data-value="1"' in page
    assert 'data-headline="overdue" data-value="1"' in page
    _r, page = _page(client, sector="HT")
    assert 'data-headline="certified" data-value="0"' in page
    assert 'data-headline="expiring" data-value="1"' in page
    assert 'data-headline="overdue" data-value="0"' in page
    _r, page = _page(client, centre="pb-b002")  # any case
    assert 'data-tier="centre:PB-B002"' in page and 'data-headline="overdue" data-value="1"' in page
    _r, page = _page(client, year=xw.today.year - 1)
    # A past year: compared with the whole year before it (none here).
    assert 'data-headline="certified" data-value="1"' in page
    assert 'data-headline="change" data-value=""' in page


def test_a_centre_admin_sees_their_own_centre_only(xw, login):
    client = login(xw.users["centre_admin_a"])
    response, page = _page(client)
    assert response.status_code == 200 and 'data-tier="centre:PB-A001"' in page
    assert 'data-headline="certified" data-value="3"' in page
    assert "PB-B002" not in page and "data-tiers" not in page
    for query in ({"centre": "PB-B002"}, {"state": "JHR"}, {"sector": "IT"}, {"state": "-"},
                  {"centre": "PB-NONE"}, {"centre": "PB-B002", "format": "csv"}):  # fmt: skip
        assert client.get(URL, query).status_code == 404, query
    assert client.get(URL, {"centre": "PB-A001", "format": "pdf"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"year": "1900"}, 400, "The year must be one of"),
        ({"year": "abc"}, 400, "The year must be one of"),
        ({"year": "²"}, 400, "The year must be one of"),
        ({"year": "99999999999999999999"}, 400, "The year must be one of"),
        ({"state": "JHR", "sector": "IT"}, 400, "Choose one of state, sector or centre"),
        ({"format": "doc"}, 400, "The format must be csv, xlsx or pdf"),
        ({"centre": "x" * 200}, 400, "at most 20 characters"),
        ({"state": "J\x00"}, 400, ""),
        ({"state": "XXX"}, 404, ""),
        ({"sector": "ZZ"}, 404, ""),
        ({"centre": "PB-NONE"}, 404, ""),
        ({"centre": "' OR 1=1 --"}, 404, ""),
    ],
)
def test_hostile_input_is_named_or_not_found(xw, login, english, query, status, message):
    response = login(xw.users["cert_officer"]).get(URL, query)
    assert response.status_code == status
    if message:
        assert message in response.content.decode()


def test_who_may_see_it_at_all(xw, login):
    assert login(xw.users["assessor_ab"]).get(URL).status_code == 403
    assert login(xw.users["trainee"]).get(URL).status_code == 403
    assert login(xw.users["assessor_ab"]).get(URL, {"year": "abc"}).status_code == 403
    assert login(None).get(URL).status_code == 302


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_in_english_and_malay(xw, login):
    client = login(xw.users["cert_officer"])
    client.cookies["ssqs_language"] = "en"
    response = client.get(URL, {"format": "csv"})
    assert f"skills-executive-report-{xw.today.year}-malaysia.csv" in response[
        "Content-Disposition"]  # fmt: skip
    rows = _csv(response)
    assert rows[0][:3] == ["Section", "Code", "Name"]
    certified = f"Certificates issued in {xw.today.year}"
    assert [certified, "", "All sectors", "SKM3", "3", "1", "200.0", "", ""] in rows
    assert any(r[0] == "Centres overdue for verification" and r[1] == "PB-B002" for r in rows)
    assert any(r[0].startswith("Accreditations expiring in Q") and r[1] == "PB-A001"
               and r[-1] == "Renewal applied for or approved" for r in rows)  # fmt: skip
    text = "\n".join(",".join(r) for r in rows)
    assert "Siti binti Ahmad" not in text and "9001011" not in text  # nothing personal
    client.cookies["ssqs_language"] = "ms"
    rows = _csv(client.get(URL, {"format": "csv"}))
    assert rows[0][0] != "Section"  # the user's language: Malay


def test_the_xlsx(xw, login):
    from openpyxl import load_workbook

    response = login(xw.users["cert_officer"]).get(URL, {"format": "xlsx", "sector": "IT"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(data))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "PB-B002" in values and "Siti binti Ahmad" not in values


def test_the_pdf_renders(xw, login, tmp_path):
    response = login(xw.users["cert_officer"]).get(URL, {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"skills-executive-report-{xw.today.year}-malaysia.pdf" in response[
        "Content-Disposition"]  # fmt: skip
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "PB-B002" in text and "I561-001-1:2018" in text
    assert "Siti binti Ahmad" not in text


def test_the_menu_links_it_for_who_may_see_it(xw, login):
    page = login(xw.users["cert_officer"]).get(reverse("skills:statistics")).content.decode()
    assert f'href="{URL}"' in page
    page = login(xw.users["centre_admin_a"]).get(reverse("skills:statistics")).content.decode()
    assert f'href="{URL}"' in page
    page = login(xw.users["assessor_ab"]).get("/kemahiran/").content.decode()
    assert f'href="{URL}"' not in page
