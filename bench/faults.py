"""Fault drills (issue 12): Redis, a worker and PostgreSQL fail under real processes.

    .venv/bin/python bench/faults.py [--case redis|worker|postgres|all] [--outage 30]
                                     [--pg-outage 20] [--clients 10]

Everything runs on loopback against the drill's OWN instances, never the
shared 5432/6379 services: a PostgreSQL cluster initialised in a temporary
directory (``initdb``, run as the postgres user when started as root) on a
free port from 5442, and a ``redis-server`` (no persistence) on a free port
from 6390. Both are stopped and removed at the end, also on failure.

The world is bench/load.py's (``build_world``: 6 schools, 62 respondents
each, the cycle open, respondent passwords set); then the three schools of
PPD Petaling Utama get every respondent's answers (committed and marked, as
saves whose enqueue was lost, so only the safety net rates them). gunicorn
(2 sync workers, DEBUG off), one Celery worker (one process) and Celery beat
run as in production, with Redis as cache (db 0) and broker (db 1). The
drill's beat runs the marked-ratings safety net every ``BEAT_EVERY`` seconds
instead of every 2 minutes (its schedule is a row in the drill's own
database), so convergence is measured in seconds, not minutes: marks still
settle for 30 s first (``surveys.convergence.SETTLE``).

Cases:

redis     ``--clients`` respondents save through gunicorn (bench/load.py's
          client); Redis is killed for ``--outage`` s and started again
          (empty: no persistence, so every queued task is lost too). Every
          save must answer saved and be in the database; Pilih Responden
          works during the outage; the worker and beat survive; the ratings
          converge (beat's safety net) to what ``recompute_ratings`` gives,
          with progress rows and roll-ups agreeing. Then Redis is SIGSTOPped
          and page loads are timed.
worker    The whole worker (main process and its pool process) is SIGKILLed
          while the safety net's recompute is half-way through its
          transaction (held there by a lock on the progress table, so the
          kill lands mid-transaction every time). Readers during and after
          see ratings, progress rows and roll-ups agree; a new worker
          converges them (the lost message itself comes back after the
          broker's visibility_timeout, read from settings). Then a district's
          certificate batch: its pool process is SIGKILLed mid-batch, the
          task is re-delivered at once, leaves the still-fresh batch alone,
          and takes it over once it counts as stalled (its heartbeat moved
          back by ``BATCH_STALLS_AFTER``, standing in for those 5 minutes).
postgres  Logged-in respondents load and save pages and /health/ is polled
          while the drill's cluster is stopped for ``--pg-outage`` s: pages
          must answer 503 (never 500), /health/ JSON 503; rating tasks sent
          meanwhile fail on OperationalError, are retried and succeed; pages
          work again with no restart.

It prints a PASS/FAIL table with the figures and exits 1 if any check fails.
"""

import argparse
import atexit
import contextlib
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import load
from common import machine

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
GUNICORN_WORKERS = 2
BEAT_EVERY = 10  # seconds between the drill's safety-net runs (production: 2 minutes)
FILLED = ["BBA5008", "BBC5012", "BEA5020"]  # PPD Petaling Utama, every respondent answered
HUNG_PAGE_LIMIT = 2.5  # seconds a page may take while Redis hangs
WORK = Path(tempfile.mkdtemp(prefix="ssqs-faults-"))
CLEANUP = []


def cleanup():
    while CLEANUP:
        try:
            CLEANUP.pop()()
        except Exception as exc:  # noqa: BLE001 - go on cleaning up
            print("cleanup:", exc, file=sys.stderr)


atexit.register(cleanup)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))


def free_port(start):
    for port in range(start, start + 100):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port from {start}")


# --- the drill's own PostgreSQL and Redis ----------------------------------------------


class Postgres:
    def __init__(self, port):
        self.port = port
        self.dir = WORK / "pg"
        self.dir.mkdir()
        self.as_owner = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(WORK, "postgres")
            shutil.chown(self.dir, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self.run(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        CLEANUP.append(self.remove)

    def run(self, *command, check=True):
        return subprocess.run(
            [*self.as_owner, *map(str, command)], check=check, capture_output=True, text=True
        )

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w", "-o", options,
                 "start")  # fmt: skip

    def stop(self, mode="fast"):
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def remove(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    def __init__(self, port):
        self.port, self.process = port, None
        CLEANUP.append(self.stop)

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(WORK)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()

    def cli(self, *command, db=0):
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), "-n", str(db), *command],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()


# --- the portal's processes ----------------------------------------------------------


class Stack:
    """gunicorn, a Celery worker and beat, all on the drill's PostgreSQL and Redis."""

    def __init__(self, redis, port):
        self.redis, self.port = redis, port
        self.base = f"http://127.0.0.1:{port}"
        self.broker = f"redis://127.0.0.1:{redis.port}/1"
        self.env = load.server_env(f"redis://127.0.0.1:{redis.port}/0", self.broker)
        self.env["MEDIA_ROOT"] = str(WORK / "media")  # the certificate ZIPs
        self.worker_log = WORK / "worker.log"
        self.server = self.worker = self.beat = None
        CLEANUP.append(self.stop)

    def start(self):
        log = (WORK / "gunicorn.log").open("a")
        self.server = load.start_gunicorn(
            self.env, self.port, GUNICORN_WORKERS, stdout=log, stderr=subprocess.STDOUT
        )
        self.start_worker()
        self.beat = load.start_celery(
            self.env, "beat", WORK / "beat.log", "INFO", start_new_session=True
        )
        if not load.wait_until_up(self.port, GUNICORN_WORKERS):
            raise SystemExit("gunicorn did not answer on /login/ within 30 s")

    def start_worker(self):
        # Its own process group: a kill takes the main process and its pool process.
        self.worker = load.start_celery(
            self.env, "worker", self.worker_log, "INFO", start_new_session=True
        )

    def pool_process(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            children = subprocess.run(
                ["ps", "--ppid", str(self.worker.pid), "-o", "pid="], capture_output=True, text=True
            ).stdout.split()
            if children:
                return int(children[0])
            time.sleep(0.2)
        raise RuntimeError("the worker has no pool process")

    def kill_worker(self):
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self):
        for process in (self.server, self.beat):
            if process and process.poll() is None:
                process.terminate()
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
        for process in (self.server, self.beat, self.worker):
            if process is None:
                continue
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.worker:
            with contextlib.suppress(ProcessLookupError):  # a pool process left behind
                os.killpg(self.worker.pid, signal.SIGKILL)

    def send(self, name, args=()):
        """Send a task to the broker as a page would; return its id."""
        from celery import Celery

        sender = Celery(broker=self.broker)
        try:
            return sender.send_task(name, args=args).id
        finally:
            sender.close()


# --- the world ----------------------------------------------------------------------


def fill(codes, seed):
    """Answer every domain of every respondent of these schools, as saves whose enqueue was lost.

    Committed and marked (``rating_mark``), not recomputed: only the worker's
    safety net rates them.
    """
    from surveys import answering, rating
    from surveys.demo import _post
    from surveys.models import Cycle, Respondent

    cycle = Cycle.objects.select_related("instrument").get(year=2026)
    spec = cycle.instrument.spec
    rng = random.Random(seed)
    real = rating.enqueue_rating
    rating.enqueue_rating = rating.rating_mark
    try:
        for respondent in Respondent.objects.filter(cycle=cycle, school__code__in=codes).order_by(
            "pk"
        ):
            respondent.cycle = cycle
            for domain in spec.domains_for(respondent.category):
                questions = spec.questions_in(domain.code, respondent.category)
                answering.domain_save(
                    respondent=respondent,
                    domain_code=domain.code,
                    post=_post(questions, rng, rng.uniform(0.3, 0.95)),
                )
    finally:
        rating.enqueue_rating = real


def disagreements():
    """What a reader would see disagree: ratings vs progress rows vs the national roll-up.

    Read in one REPEATABLE READ snapshot, as a dashboard page reads.
    """
    from django.db import connection, transaction

    from monitoring.models import SchoolProgress, SsqsRollUp
    from monitoring.rollups import _aggregates, rollup_rows
    from surveys.models import Cycle, Rating

    connection.close_if_unusable_or_obsolete()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cycle = Cycle.objects.get(year=2026)
        ratings = {
            school: (score, stars, status)
            for school, score, stars, status in Rating.objects.filter(cycle=cycle).values_list(
                "school_id", "score", "stars", "status"
            )
        }
        progress = SchoolProgress.objects.filter(cycle=cycle)
        shown = {
            school: (score, stars, status)
            for school, score, stars, status in progress.values_list(
                "school_id", "score", "stars", "rating_status"
            )
        }
        wrong = [
            f"school {school}: rating {ratings.get(school)} vs progress {shown.get(school)}"
            for school in sorted(set(ratings) | set(shown))
            if ratings.get(school, (None, None, "")) != shown.get(school)
        ]
        nation = SsqsRollUp.objects.filter(period=cycle.year, level="national").first()
        if nation is not None:
            figures = rollup_rows(cycle.pk).aggregate(**_aggregates())
            expected = {
                "schools": figures["schools"],
                "rated": figures["rated"],
                "complete": figures["complete"],
                "respondents_finished": figures["respondents_finished"] or 0,
                "stars_provisional": [figures[f"p{n}"] for n in range(1, 6)],
                "stars_final": [figures[f"f{n}"] for n in range(1, 6)],
            }
            for name, value in expected.items():
                if getattr(nation, name) != value:
                    wrong.append(f"national {name}: {getattr(nation, name)} vs progress {value}")
    return wrong


def marks_left():
    from django.db import connection

    from surveys.models import RatingMark

    connection.close_if_unusable_or_obsolete()
    return RatingMark.objects.count()


def wait_for(condition, timeout, every=0.5):
    """Return seconds until condition() held, or None after timeout."""
    start = time.time()
    while time.time() - start < timeout:
        try:
            if condition():
                return time.time() - start
        except Exception:  # noqa: BLE001 - the database may be coming back
            from django.db import connection

            connection.close()
        time.sleep(every)
    return None


def fresh_recompute_agrees():
    """Whether the touched schools' ratings equal ``recompute_ratings --cycle 2026``'s.

    Touched: a school with any answer. (A school nobody answered for has no
    rating until a whole-cycle recompute gives it 0 stars.) Every stored
    column but ``computed_at`` is compared. Returns (equal, what differs).
    """
    from django.core.management import call_command

    from surveys.models import Answer, Rating
    from surveys.rating import RATING_FIELDS

    fields = [f for f in RATING_FIELDS if f != "computed_at"]
    touched = set(
        Answer.objects.filter(respondent__cycle__year=2026).values_list(
            "respondent__school__code", flat=True
        )
    )

    def rows():
        ratings = Rating.objects.filter(cycle__year=2026, school__code__in=touched)
        return {code: rest for code, *rest in ratings.values_list("school__code", *fields)}

    before = rows()
    with open(os.devnull, "w") as quiet:
        call_command("recompute_ratings", "--cycle", "2026", stdout=quiet)
    after = rows()
    changed = [
        f"{code}: {dict(zip(fields, before[code], strict=True)) if code in before else None}"
        f" -> {dict(zip(fields, after[code], strict=True))}"
        for code in sorted(touched)
        if before.get(code) != after.get(code)
    ]
    return not changed and len(after) == len(touched), changed


def converged(timeout):
    """Seconds until no mark is left and nothing disagrees, or None."""
    return wait_for(lambda: marks_left() == 0 and not disagreements(), timeout)


# --- a respondent's browser -----------------------------------------------------------


class DrillClient(load.Client):
    """bench/load.py's respondent, noting when each save was answered saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_at = []

    def save_domain(self, path):
        super().save_domain(path)
        self.saved_at.append(time.time())

    def sign_in(self):
        """Log in and pick the tag (no thinking): for probes."""
        page, _ = self.request("GET /login/", "/login/")
        token = load.TOKEN.search(page).group(1)
        data = {"csrfmiddlewaretoken": token, "username": self.username, "password": load.PASSWORD}
        self.expect_redirect("POST /login/", "/login/", data, "/")
        self.pick_tag()

    def pick_tag(self):
        page, _ = self.request("GET /ssqs/pilih/", "/ssqs/pilih/")
        choose = {"csrfmiddlewaretoken": load.TOKEN.search(page).group(1), "tag_number": self.tag}
        self.expect_redirect("POST /ssqs/pilih/ (tag)", "/ssqs/pilih/", choose, "/ssqs/domain/")

    def domains(self):
        page, _ = self.request("GET /ssqs/domain/ (list)", "/ssqs/domain/")
        return list(dict.fromkeys(re.findall(r'href="(/ssqs/domain/[^/"]+/)"', page)))

    def raw(self, path, data=None, htmx=False):
        """(status, seconds, headers, body) of one request, whatever its status."""
        headers = {"Host": "127.0.0.1", **({"HX-Request": "true"} if htmx else {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        self.began = time.time()
        start = time.perf_counter()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body, headers=headers), timeout=60
            ) as response:
                content = response.read().decode(errors="replace")
                return response.status, time.perf_counter() - start, response.headers, content
        except OSError as exc:
            return f"no answer ({exc.__class__.__name__})", time.perf_counter() - start, {}, ""


# --- the cases ------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.rows = []

    def check(self, case, what, ok, figure):
        self.rows.append((case, what, bool(ok), figure))
        print(f"  [{'PASS' if ok else 'FAIL'}] {case}: {what}: {figure}", flush=True)

    def note(self, case, what, figure):
        self.rows.append((case, what, None, figure))
        print(f"  [info] {case}: {what}: {figure}", flush=True)

    def table(self):
        print("\n| case | check | result | figure |\n|---|---|---|---|")
        for case, what, ok, figure in self.rows:
            result = "—" if ok is None else ("PASS" if ok else "**FAIL**")
            print(f"| {case} | {what} | {result} | {figure} |")
        return all(ok is not False for *_, ok, _ in self.rows)


def case_redis(stack, redis, world, report, args):
    from surveys.models import Answer

    print(f"\nredis: {args.clients} respondents saving; Redis down for {args.outage} s", flush=True)
    stats = load.Stats()
    start = time.time() + 1
    down_at = start + 20  # every client logged in and saving
    up_at = down_at + args.outage
    # A client starts no new save in the outage's last 8 s (a save takes up to ~6 s with
    # its thinking), so every save lands while Redis is down and only the safety net
    # can rate them.
    clients = [
        DrillClient(n, stack.base, username, tag, stats, up_at - 8, seed=n)
        for n, (username, tag, _) in enumerate(world[: args.clients])
    ]
    arrivals = random.Random(1)
    threads = [
        threading.Thread(target=c.run, args=(start + arrivals.uniform(0, 3),)) for c in clients
    ]
    for thread in threads:
        thread.start()
    probe = DrillClient(99, stack.base, *world[args.clients][:2], stats, 0, seed=99)
    probe.sign_in()
    time.sleep(max(0, down_at - time.time()))
    redis.stop()
    down = time.time()
    time.sleep(args.outage / 3)
    pick_status, pick_seconds, _, _ = probe.raw("/ssqs/pilih/")
    pick_ok = pick_status == 200
    try:
        started = time.perf_counter()
        probe.pick_tag()  # GET and POST the tag: a redirect to the domains
        pick_seconds = time.perf_counter() - started
    except load.StepFailed:
        pick_ok = False
    # A respondent arriving now: a fresh login on the school's account.
    late = DrillClient(98, stack.base, *world[args.clients][:2], load.Stats(), 0, seed=98)
    started = time.perf_counter()
    try:
        page, _ = late.request("GET /login/", "/login/")
        data = {"csrfmiddlewaretoken": load.TOKEN.search(page).group(1)}
        data.update(username=late.username, password=load.PASSWORD)
        late.expect_redirect("POST /login/", "/login/", data, "/")
        login = f"logged in {time.perf_counter() - started:.2f} s"
    except load.StepFailed:
        login = f"FAILED: {late.stats.errors[-1]}"
    time.sleep(max(0, up_at - time.time()))
    redis.start()
    up = time.time()
    for thread in threads:
        thread.join()
    in_outage = sum(1 for c in clients for t in c.saved_at if down <= t <= up)
    saves = sum(c.saves for c in clients)
    last_save = max((t for c in clients for t in c.saved_at), default=up)
    report.check(
        "redis",
        "every save answered saved (none failed)",
        not stats.errors and saves,
        f"{saves} saves, {in_outage} of them during the {up - down:.0f} s outage; "
        f"{len(stats.errors)} errors" + (f" (first: {stats.errors[0]})" if stats.errors else ""),
    )
    equal, differences, uncertain = load.compare(clients, world[: args.clients])
    report.check(
        "redis",
        "answers in the database equal what clients were told",
        equal == len(clients) and not differences,
        f"{equal}/{len(clients)} respondents equal, {len(differences)} different, "
        f"{uncertain} uncertain; {Answer.objects.count()} answers stored",
    )
    report.check(
        "redis",
        "Pilih Responden during the outage",
        pick_ok,
        f"GET {pick_status}, tag accepted in {pick_seconds:.2f} s",
    )
    report.check(
        "redis",
        "a respondent logging in during the outage",
        login.startswith("logged in"),
        login,
    )
    report.check(
        "redis",
        "worker and beat survive",
        stack.worker.poll() is None and stack.beat.poll() is None,
        f"worker {'up' if stack.worker.poll() is None else 'exited'}, "
        f"beat {'up' if stack.beat.poll() is None else 'exited'}",
    )
    seconds = converged(150)
    report.check(
        "redis",
        "ratings converge by themselves (beat's safety net) after Redis returns",
        seconds is not None,
        f"{time.time() - up:.0f} s after Redis returned, {time.time() - last_save:.0f} s after "
        f"the last save (marks settle 30 s, beat every {BEAT_EVERY} s)"
        if seconds is not None
        else f"not within 150 s: {marks_left()} marks left, {disagreements()[:3]}",
    )
    equal, changed = fresh_recompute_agrees()
    report.check(
        "redis",
        "the touched schools' ratings equal recompute_ratings --cycle 2026",
        equal,
        "every column equal" if equal else f"differ: {'; '.join(changed)[:600]}",
    )

    # A hung Redis: accepted connections, no answers.
    paths = probe.domains()
    redis.process.send_signal(signal.SIGSTOP)
    timings = []
    try:
        for path in paths[:3]:
            status, seconds, _, page = probe.raw(path)
            timings.append(("domain page", status, seconds))
            token, initial, questions = load.read_form(page)
            data = [("csrfmiddlewaretoken", token), ("_initial", initial), ("save", "")]
            rng = random.Random(7)
            for question in questions:
                data += [(question["code"], v) for v in load.answer(question, rng)[0]]
            status, seconds, _, body = probe.raw(path, data, htmx=True)
            saved = status == 200 and 'data-saved="true"' in body
            timings.append(("save", status if saved else f"{status}, not saved", seconds))
        status, seconds, _, _ = probe.raw("/ssqs/pilih/")
        timings.append(("Pilih Responden", status, seconds))
    finally:
        redis.process.send_signal(signal.SIGCONT)
    slowest = max(seconds for *_, seconds in timings)
    report.check(
        "redis",
        f"pages while Redis hangs (SIGSTOP) answer within {HUNG_PAGE_LIMIT} s",
        slowest <= HUNG_PAGE_LIMIT and all(status == 200 for _, status, _ in timings),
        ", ".join(f"{what} {status} {seconds:.2f} s" for what, status, seconds in timings),
    )


def case_worker(stack, redis, world, report, args):
    import psycopg
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from monitoring.models import CertificateBatch, SchoolProgress
    from monitoring.rules import BATCH_STALLS_AFTER
    from schools.models import School
    from surveys.models import Cycle, Rating, RatingMark

    print("\nworker: SIGKILL during the safety net's recompute", flush=True)
    quiet = converged(150)  # start from a quiet state
    print(f"  quiet (no mark, nothing disagreeing) after {quiet or 0:.0f} s", flush=True)
    dsn = connection.settings_dict
    locker = psycopg.connect(
        host="127.0.0.1", port=dsn["PORT"], user="postgres", dbname=dsn["NAME"]
    )
    locker.execute(f"LOCK TABLE {SchoolProgress._meta.db_table} IN EXCLUSIVE MODE")
    fill(FILLED, seed=int(time.time()))  # new answers: the recompute has something to change
    RatingMark.objects.update(marked_at=timezone.now() - datetime.timedelta(minutes=1))
    marked = RatingMark.objects.count()
    stack.send("surveys.tasks.recompute_marked_ratings")

    def blocked():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    held = wait_for(blocked, 60, every=0.1)
    during = disagreements()
    stack.kill_worker()
    killed = time.time()
    locker.rollback()  # the dead worker's transaction proceeds, then PostgreSQL rolls it back
    after_kill = []
    for _ in range(10):
        after_kill += disagreements()
        time.sleep(0.3)
    unacked = redis.cli("HLEN", "unacked", db=1)
    report.check(
        "worker",
        "killed mid-transaction (the recompute held on a lock, then SIGKILL)",
        held is not None,
        f"{marked} schools marked; the task was waiting after {held or 0:.1f} s",
    )
    report.check(
        "worker",
        "ratings, progress rows and national roll-up agree, read during and after the kill",
        not during and not after_kill,
        f"{len(during)} disagreements during, {len(after_kill)} in 10 reads after"
        + (f": {(during + after_kill)[0]}" if during or after_kill else ""),
    )
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    report.note(
        "worker",
        "the lost message",
        f"{unacked} unacked in the broker; re-delivered after visibility_timeout = "
        f"{visibility} s (settings; no environment override) and then harmless (idempotent)",
    )
    stack.start_worker()
    seconds = converged(150)
    report.check(
        "worker",
        "a new worker converges them (beat's safety net; the marks survived the kill)",
        seconds is not None,
        f"{time.time() - killed:.0f} s after the kill" if seconds is not None else "not in 150 s",
    )
    equal, changed = fresh_recompute_agrees()
    report.check(
        "worker",
        "the touched schools' ratings equal recompute_ratings --cycle 2026",
        equal,
        "every column equal" if equal else f"differ: {'; '.join(changed)[:600]}",
    )

    # A district's certificates: the pool process killed mid-batch.
    cycle = Cycle.objects.get(year=2026)
    district = School.objects.get(code=FILLED[0]).district
    finals = Rating.objects.filter(
        cycle=cycle, school__district=district, status=Rating.Status.FINAL
    ).count()
    user = get_user_model().objects.filter(is_superuser=False).order_by("pk").first()
    batch = CertificateBatch.objects.create(
        cycle=cycle, district=district, requested_by=user, total=finals
    )
    log_start = stack.worker_log.stat().st_size
    stack.send("monitoring.tasks.build_certificate_batch", (batch.pk,))

    def rendering():
        batch.refresh_from_db()
        return batch.status == CertificateBatch.Status.RUNNING and batch.done >= 1

    mid = wait_for(rendering, 60, every=0.02)
    done_at_kill = batch.done
    pool = stack.pool_process()
    os.kill(pool, signal.SIGKILL)

    def retry_scheduled():
        text = stack.worker_log.read_text()[log_start:]
        return "build_certificate_batch" in text and "Retry in" in text

    redelivered = wait_for(retry_scheduled, 60)
    batch.refresh_from_db()
    left_alone = batch.status == CertificateBatch.Status.RUNNING and batch.done == done_at_kill
    report.check(
        "worker",
        "certificate batch: pool process SIGKILLed mid-batch, task re-delivered at once",
        mid is not None and redelivered is not None and stack.worker.poll() is None,
        f"killed at {done_at_kill}/{finals} certificates; re-delivered and scheduled its "
        f"retry {redelivered or 0:.1f} s later; worker main process "
        f"{'up' if stack.worker.poll() is None else 'gone'}",
    )
    report.check(
        "worker",
        "a fresh batch (heartbeat < 5 min) is left alone, not built twice",
        left_alone,
        f"status {batch.status}, {batch.done}/{batch.total}",
    )
    # Standing in for the 5 minutes: the heartbeat moved back; then the task's retry
    # (due BATCH_STALLS_AFTER + 5 s after the re-delivery) is sent now.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - BATCH_STALLS_AFTER - datetime.timedelta(seconds=1)
    )
    stack.send("monitoring.tasks.build_certificate_batch", (batch.pk,))

    def built():
        batch.refresh_from_db()
        return batch.status == CertificateBatch.Status.DONE

    took = wait_for(built, 90)
    report.check(
        "worker",
        "the stalled batch is taken over and finished",
        took is not None and batch.done == finals and finals > 0,
        f"{batch.status}, {batch.done}/{finals} certificates, {took or 0:.1f} s after the retry",
    )
    locker.close()


def case_postgres(stack, pg, world, report, args):
    from django.db import connection

    from schools.models import School
    from surveys.models import Cycle, Rating

    print(f"\npostgres: the cluster stopped for {args.pg_outage} s", flush=True)
    stats = load.Stats()
    probes = [
        DrillClient(200 + n, stack.base, username, tag, stats, 0, seed=200 + n)
        for n, (username, tag, _) in enumerate(world[args.clients + 1 : args.clients + 5])
    ]
    for probe in probes:
        probe.sign_in()
    cycle_id = Cycle.objects.get(year=2026).pk
    targets = [
        (cycle_id, pk) for pk in School.objects.order_by("pk").values_list("pk", flat=True)[:3]
    ]
    results = []  # (when it was sent, what, status, seconds, retry-after, json)
    stop = threading.Event()

    def browse(probe):
        paths = probe.domains()
        rng = random.Random(probe.number)
        while not stop.is_set():
            path = rng.choice(paths)
            status, seconds, headers, page = probe.raw(path)
            results.append((probe.began, "page", status, seconds, headers.get("Retry-After"), ""))
            if status == 200:
                token, initial, questions = load.read_form(page)
                data = [("csrfmiddlewaretoken", token), ("_initial", initial), ("save", "")]
                for question in questions:
                    data += [(question["code"], v) for v in load.answer(question, rng)[0]]
                status, seconds, headers, _ = probe.raw(path, data, htmx=True)
                results.append(
                    (probe.began, "save", status, seconds, headers.get("Retry-After"), "")
                )
            time.sleep(rng.uniform(0.3, 1.0))

    def health():
        while not stop.is_set():
            request = urllib.request.Request(stack.base + "/health/", headers={"Host": "127.0.0.1"})
            began, start = time.time(), time.perf_counter()
            try:
                with probes[0].opener.open(request, timeout=30) as response:
                    body = response.read().decode()
                    kind = response.headers.get("Content-Type", "")
                    status = response.status
            except OSError as exc:
                status, body, kind = f"no answer ({exc.__class__.__name__})", "", ""
            took = time.perf_counter() - start
            results.append((began, "health", status, took, None,
                            body if "json" in kind else f"not JSON: {kind}"))  # fmt: skip
            time.sleep(0.5)

    threads = [threading.Thread(target=browse, args=(p,)) for p in probes]
    threads.append(threading.Thread(target=health))
    for thread in threads:
        thread.start()
    time.sleep(5)
    pg.stop("fast")
    down = time.time()
    time.sleep(1)
    sent = []
    for cycle_id, school_id in targets:
        sent.append(stack.send("surveys.tasks.recompute_school_rating", (cycle_id, school_id)))
    time.sleep(max(0, down + args.pg_outage - time.time()))
    restart = time.time()  # requests sent from here on may reach the starting cluster
    pg.start()
    up = time.time()  # pg_ctl start -w returned: it accepts connections

    back = wait_for(lambda: any(r[0] > up and r[1] == "page" and r[2] == 200 for r in results), 60)
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join()
    connection.close()
    outage = [r for r in results if down <= r[0] <= restart and r[1] != "health"]
    statuses = {}
    for r in outage:
        statuses[r[2]] = statuses.get(r[2], 0) + 1
    five_hundred = sum(1 for r in results if r[2] == 500)
    retry_after = all(r[4] for r in outage if r[2] == 503)
    odd = [f"{r[1]} sent {r[0] - down:.2f} s after the stop: {r[2]}" for r in outage if r[2] != 503]
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
    report.check(
        "postgres",
        "pages and saves during the outage answer 503 with Retry-After, never 500",
        outage and set(statuses) == {503} and not five_hundred and retry_after,
        f"{len(outage)} requests: {counts}; 500s over the whole drill: {five_hundred}"
        + (f" ({'; '.join(odd[:3])})" if odd else ""),
    )
    checks = [r for r in results if r[1] == "health" and down + 1 <= r[0] <= restart]
    json_503 = [r for r in checks if r[2] == 503 and json.loads(r[5] or "{}").get("status")]
    report.check(
        "postgres",
        "/health/ answers JSON 503 while the database is down",
        checks and len(json_503) == len(checks),
        f"{len(json_503)}/{len(checks)} JSON 503 ({checks[0][5] if checks else ''}); "
        f"slowest {max((r[3] for r in checks), default=0):.2f} s",
    )
    after = [r for r in results if r[0] > up + (back or 0) + 1]
    report.check(
        "postgres",
        "pages work again by themselves (no restart)",
        back is not None and after and all(r[2] == 200 for r in after),
        f"first page 200 {back or 0:.1f} s after PostgreSQL was up again (pg_ctl start "
        f"took {up - restart:.1f} s); "
        f"{sum(r[2] == 200 for r in after)}/{len(after)} requests 200 afterwards",
    )

    def all_succeeded():
        log = stack.worker_log.read_text()
        return all(re.search(rf"\[{task}\] succeeded", log) for task in sent)

    rated = wait_for(all_succeeded, 120) is not None
    log = stack.worker_log.read_text()
    retries = {task: len(re.findall(rf"\[{task}\] retry: Retry in", log)) for task in sent}
    succeeded = {task: bool(re.search(rf"\[{task}\] succeeded", log)) for task in sent}
    rated = rated and Rating.objects.filter(
        cycle_id=cycle_id, school_id__in=[school for _, school in targets], computed_at__gt=_utc(up)
    ).count() == len(targets)
    last = Rating.objects.filter(
        cycle_id=cycle_id, school_id__in=[school for _, school in targets]
    ).latest("computed_at")
    report.check(
        "postgres",
        "rating tasks sent during the outage fail on OperationalError, are retried, succeed",
        rated and all(retries.values()) and all(succeeded.values()),
        f"{len(sent)} tasks: retried {', '.join(map(str, retries.values()))} times, "
        f"{sum(succeeded.values())} succeeded, the last rated "
        f"{last.computed_at.timestamp() - up:.1f} s after PostgreSQL started; "
        f"{len(re.findall('retry: Retry in', log))} retries of any task logged",
    )
    report.check(
        "postgres",
        "worker and beat survive",
        stack.worker.poll() is None and stack.beat.poll() is None,
        f"worker {'up' if stack.worker.poll() is None else 'exited'}, "
        f"beat {'up' if stack.beat.poll() is None else 'exited'}",
    )


def _utc(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


# --- main -----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=["redis", "worker", "postgres", "all"], default="all")
    parser.add_argument("--clients", type=int, default=10, help="respondents saving (<= 10)")
    parser.add_argument("--outage", type=int, default=30, help="seconds Redis is down")
    parser.add_argument("--pg-outage", type=int, default=20, help="seconds PostgreSQL is down")
    parser.add_argument("--port", type=int, default=8798, help="gunicorn's port")
    args = parser.parse_args()
    args.clients = min(args.clients, 10)

    print("machine:", machine())
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report = Report()
    try:
        pg = Postgres(free_port(5442))
        pg.start()
        redis = Redis(free_port(6390))
        redis.start()
        print(f"own PostgreSQL on 127.0.0.1:{pg.port} ({WORK}), own Redis on {redis.port}")
        os.environ["BENCH_PG"] = f"postgres://postgres@127.0.0.1:{pg.port}"
        world_args = argparse.Namespace(schools=6, clients=args.clients + 5, old_hashes=False)
        world = load.build_world(world_args)
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        fast, _ = IntervalSchedule.objects.get_or_create(every=BEAT_EVERY, period="seconds")
        PeriodicTask.objects.filter(task="surveys.tasks.recompute_marked_ratings").update(
            interval=fast
        )
        start = time.time()
        fill(FILLED, seed=1)
        print(f"answered every respondent of {', '.join(FILLED)} in {time.time() - start:.0f} s")
        stack = Stack(redis, free_port(args.port))
        stack.start()
        cases = ["redis", "worker", "postgres"] if args.case == "all" else [args.case]
        for case in cases:
            started = time.time()
            if case == "redis":
                case_redis(stack, redis, world, report, args)
            elif case == "worker":
                case_worker(stack, redis, world, report, args)
            else:
                case_postgres(stack, pg, world, report, args)
            report.note(case, "duration", f"{time.time() - started:.0f} s")
    except Exception as exc:  # noqa: BLE001 - reported as a failed check
        import traceback

        traceback.print_exc()
        report.check("drill", "ran to the end", False, repr(exc))
    finally:
        load_now = " ".join(f"{x:.2f}" for x in os.getloadavg())
        cleanup()
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"\nload average at the end: {load_now}")
    ok = report.table()
    print("RESULT:", "every check passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
