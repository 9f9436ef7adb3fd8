"""PIBK pages as people use them: the coordinator's lists, the district's acts, dashboards."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.review.models import ReviewEvent, ReviewSubject
from pibk.family_register import register_import
from pibk.models import Attendance, Family, PibkRollUp
from pibk.rollups import rollups_rebuild
from pibk.services import school_year_ensure
from tests.factories import SchoolFactory
from tests.pibk.conftest import csv_bytes

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 15)


@pytest.fixture
def sy(world, day):
    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(school_year=school_year, data=csv_bytes(), filename="d.csv", on=JAN)
    return school_year


def test_the_coordinator_imports_a_register_from_the_page(world, login, day):
    client = login(world.users["coord_a"])
    upload = io.BytesIO(csv_bytes())
    upload.name = "daftar.csv"
    response = client.post("/pibk/daftar/", {"file": upload}, follow=True)
    assert 'data-families="4"' in response.content.decode()
    assert Family.objects.filter(school_year__school=world.a).count() == 4


def test_a_bad_register_lists_its_problems_and_imports_nothing(world, login, day):
    client = login(world.users["coord_a"])
    upload = io.BytesIO(b"ID_KELUARGA,NAMA_MURID,TAHUN\nK1,Ali,1\nK2,Abu,Tingkatan 9\n")
    upload.name = "daftar.csv"
    content = client.post("/pibk/daftar/", {"file": upload}).content.decode()
    assert 'data-import-errors="1"' in content and "Tingkatan 9" in content
    assert not Family.objects.exists()


def test_ticking_a_family_with_htmx_returns_its_row_and_the_new_counts(sy, world, login):
    client = login(world.users["coord_a"])
    k2 = Family.objects.get(key="K2")
    response = client.post(
        f"/pibk/aktiviti/E/tanda/{k2.pk}/", {"present": "1"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-family="K2" data-present="true"' in content
    assert 'data-attended="1"' in content and 'hx-swap-oob="true"' in content
    assert Attendance.objects.filter(family=k2, activity__code="E").exists()


def test_a_tick_after_the_deadline_is_refused_with_the_reason(sy, world, login):
    client = login(world.users["coord_a"])
    k1 = Family.objects.get(key="K1")
    response = client.post(
        f"/pibk/aktiviti/A/tanda/{k1.pk}/", {"present": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "tarikh akhir telah berlalu" in response.content.decode()
    assert not Attendance.objects.exists()


def test_searching_the_attendance_list_answers_the_list_only(sy, world, login):
    client = login(world.users["coord_a"])
    response = client.get(
        "/pibk/aktiviti/C/", {"q": "kavitha"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="family-list"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="family-list">')
    assert 'data-family="K3"' in content and 'data-family="K1"' not in content


def test_the_attendance_list_takes_the_same_queries_for_5_or_60_families(sy, world, login):
    client = login(world.users["coord_a"])
    client.get("/pibk/aktiviti/C/")
    with CaptureQueriesContext(connection) as small:
        client.get("/pibk/aktiviti/C/")
    rows = "".join(f"F{n},Guardian {n},Pupil {n},{1 + n % 6},,,\n" for n in range(60))
    register_import(
        school_year=sy,
        data=csv_bytes() + rows.encode(),
        filename="d.csv",
        on=datetime.date(2026, 11, 1),
    )
    with CaptureQueriesContext(connection) as large:
        content = client.get("/pibk/aktiviti/C/").content.decode()
    assert content.count("data-family=") == 40  # one page
    assert len(large) == len(small)


def test_the_district_verifies_a_window_and_sees_the_average_move(sy, world, login):
    coordinator = login(world.users["coord_a"])
    for key in ("K1", "K2"):
        family = Family.objects.get(key=key)
        coordinator.post(f"/pibk/aktiviti/E/tanda/{family.pk}/", {"present": "1"})
    district = login(world.users["officer_d1"])
    page = district.get(f"/pibk/sekolah/{world.a.code}/").content.decode()
    assert 'data-average="100.00"' in page  # E: 2 of 2 expected families came
    # F (awards day) is not held yet: the district confirms it verifies incomplete data.
    district.post(
        f"/pibk/sekolah/{world.a.code}/semak/",
        {"window": "K1-NOV", "decision": "verified", "confirm": "1"},
    )
    subject = ReviewSubject.objects.get(programme="pibk", school=world.a, window="K1-NOV")
    assert (subject.year, subject.state) == (sy.year, "verified")
    assert ReviewEvent.objects.get().by == world.users["officer_d1"]
    page = district.get(f"/pibk/sekolah/{world.a.code}/").content.decode()
    assert 'data-window="K1-NOV" data-status="verified" data-open="false"' in page


def test_the_district_reopens_a_closed_window(sy, world, login):
    client = login(world.users["officer_d1"])
    client.post(
        f"/pibk/sekolah/{world.a.code}/buka/",
        {"window": "K1-MAR", "until": "2026-11-27", "reason": "banjir"},
    )
    subject = ReviewSubject.objects.get(programme="pibk", school=world.a, window="K1-MAR")
    assert (subject.year, subject.reopened_until) == (sy.year, datetime.date(2026, 11, 27))
    coordinator = login(world.users["coord_a"])
    k1 = Family.objects.get(key="K1")
    coordinator.post(f"/pibk/aktiviti/A/tanda/{k1.pk}/", {"present": "1"})
    assert Attendance.objects.filter(activity__code="A").count() == 1


def test_counts_only_form_refuses_impossible_counts_and_saves_nothing(world, login, day):
    client = login(world.users["coord_b"])
    content = client.post(
        "/pibk/bilangan/",
        {"held_on_E": "2026-08-01", "expected_E": "10", "attended_E": "12", "families": "30"},
    ).content.decode()
    assert "12 hadir melebihi 10 yang sepatutnya hadir" in content
    assert world.b.pibk.get().activities.get(code="E").attended == 0


def _national_rollups(world, schools):
    for n in range(schools):
        school = SchoolFactory(code=f"BBA1{n:03d}", district=world.d1)
        school_year_ensure(school=school, year=2026)
    rollups_rebuild(year=2026)


@pytest.mark.parametrize(
    "url", ["/pibk/pemantauan/national/KPM/", "/pibk/pemantauan/district/SGR-PETALING/"]
)
def test_dashboards_take_the_same_queries_for_few_or_many_schools(world, login, day, url):
    client = login(world.users["national"])
    _national_rollups(world, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _national_rollups(world, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and "data-kpi1=" in response.content.decode()
    assert len(many) == len(few)


def test_a_node_without_data_says_so(world, login, day):
    content = login(world.users["national"]).get("/pibk/pemantauan/national/KPM/").content.decode()
    assert 'data-rollup="none"' in content


def test_the_school_table_filters_exports_and_names_nonsense(sy, world, login):
    rollups_rebuild(year=2026)
    client = login(world.users["officer_s1"])
    response = client.get("/pibk/pemantauan/state/SGR/sekolah/", {"reach": "maybe", "sort": "x"})
    content = response.content.decode()
    assert response.status_code == 200 and "reach, sort" in content
    assert f'data-school="{world.a.code}"' in content
    csv = b"".join(
        client.get("/pibk/pemantauan/state/SGR/sekolah/", {"format": "csv"}).streaming_content
    ).decode()
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("Kod sekolah,Sekolah,Daerah (PPD)")
    assert world.a.code in csv and world.c.code not in csv
    xlsx = client.get("/pibk/pemantauan/state/SGR/sekolah/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_school_table_export_speaks_the_pages_language(sy, world, login):
    rollups_rebuild(year=2026)
    client = login(world.users["officer_s1"])
    url = "/pibk/pemantauan/state/SGR/sekolah/"
    for language, header, mode in [
        ("ms", "Kod sekolah,Sekolah,", "Daftar keluarga"),
        ("en", "School code,School,", "Family register"),
    ]:
        client.cookies["ssqs_language"] = language
        csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
        first, *rows = csv.lstrip("\ufeff").splitlines()
        assert first.startswith(header), first
        assert ",register," not in ",".join(rows) and any(mode in row for row in rows), rows


def test_the_school_table_sorts_by_kpi2_as_a_rate_and_filters_by_entry(world, login, day):
    from pibk.models import SchoolYear

    many = school_year_ensure(school=world.a, year=2026)  # 10 of 100 families: 10 %
    SchoolYear.objects.filter(pk=many.pk).update(families=100, volunteers=10)
    few = school_year_ensure(school=world.b, year=2026)  # 5 of 10 families: 50 %
    SchoolYear.objects.filter(pk=few.pk).update(families=10, volunteers=5, mode="counts")
    client = login(world.users["officer_s1"])
    url = "/pibk/pemantauan/state/SGR/sekolah/"
    content = client.get(url, {"sort": "-kpi2"}).content.decode()
    assert re.findall(r'data-school="(\w+)"', content) == [world.b.code, world.a.code]
    assert "50.00%" in content and "10.00%" in content  # the rate, beside 5/10 and 10/100
    content = client.get(url, {"mode": "counts"}).content.decode()
    assert re.findall(r'data-school="(\w+)"', content) == [world.b.code]
    assert 'name="mode"' in content and 'value="-kpi2"' in content


def test_the_school_report_is_a_pdf(sy, world, login):
    response = login(world.users["coord_a"]).get(f"/pibk/sekolah/{world.a.code}/laporan.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"


def test_national_admins_edit_the_targets(world, login, day):
    client = login(world.users["national"])
    targets = {
        "kpi1_target": "88",
        "kpi2_target": "30",
        "kpi2_goal": "60",
        "kpi2_goal_year": "2030",
    }
    client.post("/pibk/sasaran/?year=2026", targets)
    from pibk.models import PibkYear

    assert PibkYear.objects.get(year=2026).kpi1_target == 88
    assert login(world.users["officer_s1"]).get("/pibk/sasaran/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_rollups_follow_a_tick_once_per_request(world, login, day, monkeypatch):
    import pibk.rollups

    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(school_year=school_year, data=csv_bytes(), filename="d.csv", on=JAN)
    rebuilds = []
    real = pibk.rollups.rollups_rebuild
    monkeypatch.setattr(
        pibk.rollups, "rollups_rebuild", lambda **kw: rebuilds.append(kw) or real(**kw)
    )
    client = login(world.users["coord_a"])
    family = Family.objects.get(key="K2")
    client.post(f"/pibk/aktiviti/E/tanda/{family.pk}/", {"present": "1"})
    assert rebuilds == [{"year": 2026}]  # the tick and the summary asked; it ran once
    nation = PibkRollUp.objects.get(period=2026, level="national")
    assert nation.activity_rates["E"] == 50.0


def test_marking_a_sports_participant_makes_the_family_expected_at_sports_day(sy, world, login):
    from pibk.models import Pupil

    client = login(world.users["coord_a"])
    arjun = Pupil.objects.get(name="Arjun")  # K3, Year 3, not in sports yet
    assert sy.activities.get(code="E").expected == 2
    response = client.post(f"/pibk/murid/{arjun.pk}/sports/", {"on": "1"}, HTTP_HX_REQUEST="true")
    assert 'data-flag="sports" aria-pressed="true"' in response.content.decode()
    assert sy.activities.get(code="E").expected == 3
    assert client.post(f"/pibk/murid/{arjun.pk}/colour/", {"on": "1"}).status_code == 404


def test_after_awards_day_closes_the_pupil_flags_are_locked_and_a_late_one_says_why(
    sy, world, login, monkeypatch
):
    from pibk.models import Pupil

    monkeypatch.setattr("pibk.services.today", lambda: datetime.date(2026, 12, 1))
    client = login(world.users["coord_a"])
    content = client.get("/pibk/murid/").content.decode()
    assert 'data-locked="true"' in content and 'disabled data-flag="award"' in content
    arjun = Pupil.objects.get(name="Arjun")
    response = client.post(f"/pibk/murid/{arjun.pk}/award/", {"on": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content and "tarikh akhir telah berlalu" in content
    arjun.refresh_from_db()
    assert not arjun.award and sy.activities.get(code="F").expected == 2


def test_a_volunteer_is_recorded_once_from_the_list(sy, world, login):
    client = login(world.users["coord_a"])
    k4 = Family.objects.get(key="K4")
    for _ in range(2):
        response = client.post(f"/pibk/sukarelawan/{k4.pk}/", {"on": "1"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'data-family="K4" data-volunteering="true"' in content
    assert 'data-volunteers="1"' in content and 'data-families-total="4"' in content


def test_the_day_an_activity_was_held_is_checked(sy, world, login):
    client = login(world.users["coord_a"])
    client.post("/pibk/aktiviti/F/tarikh/", {"held_on": "2026-12-01"}, follow=True)
    assert sy.activities.get(code="F").held_on is None  # after today: refused
    client.post("/pibk/aktiviti/F/tarikh/", {"held_on": "2026-11-18"})
    assert sy.activities.get(code="F").held_on == datetime.date(2026, 11, 18)
    sy.refresh_from_db()
    assert sy.counted == 1 and sy.average == 0  # held, nobody ticked yet: 0 of 2
