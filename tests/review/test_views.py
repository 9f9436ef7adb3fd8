"""The review workflow on the pages: confirmation of incomplete data, the decision named,
the returned comment shown to the school and e-mailed, and dashboards' query counts."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.review.models import ReviewEvent, ReviewSubject
from core.review.services import subject_act
from tests.factories import SchoolFactory, coordinator_for
from tests.pibk.conftest import DAY
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["ssqs_language"] = "en"
    return client


@pytest.fixture
def six_of_62(world, mini_cycle):
    """School A with 6 of its 62 respondents finished (domain.md's example)."""
    rows = respondents(mini_cycle, world.a).select_related("cycle", "school")
    for r in list(rows.filter(category="administrator")) + list(
        rows.filter(category="teacher")[:5]
    ):
        complete(r)
    return mini_cycle


# -- SSQS -------------------------------------------------------------------------------


def test_verifying_an_incomplete_ssqs_school_names_what_is_missing_first(world, six_of_62, login):
    client = english(login(world.users["officer_d1"]))
    response = client.post("/pemantauan/semak/BBA0001/", {"decision": "verified", "comment": "ok"})
    content = response.content.decode()
    assert response.status_code == 200 and "data-missing" in content
    assert "6 of 62 respondents have finished" in content
    assert "Administrator 1/1" in content and "Teacher 5/30" in content and "Pupil 0/30" in content
    assert 'name="confirm" value="1"' in content and 'name="comment" value="ok"' in content
    assert not ReviewSubject.objects.exists()  # nothing verified by the first POST
    response = client.post(
        "/pemantauan/semak/BBA0001/",
        {"decision": "verified", "comment": "ok", "confirm": "1"},
        follow=True,
    )
    subject = ReviewSubject.objects.get()
    assert (subject.state, subject.comment) == ("verified", "ok")
    assert ReviewEvent.objects.get().missing[0].startswith("6 of 62")
    assert "Verified: BBA0001, SSQS 2026." in response.content.decode()


def test_the_decision_is_named_in_malay(world, six_of_62, login):
    client = login(world.users["officer_d1"])
    response = client.post(
        "/pemantauan/semak/BBA0001/", {"decision": "returned", "comment": "Semak"}, follow=True
    )
    assert "Dikembalikan dengan ulasan" in response.content.decode()
    response = client.post(
        "/pemantauan/semak/BBA0001/", {"decision": "verified", "confirm": "1"}, follow=True
    )
    assert "Disahkan" in response.content.decode()


def test_a_reopening_names_its_date(world, mini_cycle, login):
    until = datetime.date.today() + datetime.timedelta(days=3)
    client = english(login(world.users["officer_d1"]))
    response = client.post(
        "/ssqs/sekolah/BBA0001/buka-semula/", {"until": until.isoformat()}, follow=True
    )
    assert "Reopened until" in response.content.decode()
    assert ReviewSubject.objects.get().reopened_until == until


def test_the_school_reads_who_reopened_its_window_until_when_and_why(world, mini_cycle, login):
    until = datetime.date.today() + datetime.timedelta(days=3)
    login(world.users["officer_d1"]).post(
        "/ssqs/sekolah/BBA0001/buka-semula/", {"until": until.isoformat(), "reason": "banjir"}
    )
    page = login(world.users["coord_a"]).get("/ssqs/sekolah/BBA0001/").content.decode()
    assert 'data-review-state="reopened"' in page and 'data-review="reopened"' in page
    assert "banjir" in page and 'data-review-by="' + world.users["officer_d1"].username in page


def test_a_returned_ssqs_school_reads_the_comment_on_mydesktop_and_its_result_and_by_mail(
    world, six_of_62, login, django_capture_on_commit_callbacks
):
    world.a.email = "bba0001@moe.example"
    world.a.save(update_fields=["email"])
    officer = login(world.users["officer_d1"])
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            "/pemantauan/semak/BBA0001/",
            {"decision": "returned", "comment": "Bilangan guru tidak sepadan."},
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bba0001@moe.example"]
    assert "Bilangan guru tidak sepadan." in mail.outbox[0].body
    coordinator = login(world.users["coord_a"])
    desktop = coordinator.get("/mydesktop/").content.decode()
    assert 'data-returned="ssqs"' in desktop
    assert "Bilangan guru tidak sepadan." in desktop and "/ssqs/sekolah/BBA0001/" in desktop
    result = coordinator.get("/ssqs/sekolah/BBA0001/").content.decode()
    assert 'data-review-state="returned"' in result and "data-returned-comment" in result
    assert 'data-review-by="' + world.users["officer_d1"].username in result
    # The other school sees nothing of it.
    assert "data-returned" not in login(world.users["coord_b"]).get("/mydesktop/").content.decode()
    # Once verified, the notice goes and the page says who verified.
    officer = login(world.users["officer_d1"])
    officer.post("/pemantauan/semak/BBA0001/", {"decision": "verified", "confirm": "1"})
    coordinator = login(world.users["coord_a"])
    assert "data-returned" not in coordinator.get("/mydesktop/").content.decode()
    assert (
        'data-review-state="verified"' in coordinator.get("/ssqs/sekolah/BBA0001/").content.decode()
    )


def test_verified_ssqs_data_is_read_only_for_the_school(world, mini_cycle, login):
    from surveys.selectors import window_state

    subject_act(programme="ssqs", year=2026, school=world.a, act="verified",
                by=world.users["officer_d1"], confirmed=True)  # fmt: skip
    state = window_state(cycle=mini_cycle, school=world.a)
    assert not state.is_open and "verified" in state.message
    assert window_state(cycle=mini_cycle, school=world.b).is_open


def test_the_officers_school_page_shows_who_verified_and_the_record(world, six_of_62, login):
    client = login(world.users["officer_s1"])
    client.post("/pemantauan/semak/BBA0001/", {"decision": "returned", "comment": "Semak A"})
    client.post("/pemantauan/semak/BBA0001/", {"decision": "verified", "confirm": "1"})
    page = client.get("/sekolah/BBA0001/").content.decode()
    assert 'data-review-state="verified"' in page
    assert page.count("data-review=") == 2  # the record: returned, then verified
    assert 'data-action="verify"' not in page  # verified: only a return is offered


# -- PIBK -------------------------------------------------------------------------------


@pytest.fixture
def day(monkeypatch):
    """PIBK's today: 20 November 2026 (the November windows open, the others closed)."""
    monkeypatch.setattr("pibk.services.today", lambda: DAY)
    return DAY


@pytest.fixture
def pibk_a(world, day):
    from pibk.services import school_year_ensure

    return school_year_ensure(school=world.a, year=2026)


def test_verifying_a_pibk_window_whose_activities_were_not_held_asks_first(world, pibk_a, login):
    client = english(login(world.users["officer_d1"]))
    response = client.post(
        "/pibk/sekolah/BBA0001/semak/?year=2026", {"window": "K1-MAR", "decision": "verified"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and content.count("data-missing-item") == 2
    assert "A Registration day (Hari Pendaftaran) was not held" in content
    assert "B Target-setting day (Hari Penetapan Target) was not held" in content
    assert 'name="window" value="K1-MAR"' in content
    assert not ReviewSubject.objects.exists()
    response = client.post(
        "/pibk/sekolah/BBA0001/semak/?year=2026",
        {"window": "K1-MAR", "decision": "verified", "confirm": "1"},
        follow=True,
    )
    assert ReviewSubject.objects.get(window="K1-MAR").state == "verified"
    assert "Verified: BBA0001, PIBK 2026, KPI 1, by 31 March (A, B)." in response.content.decode()


def test_a_pibk_window_held_in_full_is_verified_at_once(world, pibk_a, login):
    pibk_a.activities.filter(code__in="AB").update(
        held_on=datetime.date(2026, 1, 10), expected=5, attended=4
    )
    client = login(world.users["officer_d1"])
    response = client.post(
        "/pibk/sekolah/BBA0001/semak/", {"window": "K1-MAR", "decision": "verified"}
    )
    assert response.status_code == 302
    assert ReviewSubject.objects.get(window="K1-MAR").state == "verified"


def test_a_returned_pibk_window_is_shown_to_the_school_and_emailed(
    world, pibk_a, login, django_capture_on_commit_callbacks
):
    coordinator = world.users["coord_a"]
    coordinator.email = "pibk@moe.example"
    coordinator.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        login(world.users["officer_d1"]).post(
            "/pibk/sekolah/BBA0001/semak/",
            {"window": "K1-NOV", "decision": "returned", "comment": "Tarikh hari sukan?"},
        )
    assert [m.to for m in mail.outbox] == [["pibk@moe.example"]]
    assert "PIBK 2026" in mail.outbox[0].subject
    client = login(coordinator)
    desktop = client.get("/mydesktop/").content.decode()
    assert 'data-returned="pibk" data-returned-window="K1-NOV"' in desktop
    assert "Tarikh hari sukan?" in desktop
    page = client.get("/pibk/sekolah/BBA0001/").content.decode()
    assert 'data-window="K1-NOV" data-status="returned" data-open="true"' in page
    assert "Tarikh hari sukan?" in page and "data-returned-comment" in page


# -- dashboards that list review states: constant queries ----------------------------------


def test_the_school_table_reads_review_states_in_constant_queries(world, mini_cycle, login):
    from monitoring.rollups import rollups_rebuild

    client = login(world.users["national"])
    url = "/pemantauan/national/KPM/sekolah/"
    rollups_rebuild(cycle_id=mini_cycle.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    officer = world.users["national"]
    for n in range(8):
        school = SchoolFactory(district=world.d1)
        coordinator_for(school)
        if n % 2:
            subject_act(programme="ssqs", year=2026, school=school, act="returned",
                        comment="semak", by=officer)  # fmt: skip
    rollups_rebuild(cycle_id=mini_cycle.pk)
    with CaptureQueriesContext(connection) as many:
        content = client.get(url).content.decode()
    assert content.count("data-school=") >= 11
    assert len(many) == len(few)


def test_the_roll_up_counts_verified_schools_from_the_workflow(world, mini_cycle):
    from monitoring.models import SsqsRollUp
    from monitoring.rollups import rollups_rebuild

    subject_act(programme="ssqs", year=2026, school=world.a, act="verified",
                by=world.users["national"], confirmed=True)  # fmt: skip
    subject_act(programme="ssqs", year=2026, school=world.c, act="returned", comment="x",
                by=world.users["national"])  # fmt: skip
    rollups_rebuild(cycle_id=mini_cycle.pk)
    verified = {r.code: r.verified for r in SsqsRollUp.objects.filter(period=2026)}
    assert verified == {"KPM": 1, "SGR": 1, "PRK": 0, "SGR-PETALING": 1, "SGR-KLANG": 0,
                        "PRK-KINTA": 0}  # fmt: skip


def test_the_pibk_grid_reads_window_states_in_constant_queries(world, login, day):
    from pibk.services import school_year_ensure

    client = login(world.users["officer_d1"])
    url = "/pibk/pemantauan/district/SGR-PETALING/"
    school_year_ensure(school=world.a, year=2026)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        school = SchoolFactory(district=world.d1)
        school_year_ensure(school=school, year=2026)
        subject_act(programme="pibk", year=2026, school=school, window="K1-MAR",
                    act="verified" if n % 2 else "returned", comment="x",
                    by=world.users["officer_d1"], confirmed=True)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        content = client.get(url).content.decode()
    assert content.count('data-window="K1-MAR" data-status="verified"') == 3
    assert content.count('data-window="K1-MAR" data-status="returned"') == 3
    assert len(many) == len(few)
