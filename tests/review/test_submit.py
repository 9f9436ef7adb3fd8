"""The school submits its data for the district's review (core.review, issue 14 item 3).

The coordinator who enters a programme's data submits it (SSQS: the ICT
coordinator, per cycle year; PIBK: the PIBK coordinator, per window);
incomplete data asks for a confirmation naming what is missing; the page then
says who submitted when and officers read "submitted". Submitting locks
nothing, and a returned subject is submitted again after its corrections.
"""

import datetime

import pytest

from core.review.models import ReviewEvent, ReviewSubject
from core.review.services import subject_act
from tests.pibk.conftest import DAY
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db

SSQS_SUBMIT = "/ssqs/sekolah/BBA0001/hantar/"
SSQS_RESULT = "/ssqs/sekolah/BBA0001/"
PIBK_SUBMIT = "/pibk/sekolah/BBA0001/hantar/?year=2026"
PIBK_SCHOOL = "/pibk/sekolah/BBA0001/?year=2026"


def english(client):
    client.cookies["ssqs_language"] = "en"
    return client


def recorded():
    return list(
        ReviewEvent.objects.order_by("at", "pk").values_list(
            "subject__programme", "subject__window", "act", "by__username"
        )
    )


@pytest.fixture
def six_of_62(world, mini_cycle):
    rows = respondents(mini_cycle, world.a).select_related("cycle", "school")
    for r in list(rows.filter(category="administrator")) + list(
        rows.filter(category="teacher")[:5]
    ):
        complete(r)
    return mini_cycle


# -- SSQS -------------------------------------------------------------------------------


def test_the_coordinator_submits_incomplete_ssqs_data_after_a_confirmation(world, six_of_62, login):
    from surveys.selectors import window_state

    coordinator = world.users["coord_a"]
    client = english(login(coordinator))
    page = client.get(SSQS_RESULT).content.decode()
    assert 'data-submit-state="open"' in page and 'data-action="submit"' in page
    assert "6 of 62 respondents finished" in page  # completeness beside the button

    response = client.post(SSQS_SUBMIT, {"comment": "Sedia"})
    content = response.content.decode()
    assert response.status_code == 200 and "Submit incomplete data?" in content
    assert "6 of 62 respondents have finished" in content and "Pupil 0/30" in content
    assert 'data-action="confirm-submit"' in content and 'name="decision"' not in content
    assert 'name="comment" value="Sedia"' in content
    assert not ReviewSubject.objects.exists() and not ReviewEvent.objects.exists()

    response = client.post(SSQS_SUBMIT, {"comment": "Sedia", "confirm": "1"}, follow=True)
    subject = ReviewSubject.objects.get()
    assert (subject.programme, subject.year, subject.window) == ("ssqs", 2026, "")
    assert (subject.state, subject.decided_by) == ("submitted", coordinator)
    event = ReviewEvent.objects.get()
    assert (event.act, event.by, event.comment) == ("submitted", coordinator, "Sedia")
    assert event.missing[0].startswith("6 of 62")  # what was missing is kept
    page = response.content.decode()
    assert "Submitted: BBA0001, SSQS 2026." in page
    assert 'data-submit-state="submitted"' in page and "Submitted on " in page
    assert f'data-submitted-by="{coordinator.username}"' in page
    assert 'data-action="submit"' not in page  # no second submission
    assert "submitted although incomplete" in page
    # Submitting locks nothing: respondents still answer, the coordinator still edits.
    assert window_state(cycle=six_of_62, school=world.a).is_open


def test_complete_ssqs_data_is_submitted_at_once(world, mini_cycle, login, monkeypatch):
    """Every respondent finished (the programme reports nothing missing): no confirmation."""
    from dataclasses import replace

    from core.review import programmes

    complete_ssqs = replace(programmes.get("ssqs"), missing=lambda subject: [])
    monkeypatch.setitem(programmes._PROGRAMMES, "ssqs", complete_ssqs)
    response = login(world.users["coord_a"]).post(SSQS_SUBMIT, {})
    assert response.status_code == 302 and response["Location"] == SSQS_RESULT
    assert recorded() == [("ssqs", "", "submitted", world.users["coord_a"].username)]
    assert ReviewEvent.objects.get().missing == []


def test_officers_read_submitted_on_their_school_table_and_school_page(world, six_of_62, login):
    from monitoring.rollups import rollups_rebuild

    login(world.users["coord_a"]).post(SSQS_SUBMIT, {"confirm": "1"})
    rollups_rebuild(cycle_id=six_of_62.pk)
    officer = english(login(world.users["officer_d1"]))
    table = officer.get("/pemantauan/district/SGR-PETALING/sekolah/").content.decode()
    assert table.count('data-review-badge="submitted"') == 1
    school = officer.get("/sekolah/BBA0001/").content.decode()
    assert 'data-review-state="submitted"' in school
    result = officer.get(SSQS_RESULT).content.decode()
    assert 'data-review-state="submitted"' in result
    assert "data-submit-card" not in result and 'data-action="submit"' not in result
    # The officer verifies the submitted data as before.
    officer.post("/pemantauan/semak/BBA0001/", {"decision": "verified", "confirm": "1"})
    assert ReviewSubject.objects.get().state == "verified"


def test_a_returned_subject_is_submitted_again_after_corrections(world, six_of_62, login):
    coordinator = login(world.users["coord_a"])
    coordinator.post(SSQS_SUBMIT, {"confirm": "1"})
    # A second submission is refused with a message, and nothing is recorded.
    coordinator.post(SSQS_SUBMIT, {"confirm": "1"})
    assert len(recorded()) == 1
    login(world.users["officer_d1"]).post(
        "/pemantauan/semak/BBA0001/", {"decision": "returned", "comment": "Semak guru"}
    )
    client = english(login(world.users["coord_a"]))
    page = client.get(SSQS_RESULT).content.decode()
    assert 'data-submit-state="returned"' in page and "Submit again for review" in page
    client.post(SSQS_SUBMIT, {"confirm": "1"})
    assert [act for *_rest, act, _by in recorded()] == ["submitted", "returned", "submitted"]
    assert ReviewSubject.objects.get().state == "submitted"
    # Once verified there is nothing to submit: no button, and a POST changes nothing.
    subject_act(programme="ssqs", year=2026, school=world.a, act="verified",
                by=world.users["officer_d1"], confirmed=True)  # fmt: skip
    page = client.get(SSQS_RESULT).content.decode()
    assert 'data-submit-state="verified"' in page and 'data-action="submit"' not in page
    response = client.post(SSQS_SUBMIT, {"confirm": "1"}, follow=True)
    assert "nothing to submit" in response.content.decode()
    assert ReviewSubject.objects.get().state == "verified" and len(recorded()) == 4


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer_d1", 403), ("national", 403), ("resp_a", 403), ("head_a", 403),
     ("exam_sec_a", 403), ("coord_b", 404), (None, 302)],
)  # fmt: skip
def test_only_the_schools_coordinator_may_submit(world, six_of_62, login, persona, status):
    client = login(world.users[persona] if persona else None)
    response = client.post(SSQS_SUBMIT, {"confirm": "1"})
    assert response.status_code == status
    response = client.post(PIBK_SUBMIT, {"window": "K1-NOV", "confirm": "1"})
    assert response.status_code == status
    assert not ReviewSubject.objects.exists() and not ReviewEvent.objects.exists()


def test_the_button_is_shown_only_to_who_may_submit(world, six_of_62, login):
    for persona in ("officer_d1", "head_a"):
        page = login(world.users[persona]).get(SSQS_RESULT).content.decode()
        assert "data-submit-panel" not in page, persona


# -- PIBK -------------------------------------------------------------------------------


@pytest.fixture
def pibk_a(world, monkeypatch):
    from pibk.services import school_year_ensure

    monkeypatch.setattr("pibk.services.today", lambda: DAY)
    return school_year_ensure(school=world.a, year=2026)


def test_the_pibk_coordinator_submits_one_window(world, pibk_a, login):
    pibk_a.activities.filter(code__in="AB").update(
        held_on=datetime.date(2026, 1, 10), expected=5, attended=4
    )
    coordinator = world.users["coord_a"]
    client = english(login(coordinator))
    page = client.get(PIBK_SCHOOL).content.decode()
    assert page.count('data-action="submit"') == 5  # one per window
    response = client.post(PIBK_SUBMIT, {"window": "K1-MAR"}, follow=True)
    assert recorded() == [("pibk", "K1-MAR", "submitted", coordinator.username)]
    page = response.content.decode()
    assert "Submitted: BBA0001, PIBK 2026, KPI 1, by 31 March (A, B)." in page
    assert 'data-window="K1-MAR" data-status="submitted"' in page
    assert 'data-submit-state="submitted" data-submit-window="K1-MAR"' in page
    assert page.count('data-action="submit"') == 4
    # The district reads it on its grid and on the school's page.
    officer = login(world.users["officer_d1"])
    grid = officer.get("/pibk/pemantauan/district/SGR-PETALING/").content.decode()
    assert 'data-window="K1-MAR" data-status="submitted"' in grid
    school = officer.get(PIBK_SCHOOL).content.decode()
    assert 'data-window="K1-MAR" data-status="submitted"' in school
    assert "data-submit-panel" not in school


def test_an_incomplete_pibk_window_names_what_is_missing_first(world, pibk_a, login):
    client = english(login(world.users["coord_a"]))
    response = client.post(PIBK_SUBMIT, {"window": "K1-MAR"})
    content = response.content.decode()
    assert response.status_code == 200 and content.count("data-missing-item") == 2
    assert "A Registration day (Hari Pendaftaran) was not held" in content
    assert 'name="window" value="K1-MAR"' in content
    assert not ReviewEvent.objects.exists()
    client.post(PIBK_SUBMIT, {"window": "K1-MAR", "confirm": "1"})
    subject = ReviewSubject.objects.get()
    assert (subject.window, subject.state) == ("K1-MAR", "submitted")
    assert len(ReviewEvent.objects.get().missing) == 2
    # Entry stays open where the dates allow it: the November window is still open.
    from pibk import windows

    assert windows.window_open(pibk_a, "K1-NOV", DAY)[0]


def test_a_pibk_submission_needs_a_known_window_and_year(world, pibk_a, login):
    client = english(login(world.users["coord_a"]))
    response = client.post(PIBK_SUBMIT, {"window": "K9", "confirm": "1"}, follow=True)
    assert response.status_code == 200 and "Choose a collection window." in (
        response.content.decode()
    )
    response = client.post("/pibk/sekolah/BBA0001/hantar/?year=2019", {"window": "K1-MAR"})
    assert response.status_code == 404
    assert not ReviewEvent.objects.exists()
