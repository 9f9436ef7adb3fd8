"""The executive report (issue 17 item 5) at national scale: the page, its PDF and exports.

Run with the project's Python on a machine with PostgreSQL:

    BENCH_PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/skills_executive.py
    ... --reuse (measure the loaded database again)

It recreates the database ``ssqs_sk_exec`` and loads it with ``bench/skills_check.py``'s
loader (not a copy of it), given 1,500 centres instead of 500: 2,000,000 certificates over
ten years, 500,000 trainees, 6,000 accreditations, 40,000 intakes. Then it gives the load
what an executive report looks for (plain UPDATEs): one accreditation in thirty expiring
this calendar quarter (some already expired in it), one in a hundred and fifty expired
last year with an intake still open, and one intake in sixty of the last two years not
yet verified (open, submitted or returned), most of them long past their end. It rebuilds
the statistics' figures of this year and last (what the hourly task does), then times, in
process through Django's test client as the body's certification officer: the page for
the nation, a state, a sector and a centre, the PDF and the CSV/XLSX exports, with their
queries.
"""

import argparse
import datetime
import os
import statistics
import time

from common import count_queries, machine, setup_django

DB = os.environ.get("SKILLS_EXEC_BENCH_DB", "ssqs_sk_exec")
CENTRES = 1500


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def shape(today):
    """What the report looks for, on the loaded rows: expiring and expired accreditations with
    open intakes, and intakes not verified long after they ended."""
    from django.db import connection

    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE skills_accreditation SET expires_on = %s::date + (id %% 85)::int "
            "WHERE id %% 30 = 0",
            [quarter_start],
        )
        expiring = cursor.rowcount
        cursor.execute(
            "UPDATE skills_accreditation SET expires_on = %s WHERE id %% 150 = 7",
            [datetime.date(today.year - 1, 6, 30)],
        )
        expired = cursor.rowcount
        cursor.execute(
            "UPDATE skills_intake SET state = (ARRAY['open', 'submitted', 'returned'])[id %% 3 + 1]"
            " WHERE id %% 60 = 0 AND ends_on >= %s",
            [today - datetime.timedelta(days=730)],
        )
        unverified = cursor.rowcount
        cursor.execute(
            "UPDATE skills_intake SET state = 'open' WHERE accreditation_id % 150 = 7 "
            "AND id IN (SELECT max(id) FROM skills_intake GROUP BY accreditation_id)"
        )
        cursor.execute("ANALYZE skills_accreditation")
        cursor.execute("ANALYZE skills_intake")
    return expiring, expired, unverified


def timed_get(client, url, runs, cold=False):
    from django.core.cache import cache

    client.get(url)
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()  # the first look of the hour: last year's same period aggregated
        began = time.perf_counter()
        with count_queries() as n:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        times.append((time.perf_counter() - began) * 1000)
    return response, n[0], times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="measure the loaded database again")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--reshape", action="store_true", help="with --reuse: shape again")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    setup_django(DB, fresh=not args.reuse)
    print(machine())
    print(f"load average before: {os.getloadavg()}", flush=True)
    from django.utils import timezone

    today = timezone.localdate()
    if not args.reuse:
        import skills_check

        skills_check.CENTRES = CENTRES  # the loader reads it when it runs
        loaded, counts, _samples, _officer = skills_check.load()
        print(f"bulk load (bench/skills_check.py's loader, {CENTRES} centres): {loaded:.1f} s; "
              f"rows: {counts}", flush=True)  # fmt: skip
    if not args.reuse or args.reshape:
        expiring, expired, unverified = shape(today)
        print(f"shaped: {expiring} accreditations expiring about this quarter, {expired} expired "
              f"last year, {unverified} intakes not verified", flush=True)  # fmt: skip
        from skills.services.statistics import statistics_rebuild

        for year in (today.year, today.year - 1):
            began = time.perf_counter()
            statistics_rebuild(year=year)
            print(f"statistics rebuilt for {year}: {time.perf_counter() - began:.1f} s",
                  flush=True)  # fmt: skip
    if args.load_only:
        return

    from django.contrib.auth import get_user_model
    from django.test import Client

    from skills.models import Centre, Sector

    officer = get_user_model().objects.get(username="bench.pegawai")
    client = Client()
    client.force_login(officer)
    state = Centre.objects.filter(state__isnull=False).values_list("state__code", flat=True)[0]
    sector = Sector.objects.values_list("code", flat=True)[0]
    centre = Centre.objects.order_by("code").values_list("code", flat=True)[7]
    base = "/kemahiran/laporan-eksekutif/"
    cases = [
        ("nation", f"{base}?year={today.year}"),
        ("nation, first look of the hour", f"{base}?year={today.year}"),
        (f"state {state}", f"{base}?state={state}"),
        (f"sector {sector}", f"{base}?sector={sector}"),
        (f"centre {centre}", f"{base}?centre={centre}"),
        ("nation, last year", f"{base}?year={today.year - 1}"),
        ("nation CSV", f"{base}?format=csv"),
        ("nation XLSX", f"{base}?format=xlsx"),
        ("nation PDF", f"{base}?format=pdf"),
        (f"centre {centre} PDF", f"{base}?format=pdf&centre={centre}"),
    ]
    print("| report | HTTP | queries | p50 | p95 | max | size |")
    print("|---|---|---|---|---|---|---|")
    for label, url in cases:
        runs = args.runs if "PDF" not in label else max(5, args.runs // 4)
        response, queries, times = timed_get(client, url, runs, cold="first look" in label)
        streamed = getattr(response, "streaming", False)
        size = "streamed" if streamed else f"{len(response.content) / 1024:.0f} KB"
        print(f"| {label} | {response.status_code} | {queries} | "
              f"{statistics.median(times):.0f} ms | {pct(times, 95):.0f} ms | "
              f"{max(times):.0f} ms | {size} |", flush=True)  # fmt: skip
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
