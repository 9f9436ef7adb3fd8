"""SSQS benchmarks on PostgreSQL (issue 3).

Targets: for a school with 62 respondents, the domain page and the domain
save at 100 ms p95 or less under 20 concurrent respondents; one school's
recompute in 50 ms or less; a filled respondent form PDF in 0.5 s or less.

The HTTP load runs against gunicorn (the production server) on loopback,
20 client threads each acting as one respondent of the same school.
"""

import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from common import ROOT, machine, sample, setup_django

DB = "ssqs_bench_ssqs"
PORT = 8799
CLIENTS = 20
ROUNDS = 15  # each client: ROUNDS x (GET domain page, POST save)
BROKER = "redis://127.0.0.1:6379/13"
CACHE = "redis://127.0.0.1:6379/12"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main():
    setup_django(DB)
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.test import Client

    from schools.models import School
    from surveys.answering import domain_save
    from surveys.models import Respondent
    from surveys.rating import rating_recompute
    from surveys.rosters import cycle_open

    sys.path.insert(0, str(ROOT))
    from tests.surveys.conftest import best_post

    print("machine:", machine())
    call_command(
        "import_schools",
        ROOT / "schools" / "fixtures" / "demo_schools.csv",
        initial_password="Bench-12345",
        verbosity=0,
    )
    import datetime

    today = datetime.date.today()
    cycle = cycle_open(
        year=2026,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    spec = cycle.instrument.spec
    school = School.objects.get(code="BBA5008")
    respondents = list(
        Respondent.objects.filter(cycle=cycle, school=school).select_related(
            "cycle__instrument", "school"
        )
    )
    assert len(respondents) == 62

    # In-process service timings while completing every respondent.
    saves = []
    for respondent in respondents:
        for domain in spec.domains_for(respondent.category):
            start = time.perf_counter()
            domain_save(
                respondent=respondent,
                domain_code=domain.code,
                post=best_post(spec, domain.code, respondent.category),
            )
            saves.append((time.perf_counter() - start) * 1000)
    print(
        f"domain_save service (in process, {len(saves)} saves): p50 "
        f"{percentile(saves, 50):.1f} ms, p95 {percentile(saves, 95):.1f} ms"
    )
    p50, p95, worst = sample(lambda: rating_recompute(cycle_id=cycle.pk, school_id=school.pk), 50)
    rating = rating_recompute(cycle_id=cycle.pk, school_id=school.pk)
    print(
        f"one school's recompute (62 respondents, {rating.status}, score {rating.score}): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms"
    )

    account = get_user_model().objects.get(username="BBA5008R")
    client = Client()
    client.force_login(account)
    session = client.session
    longest = next(r for r in respondents if r.category == "coordinator")  # 32 questions
    session["ssqs_respondent"] = longest.pk
    session.save()

    def pdf():
        response = client.get("/ssqs/borang.pdf")
        assert response["Content-Type"] == "application/pdf", response.status_code

    p50, p95, worst = sample(pdf, 10)
    print(
        f"filled respondent form PDF ({longest.get_category_display()}, the longest): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms"
    )

    # HTTP load: 20 respondents of the same school at once, through gunicorn.
    teachers = [r for r in respondents if r.category == "teacher"][:CLIENTS]
    cookies = []
    for respondent in teachers:
        store = SessionStore()
        store["_auth_user_id"] = str(account.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = account.get_session_auth_hash()
        store["ssqs_respondent"] = respondent.pk
        store.create()
        csrf = secrets.token_hex(16)
        cookies.append((f"sessionid={store.session_key}; csrftoken={csrf}", csrf))
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CELERY_BROKER_URL": BROKER,
        "CACHE_URL": CACHE,
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": "/tmp/ssqs-bench-static",
    }
    Path("/tmp/ssqs-bench-static").mkdir(exist_ok=True)
    # As in production: hashed static files collected first, then gunicorn.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # SESSION_COOKIE_SECURE is on with DEBUG off; the cookie is sent by hand here.
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "ssqs_portal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "ssqs_portal",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        body = best_post(spec, "U1", "teacher")
        form = urllib.parse.urlencode(list(body.lists()), doseq=True).encode()
        results = {"GET domain page": [], "POST domain save (htmx)": []}
        errors = []

        def respondent_loop(cookie, csrf, think=0.0):
            import random

            rng = random.Random(cookie)
            headers = {"Cookie": cookie, "Host": "127.0.0.1"}
            for _ in range(ROUNDS):
                for label, request in (
                    (
                        "GET domain page",
                        urllib.request.Request(
                            f"http://127.0.0.1:{PORT}/ssqs/domain/U1/", headers=headers
                        ),
                    ),
                    (
                        "POST domain save (htmx)",
                        urllib.request.Request(
                            f"http://127.0.0.1:{PORT}/ssqs/domain/U1/",
                            data=form,
                            method="POST",
                            headers={
                                **headers,
                                "X-CSRFToken": csrf,
                                "HX-Request": "true",
                                "Content-Type": "application/x-www-form-urlencoded",
                            },
                        ),
                    ),
                ):
                    start = time.perf_counter()
                    try:
                        with urllib.request.urlopen(request, timeout=10) as response:
                            response.read()
                            if response.status != 200:
                                errors.append(response.status)
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        errors.append(repr(exc))
                    results[label].append((time.perf_counter() - start) * 1000)
                    if think:
                        time.sleep(rng.uniform(think / 2, think * 1.5))

        for cookie in cookies[:4]:  # warm the workers
            respondent_loop(*cookie)
        for values in results.values():
            values.clear()
        for mode, think in (
            ("paced: each respondent thinks 1-3 s between requests", 2.0),
            ("closed loop: no think time (stress)", 0.0),
        ):
            for values in results.values():
                values.clear()
            errors.clear()
            threads = [threading.Thread(target=respondent_loop, args=(*c, think)) for c in cookies]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
            total = sum(len(v) for v in results.values())
            print(
                f"HTTP, {CLIENTS} respondents at once, {mode}: {total} requests in "
                f"{elapsed:.1f} s ({total / elapsed:.0f} req/s), errors: {len(errors)} "
                f"{errors[:3]}"
            )
            for label, values in results.items():
                print(
                    f"  {label}: p50 {percentile(values, 50):.0f} ms, p95 "
                    f"{percentile(values, 95):.0f} ms, max {max(values):.0f} ms"
                )
        time.sleep(7)  # the debounced recompute lands
        from surveys.models import Rating

        rating = Rating.objects.get(cycle=cycle, school=school)
        print(f"rating after the load, by the worker: {rating.score} ({rating.computed_at})")
    finally:
        server.terminate()
        worker.terminate()
        server.wait(10)
        worker.wait(20)


if __name__ == "__main__":
    main()
