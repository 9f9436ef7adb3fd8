"""A hung Redis (stopped with SIGSTOP) makes cache calls and task queueing fail fast.

Runs its own redis-server on a free port (never the shared one) and the real
settings in a child process, as a web process would.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import os, signal, time
import django
django.setup()
from django.core.cache import cache
from ssqs_portal.tasks import heartbeat

cache.set("warm", 1)
heartbeat.delay()
os.kill(int(os.environ["REDIS_PID"]), signal.SIGSTOP)
for label, call in (("cache", lambda: cache.get("warm")), ("broker", heartbeat.delay)):
    started = time.monotonic()
    try:
        call()
        outcome = "answered"
    except Exception as exc:
        outcome = type(exc).__name__
    print(label, outcome, round(time.monotonic() - started, 2))
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_a_hung_redis_fails_cache_calls_and_task_queueing_within_seconds():
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "ssqs_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "redis-timeout-test",
            "ALLOWED_HOSTS": "testserver",
            "CACHE_URL": f"redis://127.0.0.1:{port}/1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
            "REDIS_PID": str(server.pid),
            "LOG_LEVEL": "ERROR",
        }
        child = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
    results = {line.split()[0]: line.split()[1:] for line in child.stdout.splitlines()}
    assert set(results) == {"cache", "broker"}, child.stdout + child.stderr
    outcome, seconds = results["cache"]
    assert outcome == "TimeoutError" and float(seconds) < 2
    outcome, seconds = results["broker"]
    assert outcome != "answered" and float(seconds) < 5
