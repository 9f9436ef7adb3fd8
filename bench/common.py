"""Shared set-up for benchmarks: a fresh PostgreSQL database and timing helpers.

Benchmarks are scripts, not tests: run them with the project's Python on a
machine with PostgreSQL, e.g. `.venv/bin/python bench/foundation.py`, and
record what they print in bench/RESULTS.md.
"""

import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHOOL_LIST = ROOT.parent / "shared" / "data" / "schools" / "SenaraiSekolahWeb_Julai2025.csv"
sys.path.insert(0, str(ROOT))


def setup_django(db_name="ssqs_bench", fresh=True, broker=""):
    """Point Django at a PostgreSQL database ``db_name`` (recreated if fresh).

    With ``broker`` (a Redis URL) tasks are sent to it, as in production,
    instead of running in-process; nothing needs to consume them.
    """
    base = os.environ.get("BENCH_PG", "postgres://postgres:postgres@127.0.0.1:5432")
    if fresh:
        psql = ["psql", f"{base}/postgres", "-qtAc"]
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"], check=True)
        subprocess.run([*psql, f"CREATE DATABASE {db_name}"], check=True)
    os.environ.update(
        {
            "DATABASE_URL": f"{base}/{db_name}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "CELERY_BROKER_URL": broker,
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "ssqs_portal.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production serves hashed files after collectstatic; plain names suffice here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {pg}"
    )


@contextmanager
def timed(label, results):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start
    print(f"{label}: {results[label]:.3f} s", flush=True)


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: ``with count_queries() as n``."""
    from django.db import connection

    counter = [0]

    def wrapper(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def sample(fn, n):
    """Return (p50, p95, max) in milliseconds of ``n`` calls of ``fn``."""
    fn()  # warm up
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def bench_officer(username, unit_code):
    """An officer (a person with the role officer) in the unit ``unit_code``."""
    from django.contrib.auth import get_user_model

    from core.people.services import role_grant
    from core.people.units import unit_resolve

    user = get_user_model().objects.create(username=username, role="person")
    role_grant(user=user, role="officer", unit=unit_resolve(unit_code))
    return user


def measure(cases, n=30):
    """Print p50/p95/max and the query count of each (label, call, expected status or None)."""
    for label, call, status in cases:

        def run(call=call, status=status, label=label):
            response = call()
            if status is not None:
                assert response.status_code == status, (label, response.status_code)

        with count_queries() as queries:
            run()
        p50, p95, worst = sample(run, n)
        print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, "
              f"{queries[0]} queries", flush=True)  # fmt: skip
