import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import SchoolProgress, SsqsRollUp
from monitoring.rollups import rollups_rebuild
from surveys.models import Rating, Respondent
from surveys.rating import rating_recompute
from tests.factories import SchoolFactory
from tests.surveys.conftest import best_post, complete, respondents


@pytest.fixture
def busy(world, mini_cycle):
    """C (small) complete, A with 3 finished and 1 started, B untouched."""
    for r in respondents(mini_cycle, world.c).select_related("cycle", "school"):
        complete(r)
    for r in respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school")[:3]:
        complete(r)
    pupil = respondents(mini_cycle, world.a, "pupil").select_related("cycle", "school").first()
    from surveys.answering import domain_save

    domain_save(
        respondent=pupil,
        domain_code="U1",
        post=best_post(mini_cycle.instrument.spec, "U1", "pupil"),
    )
    for school in (world.a, world.c):
        rating_recompute(cycle_id=mini_cycle.pk, school_id=school.pk)
    rollups_rebuild(cycle_id=mini_cycle.pk)
    return mini_cycle


def direct(cycle, schools):
    """The same figures computed the plain way, school by school."""
    out = {
        "schools": 0,
        "not_started": 0,
        "in_progress": 0,
        "complete": 0,
        "finished": 0,
        "required": 0,
        "scores": [],
    }
    for school in schools:
        rs = list(Respondent.objects.filter(cycle=cycle, school=school))
        finished = sum(r.completed_at is not None for r in rs)
        started = sum(r.started_at is not None for r in rs)
        out["schools"] += 1
        out["finished"] += finished
        out["required"] += len(rs)
        key = "complete" if finished == len(rs) else "not_started" if not started else "in_progress"
        out[key] += 1
        rating = Rating.objects.filter(cycle=cycle, school=school).first()
        if rating:
            out["scores"].append(rating.score)
    return out


@pytest.mark.parametrize(
    ("level", "code", "names"),
    [
        ("district", "SGR-PETALING", ["a"]),
        ("state", "SGR", ["a", "b"]),
        ("state", "PRK", ["c"]),
        ("national", "KPM", ["a", "b", "c"]),
    ],
)
def test_rollups_match_a_direct_computation(world, busy, level, code, names):
    rollup = SsqsRollUp.objects.get(period=busy.year, level=level, code=code)
    expected = direct(busy, [getattr(world, n) for n in names])
    assert (rollup.schools, rollup.not_started, rollup.in_progress, rollup.complete) == (
        expected["schools"],
        expected["not_started"],
        expected["in_progress"],
        expected["complete"],
    )
    assert (rollup.respondents_finished, rollup.respondents_required) == (
        expected["finished"],
        expected["required"],
    )
    scores = expected["scores"]
    assert rollup.rated == len(scores)
    if scores:
        assert float(rollup.mean_score) == pytest.approx(sum(scores) / len(scores), abs=0.01)
    assert sum(rollup.stars_provisional) + sum(rollup.stars_final) == len(scores)


def test_the_final_small_school_counts_as_a_final_five_star(world, busy):
    prk = SsqsRollUp.objects.get(period=busy.year, level="state", code="PRK")
    assert prk.stars_final == [0, 0, 0, 0, 1] and prk.complete == 1


def test_rebuilding_twice_gives_the_same_numbers(world, busy):
    fields = [
        "level",
        "code",
        "schools",
        "not_started",
        "in_progress",
        "complete",
        "respondents_finished",
        "stars_provisional",
        "stars_final",
        "mean_score",
    ]

    def figures():
        rows = SsqsRollUp.objects.order_by("level", "code")
        return [[getattr(row, name) for name in fields] for row in rows]

    first = figures()
    rollups_rebuild(cycle_id=busy.pk)
    rollups_rebuild(cycle_id=busy.pk)
    assert figures() == first
    assert SsqsRollUp.objects.count() == 3 + 2 + 1


def test_a_saved_domain_refreshes_progress_and_rollups(
    world, mini_cycle, django_capture_on_commit_callbacks
):
    teacher = respondents(mini_cycle, world.b, "teacher").select_related("cycle", "school").first()
    with django_capture_on_commit_callbacks(execute=True):
        complete(teacher)
    assert SchoolProgress.objects.get(school=world.b).status == "in_progress"
    assert SsqsRollUp.objects.get(level="district", code="SGR-KLANG").in_progress == 1


def test_recompute_ratings_rebuilds_the_rollups(world, mini_cycle):
    from django.core.management import call_command

    call_command("recompute_ratings", "--cycle", "2026")
    assert SsqsRollUp.objects.get(level="national").schools == 3


def dashboard(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("national", "/pemantauan/national/KPM/"),
        ("officer_s1", "/pemantauan/state/SGR/"),
        ("officer_d1", "/pemantauan/district/SGR-PETALING/"),
    ],
)
def test_dashboards_read_a_constant_number_of_queries(world, busy, login, persona, url):
    client = login(world.users[persona])
    _content, before = dashboard(client, url)
    for _ in range(12):
        SchoolFactory(district=world.d1)
    rollups_rebuild(cycle_id=busy.pk)
    content, after = dashboard(client, url)
    assert after == before
    assert 'id="chart-data"' in content


def test_the_national_board_has_a_row_per_state_and_drills_down(world, busy, login):
    client = login(world.users["national"])
    content = client.get("/pemantauan/").url
    assert content == "/pemantauan/national/KPM/"
    board = client.get(content).content.decode()
    assert re.findall(r'data-node="(\w+)"', board) == ["KPM", "PRK", "SGR"]
    state = client.get("/pemantauan/state/SGR/").content.decode()
    assert 'data-node="SGR-PETALING"' in state and 'data-node="SGR-KLANG"' in state
    district = client.get("/pemantauan/district/SGR-PETALING/").content.decode()
    assert 'data-school="BBA0001" data-status="in_progress"' in district
    points = client.get("/pemantauan/national/KPM/peta.json").json()["points"]
    assert points == []  # the test schools have no coordinates


def test_a_node_with_no_data_says_so(world, mini_cycle, login):
    content = login(world.users["national"]).get("/pemantauan/national/KPM/").content.decode()
    assert 'data-rollup="none"' in content and "chart-data" not in content


def test_the_school_table_filters_sorts_and_ignores_nonsense(world, busy, login):
    client = login(world.users["national"])
    url = "/pemantauan/national/KPM/sekolah/"
    content = client.get(url, {"status": "complete"}).content.decode()
    assert re.findall(r'data-school="(\w+)"', content) == ["ABA0003"]
    content = client.get(url, {"sort": "-score"}).content.decode()
    assert re.findall(r'data-school="(\w+)"', content) == ["ABA0003", "BBA0001", "BBB0002"]
    response = client.get(url, {"stars": "9", "status": "'; drop", "sort": "x", "level": "z"})
    content = response.content.decode()
    assert response.status_code == 200 and content.count('data-school="') == 3
    assert "level, status, stars, sort" in content  # named in the warning


def test_exports_stream_the_filtered_table(world, busy, login):
    client = login(world.users["officer_s1"])
    response = client.get("/pemantauan/state/SGR/sekolah/", {"format": "csv"})
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Kod sekolah,Sekolah,Daerah (PPD)") and len(rows) == 3
    assert {r.split(",")[0] for r in rows[1:]} == {"BBA0001", "BBB0002"}
    response = client.get("/pemantauan/state/SGR/sekolah/", {"format": "xlsx", "q": "alfa"})
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Kod sekolah", "BBA0001"]


def test_an_officer_verifies_or_returns_a_school_in_scope(world, busy, login):
    client = login(world.users["officer_d1"])
    from core.review.models import ReviewSubject

    def review():
        return ReviewSubject.objects.filter(programme="ssqs", school=world.a).first()

    assert client.post("/pemantauan/semak/BBA0001/", {"decision": "returned"}).status_code == 302
    assert review() is None  # a return needs a comment
    client.post("/pemantauan/semak/BBA0001/", {"decision": "returned", "comment": "Semak guru"})
    assert review().state == "returned"
    # Incomplete data (the school's respondents have not all finished) asks first.
    client.post("/pemantauan/semak/BBA0001/", {"decision": "verified", "confirm": "1"})
    assert review().state == "verified"
    assert 'data-review="verified"' in client.get("/sekolah/BBA0001/").content.decode()
    assert client.post("/pemantauan/semak/BBB0002/", {"decision": "verified"}).status_code == 404


def test_reminders_go_to_the_schools_that_have_not_started(world, busy, login):
    world.b.email = "bbb0002@moe.example"
    world.b.save()
    client = login(world.users["officer_s1"])
    client.post("/pemantauan/state/SGR/peringatan/")
    assert [m.to for m in mail.outbox] == [["bbb0002@moe.example"]]
    assert "BBB0002" in mail.outbox[0].body


def test_the_district_report_prints_with_charts(world, busy, login):
    client = login(world.users["officer_d1"])
    assert (
        'data-print="district-report"'
        in client.get("/pemantauan/district/SGR-PETALING/").content.decode()
    )
    response = client.get("/pemantauan/district/SGR-PETALING/laporan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        login(world.users["officer_d2"])
        .get("/pemantauan/district/SGR-PETALING/laporan.pdf")
        .status_code
        == 404
    )


def test_a_report_with_no_data_says_so_instead_of_empty_charts(world, mini_cycle, login):
    from django.template.loader import render_to_string

    from monitoring.selectors import Node

    html = render_to_string(
        "monitoring/pdf/report.html",
        {
            "node": Node("district", "SGR-KLANG", "PPD KLANG", []),
            "cycle": mini_cycle,
            "rollup": None,
            "children": [],
            "by": world.users["officer_d2"],
        },
    )
    assert "<svg" not in html and "nothing to chart" in html


def test_bar_chart_scales_bars_to_the_top_value():
    from ssqs_portal.charts import AXIS, HEIGHT, PAD, bar_chart

    chart = bar_chart([0, 5, 10], ["a", "b", "c"], ["#000"])
    heights = [b.height for b in chart["bars"]]
    assert heights == [0, round((HEIGHT - AXIS - PAD) / 2, 1), HEIGHT - AXIS - PAD]


def test_a_district_officer_builds_the_certificates_in_the_background(
    world, busy, login, settings, tmp_path, django_capture_on_commit_callbacks
):
    import zipfile
    from io import BytesIO

    from monitoring.certificate_batches import certificate_batch_build
    from monitoring.models import CertificateBatch

    settings.MEDIA_ROOT = tmp_path
    world.c.district = world.d1  # move the final small school into D1
    world.c.save()
    client = login(world.users["officer_d1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pemantauan/district/SGR-PETALING/sijil/")
    batch = CertificateBatch.objects.get()
    assert response.url == f"/pemantauan/sijil/{batch.pk}/"
    assert (batch.status, batch.done, batch.total) == ("done", 1, 1)
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page
    archive = zipfile.ZipFile(
        BytesIO(b"".join(client.get(f"/pemantauan/sijil/{batch.pk}/muat-turun/").streaming_content))
    )
    assert archive.namelist() == ["ssqs-2026-ABA0003-sijil.pdf"]
    assert certificate_batch_build(batch_id=batch.pk) is False  # claimed once only
    assert login(world.users["officer_d2"]).get(f"/pemantauan/sijil/{batch.pk}/").status_code == 404


def test_a_queued_batch_is_polled_until_done(world, busy, login):
    from monitoring.models import CertificateBatch

    batch = CertificateBatch.objects.create(
        cycle=busy, district=world.d1, total=3, done=1, requested_by=world.users["officer_d1"]
    )
    page = login(world.users["officer_d1"]).get(f"/pemantauan/sijil/{batch.pk}/").content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s"' in page


def test_the_respondent_export_streams_progress_but_no_tag_name_or_answer(world, busy, login):
    teacher = respondents(busy, world.a, "teacher").first()
    teacher.name = "Cikgu Rahsia"
    teacher.save()
    response = login(world.users["officer_s1"]).get("/pemantauan/state/SGR/responden.csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Kod sekolah,Daerah (PPD),Negeri,Kategori,Nombor,Mula pada,Selesai pada,Domain selesai"
    )
    assert len(lines) == 1 + 62 + 62  # A and B, not C (Perak)
    assert teacher.tag not in text and "Cikgu Rahsia" not in text and "U1-01" not in text
    # domains_done is each respondent's count of green domains, counted by the database
    from django.utils import translation

    with translation.override("ms"):  # the category as the page names it
        done = {
            (r.school.code, r.get_category_display(), r.number): len(r.completed_domains)
            for r in Respondent.objects.filter(cycle=busy).select_related("school")
        }
    exported = {}
    for line in lines[1:]:
        fields = line.split(",")
        exported[fields[0], fields[3], int(fields[4])] = int(fields[-1])
    assert exported == {key: n for key, n in done.items() if key[0] != world.c.code}
    assert any(exported.values()) and not all(exported.values())


def test_progress_rows_stored_by_copy_equal_the_orm_path(world, real_cycle, monkeypatch):
    """The nation's progress goes through COPY on PostgreSQL: same rows, reviews kept."""
    from monitoring.rollups import progress_refresh

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's (CI runs it; set DATABASE_URL)")
    complete(respondents(real_cycle, world.a)[0])
    rating_recompute(cycle_id=real_cycle.pk, school_id=world.a.pk)
    fields = ["school_id", "district_id", "state_id", "status", "started", "finished",
              "required", "score", "stars", "rating_status", "usage"]  # fmt: skip
    progress_refresh(cycle_id=real_cycle.pk)
    by_orm = list(SchoolProgress.objects.order_by("school_id").values_list(*fields))
    SchoolProgress.objects.all().delete()
    monkeypatch.setattr("monitoring.rollups.COPY_ABOVE", 0)
    progress_refresh(cycle_id=real_cycle.pk)  # inserts
    assert list(SchoolProgress.objects.order_by("school_id").values_list(*fields)) == by_orm
    SchoolProgress.objects.filter(school=world.a).update(finished=0)
    progress_refresh(cycle_id=real_cycle.pk)  # updates
    row = SchoolProgress.objects.get(school=world.a)
    finished_a = next(values[5] for values in by_orm if values[0] == world.a.pk)
    assert finished_a == 1
    assert row.finished == finished_a


def test_a_return_comment_with_a_nul_character_is_refused_and_nothing_recorded(
    world, real_cycle, login
):
    from core.review.models import ReviewEvent as SchoolReview

    client = login(world.users["officer_d1"])
    client.cookies["ssqs_language"] = "en"
    response = client.post(
        "/pemantauan/semak/BBA0001/",
        {"decision": "returned", "comment": "Semak\x00 guru"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Comment: Null characters are not allowed." in response.content.decode()
    assert not SchoolReview.objects.exists()


def test_a_review_with_an_unknown_decision_is_refused_without_echoing_it(world, real_cycle, login):
    from core.review.models import ReviewEvent as SchoolReview

    client = login(world.users["officer_d1"])
    client.cookies["ssqs_language"] = "en"
    response = client.post("/pemantauan/semak/BBA0001/", {"decision": "<b>x</b>"}, follow=True)
    assert "Choose verify or return." in response.content.decode()
    assert "&lt;b&gt;x" not in response.content.decode()
    assert not SchoolReview.objects.exists()


def _stalled_batch(world, cycle, minutes, status="running"):
    import datetime

    from django.utils import timezone

    from monitoring.models import CertificateBatch

    return CertificateBatch.objects.create(
        cycle=cycle,
        district=world.d1,
        requested_by=world.users["officer_d1"],
        status=status,
        total=17,
        done=4,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def test_a_redelivered_task_takes_over_a_batch_whose_worker_was_killed(
    world, busy, settings, tmp_path
):
    from monitoring.certificate_batches import certificate_batch_build

    settings.MEDIA_ROOT = tmp_path
    alive = _stalled_batch(world, busy, minutes=1)
    assert certificate_batch_build(batch_id=alive.pk) is None  # its worker is still at it
    alive.refresh_from_db()
    assert (alive.status, alive.done) == ("running", 4)
    killed = _stalled_batch(world, busy, minutes=6)
    assert certificate_batch_build(batch_id=killed.pk) is True
    killed.refresh_from_db()
    assert (killed.status, killed.done, killed.error) == ("done", killed.total, "")


def test_a_stalled_batch_shows_stalled_with_a_restart_button(
    world, busy, login, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.users["officer_d1"])
    fresh = _stalled_batch(world, busy, minutes=1)
    page = client.get(f"/pemantauan/sijil/{fresh.pk}/").content.decode()
    assert 'data-status="running"' in page and "mula-semula" not in page
    batch = _stalled_batch(world, busy, minutes=6)
    page = client.get(f"/pemantauan/sijil/{batch.pk}/").content.decode()
    assert 'data-status="stalled"' in page and "hx-trigger" not in page
    assert f'action="/pemantauan/sijil/{batch.pk}/mula-semula/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/pemantauan/sijil/{batch.pk}/mula-semula/")
    assert response.url == f"/pemantauan/sijil/{batch.pk}/"
    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == batch.total  # built again, eagerly here
    # the one still alive is not restarted under its worker
    client.post(f"/pemantauan/sijil/{fresh.pk}/mula-semula/")
    fresh.refresh_from_db()
    assert (fresh.status, fresh.done) == ("running", 4)


@pytest.mark.parametrize(
    ("status", "minutes", "stalled"),
    [
        ("queued", 1, False),
        ("queued", 6, True),  # its task was never delivered
        ("running", 4, False),
        ("running", 5, True),
        ("done", 60, False),
        ("failed", 60, False),
    ],
)
def test_a_batch_is_stalled_when_its_heartbeat_stops(status, minutes, stalled):
    import datetime

    from monitoring.rules import batch_is_stalled

    now = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
    heartbeat = now - datetime.timedelta(minutes=minutes)
    assert batch_is_stalled(status, heartbeat, now) is stalled
