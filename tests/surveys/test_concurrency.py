"""Two saves at once lose nothing; a real worker recomputes a rating from Redis."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections

from surveys.answering import domain_save
from surveys.models import Answer, Rating, Respondent, SaveReceipt
from surveys.rating import rating_recompute
from tests.surveys.conftest import complete, post

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once need PostgreSQL (CI runs it; set DATABASE_URL)")


def run_at_once(*functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - surfaced to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


def test_two_concurrent_saves_of_one_respondent_both_land(world, mini_cycle):
    needs_postgresql()
    teacher_id = Respondent.objects.filter(school=world.a, category="teacher").first().pk
    shown = '{"U1-01": null, "U1-02": null, "U1-03": null}'

    def save(**values):
        def go():
            respondent = Respondent.objects.select_related("cycle", "school").get(pk=teacher_id)
            domain_save(
                respondent=respondent, domain_code="U1", post=post(_initial=shown, **values)
            )

        return go

    for _ in range(5):
        Answer.objects.filter(respondent_id=teacher_id).delete()
        run_at_once(save(U1_01="4"), save(U1_02="ya", U1_03="tab dua"))
        answers = dict(
            Answer.objects.filter(respondent_id=teacher_id).values_list("question", "value")
        )
        assert answers == {"U1-01": "4", "U1-02": "ya", "U1-03": "tab dua"}
        teacher = Respondent.objects.get(pk=teacher_id)
        assert teacher.completed_domains == ["U1"]  # whichever landed last saw both


def test_one_save_sent_twice_at_once_is_written_once(world, mini_cycle):
    """A browser retrying a save whose answer was lost: both copies arrive together."""
    needs_postgresql()
    teacher_id = Respondent.objects.filter(school=world.a, category="teacher").first().pk
    replayed = []

    def send(seq):
        def go():
            respondent = Respondent.objects.select_related("cycle", "school").get(pk=teacher_id)
            result = domain_save(
                respondent=respondent,
                domain_code="U1",
                post=post(U1_01="4", _client="retry-browser", _seq=seq),
            )
            replayed.append(result.replayed)

        return go

    for seq in ("1001", "1002", "1003", "1004", "1005"):
        replayed.clear()
        run_at_once(send(seq), send(seq))
        assert sorted(replayed) == [False, True]  # one written, the copy answered "saved"
        assert SaveReceipt.objects.get(respondent_id=teacher_id, domain="U1").seq == int(seq)


def test_two_recomputes_at_once_agree(world, mini_cycle):
    needs_postgresql()
    for respondent in Respondent.objects.filter(school=world.c).select_related("cycle", "school"):
        complete(respondent)

    def recompute():
        rating_recompute(cycle_id=mini_cycle.pk, school_id=world.c.pk)

    run_at_once(recompute, recompute, recompute)
    rating = Rating.objects.get(school=world.c)
    assert (rating.score, rating.status, rating.respondents_finished) == (100, "final", 14)


def test_a_worker_recomputes_a_rating_from_the_broker(world, mini_cycle):
    needs_postgresql()
    broker = os.environ.get("TEST_CELERY_BROKER_URL")
    if not broker:
        pytest.skip("set TEST_CELERY_BROKER_URL (CI points it at Redis) to run a real worker")
    from celery import Celery

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "DJANGO_SETTINGS_MODULE": "ssqs_portal.settings",
        "SECRET_KEY": "worker-test",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ssqs_portal",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery("test-client", broker=broker)
    try:
        client.send_task(
            "surveys.tasks.recompute_school_rating", args=(mini_cycle.pk, world.b.pk), queue=queue
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Rating.objects.filter(school=world.b).exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.3)
        assert Rating.objects.filter(school=world.b, cycle=mini_cycle).exists()
    finally:
        client.close()
        worker.terminate()
        worker.wait(10)


def _database_url():
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )
