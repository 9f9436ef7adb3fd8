"""Login storm and steady load: respondents of many schools at once, through gunicorn (issue 12).

    .venv/bin/python bench/load.py [--clients 200] [--seconds 300] [--workers 4]
                                   [--schools 10] [--old-hashes]

Builds its own PostgreSQL database (ssqs_bench_load): ``--schools`` schools
(copies of the demo's five normal schools, 62 respondents each), the SSQS
cycle open, each school's respondent password set by the coordinator's
service (so hashed with the production hasher, Argon2id). With
``--old-hashes`` the respondent accounts start with Django's former default,
PBKDF2 (a million rounds): the first morning after the upgrade, when the first
logins re-hash them.

Then it starts what production runs, on loopback: gunicorn (``--workers``
sync workers) with DEBUG off, Redis as cache (db ``--redis-db``) and as Celery
broker (db ``--redis-db`` + 1) with one Celery worker taking the debounced
rating recomputes. ``--clients`` simulated respondents arrive spread over 3 s
(every school's lab at 8 a.m.), spread over the schools, each with its own
browser session and tag, all logging in on their school's shared code + R
account. Each one, thinking 1-3 s after every response as a person does:

    GET /login/, POST /login/, GET /ssqs/pilih/, POST its tag, GET /ssqs/domain/,
    then over and over until --seconds have passed: for every domain of its
    category, GET the domain page, read the form (every question's inputs and
    the values they allow), answer it at random (optional questions sometimes
    left blank), POST it as htmx does and check the page says it was saved.

Every response is checked (status, where a redirect leads, the saved mark);
anything else is an error. At the end every respondent's answers in the
database are compared with the answers its client was last told were saved:
they must be exactly equal. It prints p50/p95/p99 per step and the machine.

Targets: 0 errors; the database equals what clients were told; login p95
<= 1 s; page and save p95 <= 300 ms.
"""

import argparse
import csv
import datetime
import html
import http.cookiejar
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from common import ROOT, machine, setup_django

DB = "ssqs_bench_load"
PASSWORD = "Makmal-Pagi-2026"
ARRIVAL_SPREAD = 3.0  # seconds over which the clients arrive
THINK = (1.0, 3.0)  # seconds a person takes after each response
STEPS = [
    "GET /login/",
    "POST /login/",
    "GET /ssqs/pilih/",
    "POST /ssqs/pilih/ (tag)",
    "GET /ssqs/domain/ (list)",
    "GET domain page",
    "POST domain save (htmx)",
]
TARGETS = {"POST /login/": 1000, "GET domain page": 300, "POST domain save (htmx)": 300}


# --- the world --------------------------------------------------------------------


def school_csv(count: int, directory: Path) -> Path:
    """Write a school list of ``count`` normal schools, copies of the demo's."""
    source = ROOT / "schools" / "fixtures" / "demo_schools.csv"
    with source.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        normal = [row for row in reader if not row["SKM<=150"]]
    rows = []
    for n in range(count):
        row = dict(normal[n % len(normal)])
        copy = n // len(normal)
        if copy:
            code = row["KODSEKOLAH"]
            row["KODSEKOLAH"] = f"{code[:3]}{(int(code[3:]) + 100 * copy) % 10000:04d}"
            row["NAMASEKOLAH"] = f"{row['NAMASEKOLAH']} {copy + 1}"
        rows.append(row)
    path = directory / "schools.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def build_world(args):
    """Return [(username, tag, respondent id)], one per client, spread over the schools."""
    setup_django(DB)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, get_hashers
    from django.core.management import call_command

    from schools.models import School
    from schools.services import respondent_username
    from ssqs_portal import settings as production
    from surveys.models import Respondent
    from surveys.rosters import cycle_open, respondent_password_set

    # Hash as production does (common.setup_django picks MD5 for speed).
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    get_hashers.cache_clear()
    from django.contrib.auth.hashers import get_hashers_by_algorithm

    get_hashers_by_algorithm.cache_clear()

    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as quiet:
        call_command("import_schools", school_csv(args.schools, Path(tmp)), stdout=quiet)
    today = datetime.date.today()
    cycle = cycle_open(
        year=2026,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    schools = list(School.objects.order_by("code"))
    User = get_user_model()
    for school in schools:
        respondent_password_set(school=school, password=PASSWORD)
        if args.old_hashes:
            old = PBKDF2PasswordHasher()
            User.objects.filter(username=respondent_username(school.code)).update(
                password=old.encode(PASSWORD, old.salt())
            )
    print(
        f"respondent accounts hashed with: {get_hasher().algorithm}"
        f"{' (then reset to PBKDF2: --old-hashes)' if args.old_hashes else ''}"
    )
    per_school = {
        school.pk: list(
            Respondent.objects.filter(cycle=cycle, school=school)
            .order_by("pk")
            .values_list("pk", "tag")
        )
        for school in schools
    }
    clients = []
    for n in range(args.clients):
        school = schools[n % len(schools)]
        respondent_id, tag = per_school[school.pk][n // len(schools)]
        clients.append((respondent_username(school.code), tag, respondent_id))
    print(
        f"world: {len(schools)} schools, {Respondent.objects.filter(cycle=cycle).count()} "
        f"respondents on the rosters, cycle {cycle.year} open; {args.clients} clients"
    )
    return clients


# --- the simulated browser ---------------------------------------------------------


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Send the Secure session and CSRF cookies over loopback's plain HTTP.

    Production sets them Secure (HTTPS only); here gunicorn is reached on
    127.0.0.1 without TLS, as a proxy in front of it would.
    """

    def return_ok_secure(self, cookie, request):
        return True


class EveryStatus(urllib.request.HTTPErrorProcessor):
    """Return every response as it is: no redirect followed, no exception for 4xx/5xx."""

    def http_response(self, request, response):
        return response


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = []

    def record(self, step, ms):
        with self.lock:
            self.times[step].append(ms)

    def error(self, client, step, what):
        with self.lock:
            self.errors.append(f"client {client}, {step}: {what}")


class StepFailed(Exception):
    pass


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELDSET = re.compile(
    r'<fieldset class="question[^"]*" id="q-[^"]+" data-question="([^"]+)"([^>]*)>(.*?)</fieldset>',
    re.S,
)
INPUT = re.compile(r"<input ([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def read_form(page: str) -> tuple[str, str, list[dict]]:
    """Return (csrf token, the _initial field, questions) of a domain page's form."""
    initial = re.search(r'name="_initial" value="([^"]*)"', page)
    questions = []
    for code, attributes, body in FIELDSET.findall(page):
        inputs = [dict(ATTRIBUTE.findall(attrs)) for attrs in INPUT.findall(body)]
        inputs = [i for i in inputs if i.get("name") == code and "disabled" not in i]
        if not inputs:
            continue
        kind = inputs[0].get("type")
        question = {"code": code, "mandatory": 'data-mandatory="true"' in attributes}
        if kind in ("radio", "checkbox"):
            question["kind"] = kind
            question["options"] = [html.unescape(i.get("value", "")) for i in inputs]
            # "None of these" (data-exclusive) is refused beside other answers.
            question["exclusive"] = [
                html.unescape(i.get("value", "")) for i in inputs if "data-exclusive" in i
            ]
        elif inputs[0].get("inputmode") == "decimal":
            help_text = re.search(rf'id="{re.escape(code)}-help">(.*?)</div>', body, re.S)
            # "A number from LOW to HIGH." comes first; the decimal-point hint follows.
            bounds = [float(x) for x in NUMBER.findall(help_text.group(1))] if help_text else []
            low, high = (bounds[0], bounds[1]) if len(bounds) >= 2 else (0, 100)
            question.update(kind="number", low=int(-(-low // 1)), high=int(high // 1))
        else:
            question["kind"] = "text"
        questions.append(question)
    token = TOKEN.search(page)
    return (
        token.group(1) if token else "",
        html.unescape(initial.group(1)) if initial else "{}",
        questions,
    )


def answer(question: dict, rng: random.Random):
    """Return (the values to post, the value the server should store; None = blank)."""
    if not question["mandatory"] and rng.random() < 0.15:
        return [], None
    kind = question["kind"]
    if kind == "radio":
        value = rng.choice(question["options"])
        return [value], value
    if kind == "checkbox":
        options = question["options"]
        chosen = [o for o in options if rng.random() < 0.5] or [rng.choice(options)]
        exclusive = [o for o in chosen if o in question.get("exclusive", ())]
        if exclusive and len(chosen) > 1:
            chosen = [o for o in chosen if o not in exclusive]
        return chosen, chosen  # in the form's order, which is the options' order
    if kind == "number":
        value = str(rng.randint(question["low"], question["high"]))
        return [value], value
    value = f"catatan {rng.randint(1, 10**6)}"
    return [value], value


class Client:
    def __init__(self, number, base, username, tag, stats, deadline, seed):
        self.number, self.base, self.username, self.tag = number, base, username, tag
        self.stats, self.deadline = stats, deadline
        self.rng = random.Random(seed)
        jar = http.cookiejar.CookieJar(policy=LoopbackCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), EveryStatus()
        )
        self.expected = {}  # question -> value the server said it saved (None: blank)
        self.uncertain = False  # a save whose answer never came back
        self.saves = 0

    def think(self):
        time.sleep(self.rng.uniform(*THINK))

    def request(self, step, path, data=None, expect=200, htmx=False):
        headers = {"Host": "127.0.0.1"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        if htmx:
            headers["HX-Request"] = "true"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                content = response.read().decode()
                status, location = response.status, response.headers.get("Location", "")
        except Exception as exc:  # noqa: BLE001 - counted as an error, reported
            self.stats.record(step, (time.perf_counter() - start) * 1000)
            self.stats.error(self.number, step, repr(exc))
            raise StepFailed from exc
        self.stats.record(step, (time.perf_counter() - start) * 1000)
        if status != expect:
            self.stats.error(self.number, step, f"HTTP {status} (expected {expect}) {location}")
            raise StepFailed
        return content, location

    def expect_redirect(self, step, path, data, to):
        _, location = self.request(step, path, data, expect=302)
        if not urllib.parse.urlsplit(location).path.startswith(to):
            self.stats.error(self.number, step, f"redirected to {location}, not {to}")
            raise StepFailed

    def run(self, start_at):
        time.sleep(max(0.0, start_at - time.time()))
        try:
            page, _ = self.request("GET /login/", "/login/")
            self.think()
            token = TOKEN.search(page).group(1)
            credentials = {"csrfmiddlewaretoken": token, "username": self.username}
            credentials.update(password=PASSWORD)
            self.expect_redirect("POST /login/", "/login/", credentials, "/")
            self.think()
            page, _ = self.request("GET /ssqs/pilih/", "/ssqs/pilih/")
            self.think()
            choose = {"csrfmiddlewaretoken": TOKEN.search(page).group(1), "tag_number": self.tag}
            self.expect_redirect("POST /ssqs/pilih/ (tag)", "/ssqs/pilih/", choose, "/ssqs/domain/")
            self.think()
            page, _ = self.request("GET /ssqs/domain/ (list)", "/ssqs/domain/")
            domains = list(dict.fromkeys(re.findall(r'href="(/ssqs/domain/[^/"]+/)"', page)))
            if not domains:
                self.stats.error(self.number, "GET /ssqs/domain/ (list)", "no domains listed")
                return
            while time.time() < self.deadline:
                for path in domains:
                    if time.time() >= self.deadline:
                        break
                    self.think()
                    self.save_domain(path)
        except StepFailed:
            return

    def save_domain(self, path):
        page, _ = self.request("GET domain page", path)
        token, initial, questions = read_form(page)
        if not questions:
            self.stats.error(self.number, "GET domain page", f"no questions read on {path}")
            raise StepFailed
        self.think()
        data = [("csrfmiddlewaretoken", token), ("_initial", initial), ("save", "")]
        stored = {}
        for question in questions:
            values, value = answer(question, self.rng)
            data += [(question["code"], v) for v in values]
            stored[question["code"]] = value
        try:
            response, _ = self.request("POST domain save (htmx)", path, data, htmx=True)
        except StepFailed:
            self.uncertain = True  # it may or may not have landed
            raise
        if 'data-saved="true"' not in response:
            self.stats.error(self.number, "POST domain save (htmx)", f"not saved on {path}")
            raise StepFailed
        self.expected.update(stored)
        self.saves += 1


# --- the servers --------------------------------------------------------------------


def server_env(cache_url, broker_url):
    """The environment of gunicorn and Celery: DEBUG off, Redis as cache and broker."""
    static = Path(tempfile.gettempdir()) / "ssqs-bench-load-static"
    static.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": broker_url,
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(static),
    }


def start_gunicorn(env, port, workers, **popen):
    """Collect the static files (as production does), then start gunicorn on loopback."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ssqs_portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        **popen,
    )


def start_celery(env, role, log, loglevel="WARNING", **popen):
    """Start a Celery ``role`` ("worker", one process at a time, or "beat") logging to ``log``."""
    command = [str(Path(sys.executable).parent / "celery"), "-A", "ssqs_portal", role]
    if role == "worker":
        command += ["--concurrency", "1", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(
        [*command, "--loglevel", loglevel],
        cwd=ROOT,
        env=env,
        stdout=Path(log).open("a"),
        stderr=subprocess.STDOUT,
        **popen,
    )


def wait_until_up(port, workers, timeout=30):
    """Wait for gunicorn to answer /login/, then let every worker load its templates."""
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).read()
            break
        except OSError:
            if time.time() > deadline:
                return False
            time.sleep(0.2)
    # A server at 8 a.m. has been up a while: let every worker load its
    # templates and translations first (not counted).
    for _ in range(8 * workers):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10).read()
    return True


def start_servers(args, port):
    env = server_env(
        f"redis://127.0.0.1:6379/{args.redis_db}", f"redis://127.0.0.1:6379/{args.redis_db + 1}"
    )
    server = start_gunicorn(env, port, args.workers)
    log = Path(tempfile.gettempdir()) / "ssqs-bench-load-worker.log"
    log.write_text("")
    print(f"Celery worker's log: {log}")
    worker = start_celery(env, "worker", log)
    if not wait_until_up(port, args.workers):
        stop([server, worker])
        raise SystemExit("gunicorn did not answer on /login/ within 30 s")
    return server, worker


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


# --- the report -----------------------------------------------------------------------


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def compare(clients, world):
    """Return (respondents equal, list of differences, respondents left uncertain)."""
    from surveys.models import Answer

    stored = defaultdict(dict)
    ids = [respondent_id for _, _, respondent_id in world]
    for respondent_id, question, value in Answer.objects.filter(respondent_id__in=ids).values_list(
        "respondent_id", "question", "value"
    ):
        stored[respondent_id][question] = value
    equal, differences, uncertain = 0, [], 0
    for client, (_, _, respondent_id) in zip(clients, world, strict=True):
        if client.uncertain:
            uncertain += 1
            continue
        expected = {q: v for q, v in client.expected.items() if v is not None}
        if stored[respondent_id] == expected:
            equal += 1
            continue
        keys = sorted(set(expected) | set(stored[respondent_id]))
        wrong = [
            f"{k}: told {expected.get(k)!r}, stored {stored[respondent_id].get(k)!r}"
            for k in keys
            if expected.get(k) != stored[respondent_id].get(k)
        ]
        differences.append(f"respondent {respondent_id}: " + "; ".join(wrong[:3]))
    return equal, differences, uncertain


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--schools", type=int, default=10)
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--redis-db", type=int, default=10, help="cache db; the broker is +1")
    parser.add_argument(
        "--old-hashes", action="store_true", help="respondent accounts start with PBKDF2 hashes"
    )
    args = parser.parse_args()
    if args.clients > args.schools * 62:
        parser.error("at most 62 clients a school (one respondent each)")

    print("machine:", machine())
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min)")
    world = build_world(args)
    processes = start_servers(args, args.port)
    from surveys.rating import RATING_DEBOUNCE_SECONDS

    stats = Stats()
    try:
        start = time.time() + 1.0
        deadline = start + args.seconds
        clients = [
            Client(n, f"http://127.0.0.1:{args.port}", username, tag, stats, deadline, seed=n)
            for n, (username, tag, _) in enumerate(world)
        ]
        arrivals = random.Random(0)
        threads = [
            threading.Thread(target=client.run, args=(start + arrivals.uniform(0, ARRIVAL_SPREAD),))
            for client in clients
        ]
        threading.stack_size(512 * 1024)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - start
        load = os.getloadavg()[0]
        # The last saves' debounced recomputes land before the worker stops.
        time.sleep(RATING_DEBOUNCE_SECONDS + 3)
    finally:
        stop(processes)

    total = sum(len(v) for v in stats.times.values())
    print(
        f"\n{args.clients} clients, {args.schools} schools, gunicorn {args.workers} sync workers, "
        f"Redis cache and broker with one Celery worker; arrivals within {ARRIVAL_SPREAD:.0f} s, "
        f"think {THINK[0]:.0f}-{THINK[1]:.0f} s; {args.seconds} s: {total} requests in "
        f"{elapsed:.0f} s ({total / elapsed:.1f} req/s); load average at the end {load:.2f}"
    )
    print("\n| step | requests | p50 ms | p95 ms | p99 ms | max ms | target p95 |")
    print("|---|---|---|---|---|---|---|")
    for step in STEPS:
        values = stats.times.get(step, [])
        if not values:
            continue
        target = f"≤ {TARGETS[step]} ms" if step in TARGETS else ""
        p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
        print(
            f"| {step} | {len(values)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | "
            f"{max(values):.0f} | {target} |"
        )
    print(f"\nerrors: {len(stats.errors)}")
    for line in stats.errors[:10]:
        print("  ", line)
    equal, differences, uncertain = compare(clients, world)
    saves = sum(c.saves for c in clients)
    print(
        f"database vs what clients were told ({saves} saves): {equal} of {len(clients)} "
        f"respondents exactly equal, {len(differences)} different, {uncertain} uncertain "
        "(a save with no answer)"
    )
    for line in differences[:10]:
        print("  ", line)
    from django.core.management import call_command

    from surveys.selectors import ratings_fingerprint

    by_worker = ratings_fingerprint()
    call_command("recompute_ratings", "--cycle", "2026", stdout=open(os.devnull, "w"))  # noqa: SIM115
    current = ratings_fingerprint() == by_worker
    print(
        "ratings the worker left equal a fresh recompute from the stored answers: "
        f"{'yes' if current else 'NO'} ({by_worker})"
    )
    misses = [
        step
        for step, limit in TARGETS.items()
        if stats.times.get(step) and percentile(stats.times[step], 95) > limit
    ]
    failed = [f"p95 of {step} over target" for step in misses]
    failed += [f"{len(stats.errors)} errors"] if stats.errors else []
    failed += [f"{len(differences)} respondents differ"] if differences else []
    failed += [f"{uncertain} uncertain"] if uncertain else []
    failed += ["ratings stale"] if not current else []
    print("RESULT:", "; ".join(failed) if failed else "all targets met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
