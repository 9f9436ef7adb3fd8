"""Issue 13, the officers' items: landing page, map, reminders, exports, no data."""

import re

import pytest

from monitoring import geo
from monitoring.rollups import rollups_rebuild
from surveys.rating import rating_recompute
from tests.surveys.conftest import complete, respondents


def test_before_any_cycle_an_officer_lands_on_the_school_list_with_a_word(world, login):
    client = login(world.users["officer_d1"])
    response = client.get("/pemantauan/", follow=True)
    assert response.redirect_chain[-1][0] == "/sekolah/"
    assert "Belum ada kitaran SSQS" in response.content.decode()


def test_an_officer_lands_on_monitoring_and_the_menu_has_ssqs_results(world, mini_cycle, login):
    client = login(world.users["officer_d1"])
    assert client.get("/").url == "/pemantauan/"
    assert client.get("/pemantauan/").url == "/pemantauan/district/SGR-PETALING/"
    page = client.get("/sekolah/").content.decode()
    nav = re.findall(r'class="nav-link[^>]*href="([^"]+)"', page)
    assert nav.index("/pemantauan/") < nav.index("/sekolah/")
    assert "/pemantauan/keputusan/" in nav
    assert (
        client.get("/pemantauan/keputusan/").url
        == "/pemantauan/district/SGR-PETALING/sekolah/?sort=-score"
    )


def test_douglas_peucker_drops_the_points_within_the_tolerance():
    line = [(0, 0), (1, 0.01), (2, -0.01), (3, 0), (3, 1), (3.02, 2), (3, 3)]
    assert geo.simplify(line, 0.05) == [(0, 0), (3, 0), (3, 3)]
    assert geo.simplify(line, 0.005) == line


def test_an_encoded_ring_decodes_to_its_quantised_points():
    ring = [(101.75335, 2.81998), (101.76121, 2.70694), (101.7, 2.7)]
    decoded = [c for point in geo.decode_ring(geo.encode_ring(ring)) for c in point]
    assert decoded == pytest.approx([101.753, 2.82, 101.761, 2.707, 101.7, 2.7])


def test_the_shipped_boundaries_are_small_and_cover_every_state():
    states, districts = geo.load("states"), geo.load("districts")
    assert sorted(f["state"] for f in states) == list(range(1, 17))
    assert len(districts) >= 150
    size = sum((geo.GEO_DIR / n).stat().st_size for n in ("states.json", "districts.json"))
    assert size < 300 * 1024
    petaling = next(f for f in districts if f["name"] == "Petaling")
    assert geo.contains(petaling, 101.60, 3.10)  # Petaling Jaya
    assert not geo.contains(petaling, 103.75, 1.50)  # Johor Bahru


@pytest.fixture
def rated(world, mini_cycle):
    """School A (Petaling) rated with 5 finished respondents; the roll-ups rebuilt."""
    world.a.longitude, world.a.latitude = 101.60, 3.10
    world.a.save()
    for r in respondents(mini_cycle, world.a).select_related("cycle", "school")[:5]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)
    return mini_cycle


def areas(content):
    return re.findall(r'<a href="([^"]+)" class="geo-area" aria-label="([^"]*)"', content)


def test_the_national_map_draws_every_state_linked_to_its_board(world, rated, login):
    content = login(world.users["national"]).get("/pemantauan/national/KPM/").content.decode()
    assert 'data-areas="16"' in content
    links = dict(areas(content))
    assert set(links) == {"/pemantauan/state/SGR/", "/pemantauan/state/PRK/"}
    assert links["/pemantauan/state/SGR/"].startswith("Selangor")
    assert "(sekolah: 2)" in links["/pemantauan/state/SGR/"]  # A and B
    assert 'id="map-measure"' in content and 'data-legend="kpi1"' in content
    assert "(DOSM)" in content


def test_the_state_map_draws_its_daerah_with_each_ppd_on_its_own(world, rated, login):
    content = login(world.users["officer_s1"]).get("/pemantauan/state/SGR/").content.decode()
    links = dict(areas(content))
    # Selangor's 9 daerah; PPD Petaling by its school's point, PPD Klang by name.
    assert 'data-areas="9"' in content
    assert links["/pemantauan/district/SGR-PETALING/"].startswith("PPD PETALING")
    assert "Daerah Petaling" in links["/pemantauan/district/SGR-PETALING/"]
    assert links["/pemantauan/district/SGR-KLANG/"].startswith("PPD KLANG")


def test_the_district_map_draws_the_outline_and_the_schools_by_stars(world, rated, login):
    content = login(world.users["officer_d1"]).get("/pemantauan/district/SGR-PETALING/")
    content = content.content.decode()
    assert 'class="geo-outline"' in content and "daerah Petaling" in content
    points = re.findall(r'<a href="(/sekolah/\w+/)" class="geo-point"', content)
    assert points == ["/sekolah/BBA0001/"]
    assert "tidak ditunjukkan" not in content


def test_a_district_with_no_final_rating_queues_no_empty_certificate_batch(world, rated, login):
    from monitoring.models import CertificateBatch

    client = login(world.users["officer_d1"])  # school A is rated, but provisionally
    response = client.post("/pemantauan/district/SGR-PETALING/sijil/", follow=True)
    assert not CertificateBatch.objects.exists()
    assert "tiada sijil untuk dibina" in response.content.decode()


def test_an_empty_batch_offers_no_download(world, rated, login):
    from monitoring.models import CertificateBatch

    user = world.users["officer_d1"]
    batch = CertificateBatch.objects.create(
        cycle=rated, district=world.d1, requested_by=user, status="done", total=0
    )
    client = login(user)
    page = client.get(f"/pemantauan/sijil/{batch.pk}/").content.decode()
    assert 'data-download="certificates"' not in page
    assert client.get(f"/pemantauan/sijil/{batch.pk}/muat-turun/").status_code == 404


def test_reminders_ask_first_with_the_count_a_preview_and_the_last_one(
    world, rated, login, settings
):
    from django.core import mail

    from monitoring.models import Reminder

    settings.PORTAL_BASE_URL = "https://ssqs.moe.example"
    world.b.email = "bbb0002@moe.example"
    world.b.save()
    officer = world.users["officer_s1"]
    officer.first_name, officer.last_name, officer.email = "Aminah", "Ali", "aminah@jpn.example"
    officer.save()
    client = login(officer)
    dashboard = client.get("/pemantauan/state/SGR/").content.decode()
    assert 'href="/pemantauan/state/SGR/peringatan/" data-action="remind"' in dashboard
    page = client.get("/pemantauan/state/SGR/peringatan/").content.decode()
    assert not mail.outbox and not Reminder.objects.exists()  # asking sends nothing
    assert 'data-remind-schools="1"' in page and 'data-remind-reachable="1"' in page
    assert "Belum ada peringatan" in page  # none sent yet
    assert "https://ssqs.moe.example/login/" in page and "Aminah Ali" in page

    client.post("/pemantauan/state/SGR/peringatan/")
    assert [m.to for m in mail.outbox] == [["bbb0002@moe.example"]]
    body = mail.outbox[0].body
    closes = rated.closes_on
    assert "https://ssqs.moe.example/login/" in body
    assert f"{closes.day} " in body and str(closes.year) in body and "None" not in body
    assert "Aminah Ali\nPegawai, Selangor\naminah@jpn.example" in body
    assert Reminder.objects.filter(school=world.b, by=officer).count() == 1
    again = client.get("/pemantauan/state/SGR/peringatan/").content.decode()
    from django.utils import timezone

    # The page speaks local time (Malaysia): after 16:00 UTC that is already tomorrow.
    sent_on = timezone.localtime(Reminder.objects.get().at).date().isoformat()
    assert 'data-remind-last="' + sent_on in again


def _download(response):
    return b"".join(response.streaming_content)


def test_exports_speak_the_pages_language_with_local_times_and_wide_columns(
    world, rated, login, settings
):
    import csv
    import io
    import zoneinfo

    from django.utils import translation
    from openpyxl import load_workbook

    from surveys.models import Respondent

    world.a.name = "SEKOLAH KEBANGSAAN TAMAN TUN DR ISMAIL (2) PETALING JAYA"
    world.a.save()
    client = login(world.users["officer_s1"])
    url = "/pemantauan/state/SGR/sekolah/"
    rows = list(csv.reader(io.StringIO(_download(client.get(url, {"format": "csv"})).decode())))
    text = repr(rows)
    assert rows[0][:3] == ["\ufeffKod sekolah", "Sekolah", "Daerah (PPD)"]
    assert "Sedang diisi" in text and "Tidak" in text  # status and SKM as the page says them
    assert "in_progress" not in text and "False" not in text and "primary" not in text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = list(csv.reader(io.StringIO(_download(client.get(url, {"format": "csv"})).decode())))
    assert rows[0][:2] == ["\ufeffSchool code", "School"] and "In progress" in repr(rows)

    sheet = load_workbook(io.BytesIO(_download(client.get(url, {"format": "xlsx"})))).active
    assert sheet.column_dimensions["B"].width >= len(world.a.name)
    assert sheet.column_dimensions["A"].width >= len("School code")

    done = Respondent.objects.filter(school=world.a, completed_at__isnull=False).first()
    lines = _download(client.get("/pemantauan/state/SGR/responden.csv")).decode().splitlines()
    with translation.override("en"):
        key = f"BBA0001,PPD PETALING,Selangor,{done.get_category_display()},{done.number},"
    row = next(line for line in lines if line.startswith(key))
    local = done.completed_at.astimezone(zoneinfo.ZoneInfo("Asia/Kuala_Lumpur"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") in row
    assert "+00:00" not in row and "." not in row.split(",")[6]


def test_an_indicator_nobody_has_answered_is_no_data_and_left_out_of_node_means(
    world, mini_cycle, login
):
    from monitoring.models import SchoolProgress, SsqsRollUp
    from surveys.models import Rating

    # C: everyone finished. A: three teachers only, who answer Usage alone.
    for r in respondents(mini_cycle, world.c).select_related("cycle", "school"):
        complete(r)
    for r in respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school")[:3]:
        complete(r)
    for school in (world.a, world.c):
        rating_recompute(cycle_id=mini_cycle.pk, school_id=school.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)

    rating_a = Rating.objects.get(school=world.a)
    assert rating_a.human_capital == 0  # the rating still scores it 0 (domain.md 1.2)
    progress_a = SchoolProgress.objects.get(school=world.a)
    assert progress_a.usage is not None and progress_a.human_capital is None
    rating_c = Rating.objects.get(school=world.c)
    nation = SsqsRollUp.objects.get(level="national")
    assert nation.indicator_schools == {
        "usage": 2, "human_capital": 1, "applications": 1, "infrastructure": 1
    }  # fmt: skip
    assert nation.mean_human_capital == rating_c.human_capital  # not halved by A's 0
    selangor = SsqsRollUp.objects.get(level="state", code="SGR")
    assert selangor.mean_human_capital is None and selangor.rated == 1

    client = login(world.users["officer_s1"])
    board = client.get("/pemantauan/state/SGR/").content.decode()
    assert "Modal Insan: tiada data" in board and 'data-indicator-schools="0"' in board
    result = client.get("/ssqs/sekolah/BBA0001/").content.decode()
    assert 'data-indicator="human_capital" data-score="0.00" data-has-data="false"' in result
    assert 'data-indicator="usage"' in result and "Tiada data" in result


def test_the_reports_indicator_chart_draws_no_bar_for_an_indicator_with_no_data(
    world, mini_cycle, login
):
    # A: three teachers only, who answer Usage alone, so Human capital has no data in SGR.
    for r in respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school")[:3]:
        complete(r)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)
    response = login(world.users["officer_s1"]).get("/pemantauan/state/SGR/laporan.pdf")
    assert response.status_code == 200
    chart = response.context["indicator_chart"]
    bars = {str(bar.label): bar for bar in chart["bars"]}
    assert (bars["Modal Insan"].value, bars["Modal Insan"].height) == ("–", 0)  # not a 0 bar
    assert bars["Penggunaan"].value != "–" and bars["Penggunaan"].height > 0
