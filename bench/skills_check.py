"""Skills certification at national scale (issue 16): public check, issuing, statistics, PDFs.

Run with the project's Python on a machine with PostgreSQL:

    BENCH_PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/skills_check.py
    SKILLS_BENCH_SCALE=0.1 ... (a tenth of the rows, for a quick look)

It recreates the database ``ssqs_sk_cert`` and bulk-loads (COPY through
psycopg, foreign-key triggers off during the load) 2,000,000 certificates
(about 5 % revoked, 3 % re-issued: the old version superseded, a second
version valid), 500,000 trainees, 500 centres in 16 states, 200 standards,
40,000 intakes with 2,000,000 enrolments, and the latest year's CU results
(about 300,000). Certificates' CU lists (a many-to-many table the check and
the statistics never read) are not loaded.

Then it measures:
- the public check ``GET /sijil/semak/?no=...`` through gunicorn (real HTTP,
  ``--workers`` processes) under ``--clients`` concurrent clients (threads
  here, each opening a connection per request): p50/p95 of valid, revoked,
  superseded and unknown numbers; each client sends its own
  X-Forwarded-For (TRUSTED_PROXY_COUNT=1) so the per-address limit counts
  per client as in production;
- the queries of one check (in process);
- issuing an intake of 500 trainees (the background job's body, in process);
- the statistics page for the latest year (in process, the body's officer);
- the certificate PDF drawn on demand.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
import urllib.request

from common import ROOT, count_queries, machine, setup_django
from skills_load import bulk_load, copy, registry, reset_sequences

DB = os.environ.get("SKILLS_BENCH_DB", "ssqs_sk_cert")
SCALE = float(os.environ.get("SKILLS_BENCH_SCALE", "1"))
CERTIFICATES = int(2_000_000 * SCALE)
TRAINEES = int(500_000 * SCALE)
CENTRES = 500
STANDARDS = 200
PER_INTAKE = 50
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MULT = 0x5DEECE66D  # odd: k -> k * MULT mod 32**10 is a bijection (unique numbers)


def number_of(k: int) -> str:
    n = (k * MULT + 12345) % 32**10
    digits = []
    for _ in range(10):
        n, r = divmod(n, 32)
        digits.append(ALPHABET[r])
    return "JPK-" + "".join(digits)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def load():
    from django.db import connection

    from schools.models import State
    from tests.factories import person

    rng = random.Random(16)
    today = datetime.date.today()
    year = today.year
    states = [State.objects.create(code=f"S{i:02d}", name=f"Negeri {i}") for i in range(16)]
    officer = person("bench.pegawai", roles=[("certification_officer", "JPK")])
    began = time.perf_counter()
    with bulk_load() as cursor:
        registry(cursor, standards=STANDARDS, centres=CENTRES, states=states)
        # Each centre accredited for 4 standards, valid for ten years.
        accreditations = [(c + 1, (c * 7 + j) % STANDARDS + 1) for c in range(CENTRES)
                          for j in range(4)]  # fmt: skip
        copy(
            cursor, "skills_accreditation",
            ["id", "centre_id", "standard_id", "mode", "state", "note", "conditions",
             "valid_from", "expires_on", "reason", "applied_at"],
            ((i + 1, c, s, "full", "approved", "", "", today - datetime.timedelta(days=3650),
              today + datetime.timedelta(days=365), "", "2016-01-01T00:00:00Z")
             for i, (c, s) in enumerate(accreditations)),
        )  # fmt: skip
        intakes = CERTIFICATES // PER_INTAKE
        intake_rows = []
        for i in range(intakes):
            a = i % len(accreditations)
            starts = today - datetime.timedelta(days=int(3650 * (1 - i / intakes)) + 30)
            intake_rows.append((i + 1, accreditations[a][0], a + 1, f"K{i:06d}", starts,
                                starts + datetime.timedelta(days=20), "verified",
                                "2020-01-01T00:00:00Z"))  # fmt: skip
        copy(cursor, "skills_intake", ["id", "centre_id", "accreditation_id", "code", "starts_on",
                                       "ends_on", "state", "created_at"], intake_rows)  # fmt: skip
        print(f"  registry, {intakes:,} intakes: {time.perf_counter() - began:.1f} s", flush=True)
        copy(
            cursor, "skills_trainee", ["id", "id_number", "name", "email", "created_at"],
            ((t + 1, f"{800101000000 + t:012d}", f"Pelatih {t} binti Abdullah", "",
              "2020-01-01T00:00:00Z") for t in range(TRAINEES)),
        )  # fmt: skip
        print(f"  {TRAINEES:,} trainees: {time.perf_counter() - began:.1f} s", flush=True)
        copy(
            cursor, "skills_enrolment", ["id", "intake_id", "trainee_id", "enrolled_at"],
            ((k + 1, k // PER_INTAKE + 1, k % TRAINEES + 1, "2020-01-01T00:00:00Z")
             for k in range(CERTIFICATES)),
        )  # fmt: skip
        print(f"  {CERTIFICATES:,} enrolments: {time.perf_counter() - began:.1f} s", flush=True)
        samples = {"valid": [], "revoked": [], "superseded": []}
        kinds = ["SKM1", "SKM2", "SKM3", "DKM", "DLKM"]

        def certificates():
            pk = 0
            for k in range(CERTIFICATES):
                intake = intake_rows[k // PER_INTAKE]
                standard = accreditations[intake[2] - 1][1]
                level = (standard - 1) % 5 + 1
                kind = "SP" if k % 9 == 0 else kinds[level - 1]
                issued = intake[5] + datetime.timedelta(days=10)
                number = number_of(k)
                roll = k % 100
                status = "revoked" if roll < 5 else ("superseded" if roll < 8 else "valid")
                pk += 1
                yield (pk, number, 1, number, kind, k % TRAINEES + 1, f"Pelatih {k % TRAINEES}",
                       standard, level, intake[1], intake[0], intake[5], issued, status,
                       "Penilaian tidak sah" if status == "revoked" else "", "")  # fmt: skip
                if status == "superseded":
                    pk += 1
                    yield (pk, number, 2, f"{number}/2", kind, k % TRAINEES + 1,
                           f"Pelatih {k % TRAINEES} (dibetulkan)", standard, level, intake[1],
                           intake[0], intake[5], issued + datetime.timedelta(days=30), "valid",
                           "", "Ejaan nama")  # fmt: skip
                if len(samples[status]) < 2000 and rng.random() < 0.01:
                    samples[status].append(number)

        copy(
            cursor, "skills_certificate",
            ["id", "number", "version", "reference", "kind", "trainee_id", "holder_name",
             "standard_id", "level", "centre_id", "intake_id", "assessed_on", "issued_on",
             "status", "revoked_reason", "reissue_reason"],
            certificates(),
        )  # fmt: skip
        print(f"  certificates: {time.perf_counter() - began:.1f} s", flush=True)
        # The latest year's CU results: every enrolment of this year's intakes, 4 CUs each.
        start = datetime.date(year, 1, 1)
        this_year = [r for r in intake_rows if r[4] >= start]

        def results():
            pk = 0
            for intake in this_year:
                standard = accreditations[intake[2] - 1][1]
                for e in range(PER_INTAKE):
                    enrolment = (intake[0] - 1) * PER_INTAKE + e + 1
                    for u in range(4):
                        pk += 1
                        outcome = "not_yet" if (enrolment + u) % 11 == 0 else "competent"
                        yield (
                            pk,
                            enrolment,
                            (standard - 1) * 4 + u + 1,
                            outcome,
                            intake[5],
                            "",
                            officer.pk,
                            "2026-01-01T00:00:00Z",
                            "2026-01-02T00:00:00Z",
                        )

        copy(cursor, "skills_result", ["id", "enrolment_id", "unit_id", "outcome", "assessed_on",
                                       "evidence", "assessor_id", "recorded_at", "verified_at"],
             results())  # fmt: skip
        reset_sequences(cursor, [f"skills_{t}" for t in (
            "sector", "standard", "competencyunit", "centre", "accreditation", "intake",
            "trainee", "enrolment", "certificate", "result")], analyze=False)  # fmt: skip
        print(f"  results: {time.perf_counter() - began:.1f} s", flush=True)
        cursor.execute("ANALYZE")
    loaded = time.perf_counter() - began
    counts = {}
    with connection.cursor() as c:
        for table in ("certificate", "trainee", "enrolment", "result", "intake"):
            c.execute(f"SELECT count(*) FROM skills_{table}")
            counts[table] = c.fetchone()[0]
    return loaded, counts, samples, officer


def http_check(port, clients, seconds, samples, think=0.0):
    """Hit the public check from ``clients`` threads for ``seconds``; return latencies by kind."""
    pool = [("valid", n) for n in samples["valid"]] + [
        ("revoked", n) for n in samples["revoked"]
    ] + [("superseded", n) for n in samples["superseded"]] + [
        ("unknown", number_of(10**12 + i)) for i in range(500)
    ]  # fmt: skip
    latencies = {"valid": [], "revoked": [], "superseded": [], "unknown": []}
    errors = []
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(i):
        rng = random.Random(i)
        address = f"10.{i // 250}.{i % 250}.{rng.randint(1, 250)}"
        while time.perf_counter() < stop:
            kind, number = rng.choice(pool)
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/sijil/semak/?no={number}",
                headers={"X-Forwarded-For": address},
            )
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                error.read()
                status = error.code
            except Exception as error:  # a refused connection: counted, reported
                with lock:
                    errors.append(repr(error))
                continue
            took = (time.perf_counter() - began) * 1000
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            expected = 404 if kind == "unknown" else 200
            with lock:
                if status != expected:
                    errors.append(f"{kind} {number}: {status}")
                latencies[kind].append(took)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


WRK_SCRIPT = r"""
local refs = {}
for line in io.lines("%(refs)s") do refs[#refs + 1] = line end
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
  pace = tonumber(args[1]) or 0
end
function request()
  local ref = refs[math.random(#refs)]
  local address = "10." .. math.random(0, 3) .. "." .. math.random(0, 249) .. "." ..
                  math.random(1, 250)
  return wrk.format("GET", "/sijil/semak/?no=" .. ref, {["X-Forwarded-For"] = address})
end
function delay()
  if pace > 0 then return math.random(math.floor(pace * 500), math.floor(pace * 1500)) end
  return 0
end
function done(summary, latency, requests)
  io.write(string.format(
    "WRK requests=%%d seconds=%%.1f non2xx=%%d connect=%%d read=%%d write=%%d timeout=%%d " ..
    "p50=%%.1f p90=%%.1f p95=%%.1f p99=%%.1f max=%%.1f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` and its children now alive (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as found:
            pids += [int(p) for p in found.read().split()]
    except OSError:
        return 0.0
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as found:
                fields = found.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / tick


def wrk_check(port, clients, seconds, refs, think=0.0, threads=1, server=None):
    """Drive the public check with wrk (C, one thread: the client takes little of the CPU).

    Each request checks a reference drawn from ``refs`` from an address drawn from
    250,000 (X-Forwarded-For); ``think``: mean seconds each connection waits between
    checks (0: closed loop). Return (wrk's summary line, the client's CPU seconds,
    the load average at the end, the server's CPU seconds).
    """
    import resource
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        listing = os.path.join(tmp, "refs.txt")
        with open(listing, "w") as out:
            out.write("\n".join(refs) + "\n")
        script = os.path.join(tmp, "check.lua")
        with open(script, "w") as out:
            out.write(WRK_SCRIPT % {"refs": listing})
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        served_before = process_cpu(server.pid) if server else 0.0
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s",
             "-s", script, f"http://127.0.0.1:{port}/", "--", str(think)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        served = (process_cpu(server.pid) - served_before) if server else 0.0
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK ")), done.stdout)
    return line, cpu, os.getloadavg(), served


def wrk_report(args, label, result):
    line, cpu, load, served = result
    fields = dict(part.split("=") for part in line.split()[1:])
    rate = int(fields["requests"]) / float(fields["seconds"])
    per_check = 1000 * served / max(1, int(fields["requests"]))
    print(
        f"public check over HTTP (wrk), gunicorn {args.workers} workers, {args.clients} "
        f"connections, {label}, {fields['seconds']} s: {int(fields['requests']):,} checks "
        f"({rate:.0f}/s), p50 {fields['p50']} ms, p90 {fields['p90']} ms, p95 {fields['p95']} ms, "
        f"p99 {fields['p99']} ms, max {fields['max']} ms; not 200: {fields['non2xx']}, "
        f"socket errors {int(fields['connect']) + int(fields['read']) + int(fields['write'])}, "
        f"timeouts {fields['timeout']}; gunicorn CPU {served:.1f} s ({per_check:.1f} ms a "
        f"check); client CPU {cpu:.1f} s; "
        f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )


def report(args, label, latencies, errors):
    every = [t for values in latencies.values() for t in values]
    print(
        f"public check over HTTP, gunicorn {args.workers} workers, {args.clients} clients, "
        f"{label}, {args.seconds} s: {len(every):,} requests ({len(every) / args.seconds:.0f}/s), "
        f"p50 {statistics.median(every):.1f} ms, p95 {pct(every, 95):.1f} ms, "
        f"max {max(every):.1f} ms; errors {len(errors)}",
        flush=True,
    )
    for kind, values in latencies.items():
        if values:
            print(f"  {kind}: n={len(values):,} p50 {statistics.median(values):.1f} ms "
                  f"p95 {pct(values, 95):.1f} ms")  # fmt: skip
    for error in errors[:5]:
        print("  error:", error)


class _Skipped(Exception):
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8716)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds each client waits between checks, second run",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the loaded database again")
    parser.add_argument("--skip-http", action="store_true", help="no public check over HTTP")
    parser.add_argument(
        "--only-http",
        action="store_true",
        help="the public check only (no issuing, statistics or PDF)",
    )
    parser.add_argument(
        "--cache",
        default="locmemcache://skills-bench",
        help="the server's CACHE_URL (production: Redis, e.g. redis://127.0.0.1:6379/11)",
    )
    parser.add_argument(
        "--wrk",
        action="store_true",
        help="drive the check with wrk (apt-get install wrk), not Python threads",
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=0,
        help="with --wrk: distinct references checked (default: the samples; "
        "a large pool makes most checks cache misses)",
    )
    args = parser.parse_args()
    os.environ.setdefault("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    setup_django(DB, fresh=not args.reuse)
    print(machine())
    print(f"load average before: {os.getloadavg()}")
    if args.reuse:
        from django.contrib.auth import get_user_model

        from skills.models import Certificate

        samples = {
            status: list(Certificate.objects.filter(status=status, version=1)
                         .values_list("reference", flat=True)[:2000:7])
            for status in ("valid", "revoked", "superseded")
        }  # fmt: skip
        officer = get_user_model().objects.get(username="bench.pegawai")
    else:
        loaded, counts, samples, officer = load()
        print(f"bulk load: {loaded:.1f} s; rows: {counts}", flush=True)

    from django.test import Client
    from django.utils import timezone

    # Queries of one check, in process.
    client = Client(REMOTE_ADDR="192.0.2.1")
    for kind in ("valid", "revoked", "superseded"):
        with count_queries() as n:
            response = client.get("/sijil/semak/", {"no": samples[kind][0]})
        print(f"check {kind}: HTTP {response.status_code}, {n[0]} queries")
    with count_queries() as n:
        response = client.get("/sijil/semak/", {"no": number_of(10**13)})
    print(f"check unknown: HTTP {response.status_code}, {n[0]} queries")

    # The statistics' precomputed figures, rebuilt for the latest year (what the hourly task
    # and skills_statistics_rebuild do), and compared with the live aggregate once.
    from django.utils import timezone as tz

    this_year = tz.localdate().year
    if not args.only_http:
        from skills.rollups import rollups_rebuild
        from skills.selectors.statistics import skills_statistics, skills_statistics_live
        from skills.services.statistics import statistics_refresh

        began = time.perf_counter()
        centres = statistics_refresh(year=this_year)
        print(f"statistics rebuild {this_year}: {time.perf_counter() - began:.2f} s "
              f"({centres} centres)")  # fmt: skip
        began = time.perf_counter()
        nodes = rollups_rebuild(year=this_year)
        print(f"statistics roll-ups {this_year} (nation and states): "
              f"{(time.perf_counter() - began) * 1000:.0f} ms ({nodes} nodes)")  # fmt: skip
        began = time.perf_counter()
        live = skills_statistics_live(year=this_year)
        print(f"statistics live aggregate: {(time.perf_counter() - began) * 1000:.0f} ms; "
              f"equal to the roll-ups: {live == skills_statistics(year=this_year)}")  # fmt: skip
        state = live.places[0].code
        same = skills_statistics_live(year=this_year, state=state) == skills_statistics(
            year=this_year, state=state
        )
        print(f"a state's figures equal the live aggregate: {same}")

    # The public check over real HTTP.
    import subprocess

    sys.path.insert(0, str(ROOT / "bench"))
    from load import start_gunicorn

    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "TRUSTED_PROXY_COUNT": "1",
           "CACHE_URL": args.cache}  # fmt: skip
    if args.cache.startswith("redis://"):
        import redis

        redis.Redis.from_url(args.cache).flushdb()  # a cold start: no card cached yet
    server = None if args.skip_http else start_gunicorn(env, args.port, args.workers,
                                                         stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        if server is None:
            raise _Skipped
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/sijil/semak/", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        if args.wrk:
            refs = [r for kind in ("valid", "revoked", "superseded") for r in samples[kind]]
            if args.pool:
                from skills.models import Certificate

                step = max(1, Certificate.objects.count() // args.pool)
                refs = list(Certificate.objects.filter(pk__in=range(1, step * args.pool, step))
                            .values_list("reference", flat=True))  # fmt: skip
            print(f"wrk: {len(refs):,} distinct references; load average before: "
                  f"{os.getloadavg()}", flush=True)  # fmt: skip
            wrk_check(args.port, 5, 3, refs[:50])  # warm every worker
            closed = wrk_check(args.port, args.clients, args.seconds, refs, server=server)
            wrk_report(args, "closed loop (no wait between checks)", closed)
            time.sleep(20)  # let the load average settle between the runs
            # Paced clients: Python threads, each opening its connection when it sends. Not
            # wrk: after gunicorn closes a connection (sync workers keep none alive) wrk
            # reconnects at once and sends only after its delay, so each idle connection
            # holds a sync worker for that second (production puts nginx in front, which
            # hands gunicorn whole requests only).
            pool = {"valid": refs, "revoked": [], "superseded": []}
            began = os.getloadavg()
            latencies, errors = http_check(args.port, args.clients, args.seconds, pool, args.think)
            label = (f"paced (Python threads): each client waits {args.think} s on average; load "
                     f"average before {began[0]:.2f}, after {os.getloadavg()[0]:.2f}")  # fmt: skip
            report(args, label, latencies, errors)
            raise _Skipped
        http_check(args.port, 5, 3, samples)  # warm every worker
        latencies, errors = http_check(args.port, args.clients, args.seconds, samples)
        report(args, "no wait between checks (closed loop)", latencies, errors)
        latencies, errors = http_check(args.port, args.clients, args.seconds, samples, args.think)
        report(args, f"each client waits {args.think} s on average", latencies, errors)
    except _Skipped:
        if server is None:
            print("public check over HTTP: skipped (--skip-http)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    if args.only_http:
        print(f"load average after: {os.getloadavg()}")
        return

    # Issuing an intake of 500, in process (the background job's body).
    from skills.models import (
        Accreditation,
        Certificate,
        Enrolment,
        Intake,
        IssueBatch,
        Result,
        Trainee,
    )
    from skills.services.certificates import issue_batch_run

    accreditation = Accreditation.objects.select_related("centre", "standard").first()
    today = timezone.localdate()
    intake = Intake.objects.create(centre=accreditation.centre, accreditation=accreditation,
                                   code=f"BENCH-{int(time.time())}", starts_on=today, ends_on=today,
                                   state="verified")  # fmt: skip
    units = list(accreditation.standard.units.values_list("pk", flat=True))
    run = int(time.time()) % 10**5 * 1000  # new trainees each run (--reuse)
    trainees = Trainee.objects.bulk_create(
        Trainee(id_number=f"{700000000000 + run + i:012d}", name=f"Pelatih Baru {i}")
        for i in range(500)
    )
    enrolments = Enrolment.objects.bulk_create(Enrolment(intake=intake, trainee=t)
                                               for t in trainees)  # fmt: skip
    Result.objects.bulk_create(
        Result(enrolment=e, unit_id=u, outcome="competent" if (i + j) % 13 else "not_yet",
               assessed_on=today, assessor=officer, verified_at=timezone.now())
        for i, e in enumerate(enrolments) for j, u in enumerate(units)
    )  # fmt: skip
    batch = IssueBatch.objects.create(intake=intake, requested_by=officer, total=500)
    began = time.perf_counter()
    with count_queries() as n:
        issue_batch_run(batch_id=batch.pk)
    took = time.perf_counter() - began
    batch.refresh_from_db()
    print(f"issue an intake of 500: {took:.2f} s, {batch.issued} issued "
          f"({Certificate.objects.filter(intake=intake, kind='SP').count()} SP), "
          f"{n[0]} queries ({n[0] / 500:.1f} a trainee)")  # fmt: skip

    # Statistics, the body's view of the latest year.
    client.force_login(officer)
    url = f"/kemahiran/statistik/?year={today.year}"
    client.get(url)
    times = []
    for _ in range(20):
        began = time.perf_counter()
        with count_queries() as n:
            response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    print(f"statistics {today.year}: HTTP {response.status_code}, {n[0]} queries, "
          f"p50 {statistics.median(times):.0f} ms, p95 {pct(times, 95):.0f} ms")  # fmt: skip

    # The certificate PDF, drawn on demand.
    from skills import pdfs

    certificate = Certificate.objects.select_related("trainee", "standard", "centre").get(
        reference=samples["valid"][0]
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        holder_name="Nur Aisyah Humaira binti Mohd Khairul Anuar Syafiq"
    )
    certificate.refresh_from_db()
    pdfs.certificate_document(certificate=certificate)
    times = []
    for _ in range(10):
        began = time.perf_counter()
        pdfs.certificate_document(certificate=certificate)
        times.append((time.perf_counter() - began) * 1000)
    print(f"certificate PDF: p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
