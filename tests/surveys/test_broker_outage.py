"""A real worker survives its broker going away (SIGKILL) and coming back.

Needs PostgreSQL (the worker is another process), a Redis the test may kill
(its own, started here on a free port: never the shared one) and
TEST_CELERY_BROKER_URL set, as CI does, to say real workers are wanted.
kombu 5.7.0 failed this: "Unrecoverable error: AttributeError ... 'hostname'"
after "Restoring N unacknowledged message(s)", and the worker exited.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from surveys.models import Rating
from tests.surveys.test_concurrency import ROOT, _database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(port):
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"redis-server did not start on {port}")


def _wait_for(predicate, worker, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        assert worker.poll() is None, "the worker exited:\n" + worker.stdout.read().decode()
        time.sleep(0.3)
    return False


def test_the_worker_survives_its_broker_being_killed(world, mini_cycle):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs PostgreSQL (CI runs it; set DATABASE_URL)")
    if not os.environ.get("TEST_CELERY_BROKER_URL"):
        pytest.skip("set TEST_CELERY_BROKER_URL (CI does) to run real workers")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    from celery import Celery

    port = _free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    redis = _start_redis(port)
    worker = None
    client = Celery("test-client", broker=broker)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker,
            "DJANGO_SETTINGS_MODULE": "ssqs_portal.settings",
            "SECRET_KEY": "worker-test",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("CACHE_URL", None)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ssqs_portal", "worker", "-Q", queue,
             "--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip

        def rate(school):
            client.send_task(
                "surveys.tasks.recompute_school_rating",
                args=(mini_cycle.pk, school.pk),
                queue=queue,
            )
            return lambda: Rating.objects.filter(cycle=mini_cycle, school=school).exists()

        assert _wait_for(rate(world.a), worker, 25), "the worker never took a task"
        for _ in range(3):  # held by the worker, unacknowledged, when the broker dies
            client.send_task(
                "surveys.tasks.recompute_school_rating",
                args=(mini_cycle.pk, world.a.pk),
                queue=queue,
                countdown=120,
            )
        time.sleep(1)
        redis.send_signal(signal.SIGKILL)
        redis.wait(5)
        time.sleep(4)
        assert worker.poll() is None
        redis = _start_redis(port)
        client.close()
        client = Celery("test-client", broker=broker)
        assert _wait_for(rate(world.b), worker, 25), "no task done after the broker came back"
        assert worker.poll() is None
    finally:
        client.close()
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
        redis.kill()
        redis.wait(5)
