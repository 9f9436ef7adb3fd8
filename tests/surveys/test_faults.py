"""Nothing lost when services fail: marks converge ratings; a lost enqueue still saves."""

import datetime

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from monitoring.models import SchoolProgress, SsqsRollUp
from surveys.answering import domain_save
from surveys.convergence import schools_to_recompute
from surveys.models import Answer, Rating, RatingMark, Respondent
from surveys.rating import (
    cycle_recompute,
    marked_ratings_recompute,
    rating_marks_clear,
    rating_marks_of,
    rating_recompute,
)
from surveys.tasks import recompute_marked_ratings, recompute_school_rating
from tests.surveys.conftest import best_post, complete, respondents

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def ago(seconds):
    return NOW - datetime.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("marks", "due"),
    [
        ([], {}),
        ([(1, 10, ago(31))], {1: [10]}),
        ([(1, 10, ago(30))], {1: [10]}),  # exactly settled
        ([(1, 10, ago(29))], {}),  # its own debounced task is still due
        ([(1, 10, ago(3600)), (1, 11, ago(5)), (1, 12, ago(600))], {1: [10, 12]}),
        ([(2, 10, ago(60)), (1, 10, ago(60))], {1: [10], 2: [10]}),  # every cycle
        ([(1, 12, ago(60)), (1, 10, ago(90))], {1: [10, 12]}),  # sorted
        ([(1, 10, ago(-60))], {}),  # a clock ahead: taken once settled
    ],
)
def test_the_periodic_task_recomputes_every_settled_mark(marks, due):
    assert schools_to_recompute(marks, now=NOW) == due


def _unsettled(cycle, school, marked_at):
    RatingMark.objects.update_or_create(
        cycle=cycle, school=school, defaults={"marked_at": marked_at}
    )


def test_a_save_marks_its_school_in_its_own_transaction(world, mini_cycle, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    teacher = respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school").first()
    post = best_post(mini_cycle.instrument.spec, "U1", "teacher")
    with pytest.raises(RuntimeError), transaction.atomic():
        domain_save(respondent=teacher, domain_code="U1", post=post)
        raise RuntimeError("rolled back")
    assert not RatingMark.objects.exists() and not Answer.objects.exists()
    domain_save(respondent=teacher, domain_code="U1", post=post)
    assert list(RatingMark.objects.values_list("school_id", flat=True)) == [world.a.pk]


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_enqueue_fails_still_answers_saved(
    world, real_cycle, login, settings, monkeypatch
):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(cache, "add", down)
    client = login(world.users["resp_a"])
    teacher = respondents(real_cycle, world.a, "teacher").first()
    client.post("/ssqs/pilih/", {"tag_number": teacher.tag})
    response = client.post(
        "/ssqs/domain/U1/",
        best_post(real_cycle.instrument.spec, "U1", "teacher"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'data-saved="true"' in response.content.decode()
    assert Answer.objects.filter(respondent=teacher).exists()
    assert RatingMark.objects.filter(cycle=real_cycle, school=world.a).exists()
    # and the broker down instead of the cache: the same
    monkeypatch.undo()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(recompute_school_rating, "apply_async", down)
    response = client.post(
        "/ssqs/domain/U2/",
        best_post(real_cycle.instrument.spec, "U2", "teacher"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'data-saved="true"' in response.content.decode()


def test_marked_schools_converge_with_no_new_save(world, mini_cycle, settings):
    # Answers committed while nothing was enqueued (the broker was down).
    settings.CELERY_TASK_ALWAYS_EAGER = False
    for respondent in Respondent.objects.filter(cycle=mini_cycle, school=world.c):
        complete(respondent)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert not Rating.objects.filter(school=world.c).exists()
    RatingMark.objects.update(marked_at=timezone.now() - datetime.timedelta(minutes=5))
    _unsettled(mini_cycle, world.a, timezone.now())  # a save of a moment ago: not yet

    assert recompute_marked_ratings.apply().get() == 1
    rating = Rating.objects.get(school=world.c)
    assert (rating.score, rating.status) == (100, "final")
    progress = SchoolProgress.objects.get(cycle=mini_cycle, school=world.c)
    assert (progress.score, progress.stars, progress.status) == (100, 5, "complete")
    nation = SsqsRollUp.objects.get(period=mini_cycle.year, level="national")
    assert nation.rated == 1 and nation.stars_final == [0, 0, 0, 0, 1]
    assert list(RatingMark.objects.values_list("school_id", flat=True)) == [world.a.pk]


def test_a_mark_set_again_during_a_recompute_stays(world, mini_cycle):
    _unsettled(mini_cycle, world.a, timezone.now() - datetime.timedelta(minutes=1))
    seen = rating_marks_of(mini_cycle.pk, [world.a.pk])
    RatingMark.objects.update(marked_at=timezone.now())  # a save landed meanwhile
    assert rating_marks_clear(seen) == 0
    assert RatingMark.objects.count() == 1
    assert rating_marks_clear(rating_marks_of(mini_cycle.pk)) == 1
    assert not RatingMark.objects.exists()


def test_a_recompute_killed_before_its_roll_ups_changes_nothing(world, mini_cycle, monkeypatch):
    import monitoring.rollups

    for respondent in Respondent.objects.filter(cycle=mini_cycle, school=world.c):
        complete(respondent)
    cycle_recompute(cycle_id=mini_cycle.pk)  # rated, progress and roll-ups written
    Rating.objects.filter(school=world.c).update(score=50, stars=3)
    SchoolProgress.objects.filter(school=world.c).update(score=50, stars=3)
    _unsettled(mini_cycle, world.c, timezone.now() - datetime.timedelta(minutes=5))

    def killed(**kwargs):
        raise SystemExit("SIGKILL")

    monkeypatch.setattr(monitoring.rollups, "rollups_rebuild", killed)
    for run in (
        lambda: cycle_recompute(cycle_id=mini_cycle.pk),
        lambda: cycle_recompute(cycle_id=mini_cycle.pk, school_ids=[world.c.pk]),
        marked_ratings_recompute,
    ):
        with pytest.raises(SystemExit):
            run()
        # neither the rating nor the progress row moved: they still agree
        assert Rating.objects.get(school=world.c).stars == 3
        assert SchoolProgress.objects.get(school=world.c).stars == 3
        assert RatingMark.objects.filter(school=world.c).exists()


def test_a_rating_and_its_progress_row_commit_together(world, mini_cycle, monkeypatch):
    import monitoring.rollups

    for respondent in Respondent.objects.filter(cycle=mini_cycle, school=world.c):
        complete(respondent)
    cycle_recompute(cycle_id=mini_cycle.pk)
    Rating.objects.filter(school=world.c).update(score=50, stars=3)

    def killed(**kwargs):
        raise SystemExit("SIGKILL")

    monkeypatch.setattr(monitoring.rollups, "progress_refresh", killed)
    with pytest.raises(SystemExit):
        recompute_school_rating.apply(args=(mini_cycle.pk, world.c.pk)).get()
    assert Rating.objects.get(school=world.c).stars == 3


def test_a_rating_task_is_retried_when_the_database_is_down(world, mini_cycle, monkeypatch):
    import surveys.rating

    real = surveys.rating.school_rating_refresh
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")
        return real(**kwargs)

    monkeypatch.setattr(surveys.rating, "school_rating_refresh", flaky)
    # Eager, the retry runs at once, inside the first attempt.
    recompute_school_rating.apply(args=(mini_cycle.pk, world.b.pk), throw=False)
    assert len(calls) == 2
    assert Rating.objects.filter(cycle=mini_cycle, school=world.b).exists()
    assert recompute_school_rating.max_retries and recompute_school_rating.retry_backoff


def test_a_lost_task_returns_within_minutes_not_an_hour(settings):
    from ssqs_portal.celery import app

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < timeout <= 15 * 60
    assert app.conf.task_reject_on_worker_lost is True
    assert recompute_school_rating.acks_late


def test_rating_recompute_still_agrees_with_a_marked_recompute(world, mini_cycle):
    for respondent in Respondent.objects.filter(cycle=mini_cycle, school=world.c):
        complete(respondent)
    expected = rating_recompute(cycle_id=mini_cycle.pk, school_id=world.c.pk).score
    Rating.objects.all().delete()
    _unsettled(mini_cycle, world.c, timezone.now() - datetime.timedelta(minutes=5))
    marked_ratings_recompute()
    assert Rating.objects.get(school=world.c).score == expected


def test_a_lost_roll_up_enqueue_is_logged_not_raised(
    world, mini_cycle, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from django.core.cache import cache

    from monitoring.hooks import rating_changed
    from pibk.rollups import rollups_enqueue

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(cache, "add", down)
    with django_capture_on_commit_callbacks(execute=True):
        rollups_enqueue(year=2026)
        rating_changed(mini_cycle.pk, world.a.pk)
    assert "PIBK roll-ups of 2026 not enqueued" in caplog.text
    assert f"Roll-ups of cycle {mini_cycle.pk} not enqueued" in caplog.text
