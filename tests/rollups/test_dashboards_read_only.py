"""Nothing read on a dashboard is written on a GET: no INSERT, UPDATE or DELETE.

Every officer's page of the roll-up kit's programmes (dashboards, school
tables and their exports, maps, reports, the reminder confirmation, the
targets form) is fetched with the queries captured.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.rollups import rollups_rebuild
from pibk import rollups as pibk_rollups
from pibk.services import school_year_ensure

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

SSQS_PAGES = [
    "/pemantauan/",
    "/pemantauan/keputusan/",
    "/pemantauan/national/KPM/",
    "/pemantauan/state/SGR/",
    "/pemantauan/district/SGR-PETALING/",
    "/pemantauan/national/KPM/peta.json",
    "/pemantauan/national/KPM/sekolah/",
    "/pemantauan/state/SGR/sekolah/?sort=-score&status=in_progress",
    "/pemantauan/national/KPM/sekolah/?format=csv",
    "/pemantauan/national/KPM/sekolah/?format=xlsx",
    "/pemantauan/district/SGR-PETALING/laporan.pdf",
    "/pemantauan/national/KPM/responden.csv",
    "/pemantauan/national/KPM/peringatan/",
]
PIBK_PAGES = [
    "/pibk/pemantauan/",
    "/pibk/pemantauan/national/KPM/",
    "/pibk/pemantauan/state/SGR/",
    "/pibk/pemantauan/district/SGR-PETALING/",
    "/pibk/pemantauan/national/KPM/?year=2025",  # a year with no targets row yet
    "/pibk/pemantauan/national/KPM/sekolah/",
    "/pibk/pemantauan/district/SGR-PETALING/sekolah/?reach=below&sort=-kpi2",
    "/pibk/pemantauan/national/KPM/sekolah/?format=csv",
    "/pibk/pemantauan/national/KPM/sekolah/?format=xlsx",
    "/pibk/sekolah/BBA0001/",  # an officer reading a school's page
    "/pibk/sasaran/?year=2027",
]


def writes_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), (url, response.status_code)
    return [q["sql"] for q in ctx.captured_queries if WRITE.match(q["sql"])]


@pytest.mark.parametrize("url", SSQS_PAGES)
def test_an_ssqs_officer_page_writes_nothing(world, mini_cycle, login, url):
    rollups_rebuild(cycle_id=mini_cycle.pk)
    client = login(world.users["national"])
    assert writes_of(client, url) == []


@pytest.mark.parametrize("url", PIBK_PAGES)
def test_a_pibk_officer_page_writes_nothing(world, login, monkeypatch, url):
    monkeypatch.setattr("pibk.services.today", lambda: datetime.date(2026, 11, 20))
    for school in (world.a, world.b, world.c):
        school_year_ensure(school=school, year=2026)
    pibk_rollups.summaries_rebuild(year=2026)
    pibk_rollups.rollups_rebuild(year=2026)
    client = login(world.users["national"])
    assert writes_of(client, url) == []


def test_the_pibk_state_dashboard_takes_the_same_queries_for_few_or_many_schools(
    world, login, monkeypatch
):
    from tests.factories import SchoolFactory

    monkeypatch.setattr("pibk.services.today", lambda: datetime.date(2026, 11, 20))
    client = login(world.users["national"])
    url = "/pibk/pemantauan/state/SGR/"

    def queries():
        pibk_rollups.rollups_rebuild(year=2026)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert 'data-node="SGR-PETALING"' in response.content.decode()
        return len(ctx)

    school_year_ensure(school=world.a, year=2026)
    few = queries()
    for n in range(15):
        school = SchoolFactory(code=f"BBA2{n:03d}", district=world.d1 if n % 2 else world.d2)
        school_year_ensure(school=school, year=2026)
    assert queries() == few


# PASR (issue 15): the officers' dashboards, school tables, exports and a school's analysis.
PASR_PAGES = [
    "/pasr/pemantauan/",
    "/pasr/pemantauan/national/KPM/",
    "/pasr/pemantauan/state/SGR/",
    "/pasr/pemantauan/district/SGR-PETALING/?year=2025",  # a year with no roll-ups
    "/pasr/pemantauan/national/KPM/sekolah/?results=behind&sort=verified",
    "/pasr/pemantauan/national/KPM/sekolah/?format=csv",
    "/pasr/pemantauan/national/KPM/sekolah/?format=xlsx",
    "/pasr/sekolah/BBA0001/analisis/",
    "/pasr/sekolah/BBA0001/analisis/?format=xlsx",
    "/pasr/sekolah/BBB0002/analisis/",  # a school with no PASR row yet: nothing created
    "/pasr/sekolah/BBA0001/jaminan-kualiti/",
]


@pytest.mark.parametrize("url", PASR_PAGES)
def test_a_pasr_officer_page_writes_nothing(world, login, url):
    from pasr import rollups as pasr_rollups
    from pasr.calendar import today
    from tests.pasr.factories_reports import candidate, rate_all

    world.b.has_ppki = True
    world.b.save()
    rate_all(candidate(world.a, year=today().year), "kompeten", by=world.users["pasr_teacher_a"])
    pasr_rollups.school_summary_refresh(school_id=world.a.pk, year=today().year)
    pasr_rollups.rollups_rebuild(year=today().year)
    client = login(world.users["national"])
    assert writes_of(client, url) == []


# SPMI (issue 18): the officers' pages and a school's cycle read by an officer.
SPMI_PAGES = [
    "/spmi/",
    "/spmi/pemantauan/?overdue=1",
    "/spmi/pemantauan/national/KPM/",
    "/spmi/pemantauan/state/SGR/",
    "/spmi/pemantauan/district/SGR-PETALING/?year=2025",  # a year with no roll-ups
    "/spmi/sekolah/BBA0001/",
    "/spmi/sekolah/BBA0001/pelan/",
    "/spmi/sekolah/BBB0002/",  # a school with no cycle: nothing opened by reading it
    "/spmi/standard/",
    "/spmi/contoh/",
]


@pytest.mark.parametrize("url", SPMI_PAGES)
def test_an_spmi_officer_page_writes_nothing(world, login, url):
    from spmi.rollups import rollups_rebuild
    from tests.spmi.factories import spmi_cycle

    cycle = spmi_cycle(world)
    rollups_rebuild(year=cycle.year)
    client = login(world.users["national"])
    assert writes_of(client, url) == []
