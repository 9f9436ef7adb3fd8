"""Monitoring benchmarks at national scale on the real school list.

What it builds: the 10,239 real schools, the SSQS cycle with every
required roster (483,186 respondents), and a reproducible spread of
progress and ratings written straight with SQL (seed 2026), without
answers. It measures roster creation, the roll-up rebuild, the dashboards
and the exports. The recompute from answers is bench/scale_data.py +
bench/national.py.
"""

import datetime
import random
import time

from common import (
    SCHOOL_LIST,
    bench_officer,
    count_queries,
    machine,
    sample,
    setup_django,
    timed,
)

DB = "ssqs_bench_monitoring"


def measure_respondent_export():
    """Stream the national respondent-level CSV; report time, rows and the process's peak memory.

    Timed without tracemalloc, which traces every allocation and made this
    take several times as long; memory is the growth of peak RSS, which stays
    far below the size of the file when the export really streams.
    """
    import resource

    from django.contrib.auth import get_user_model
    from django.test import Client

    officer, _created = get_user_model().objects.get_or_create(
        username="b.kpm.export", defaults={"role": "officer", "level": "national"}
    )
    client = Client()
    client.force_login(officer)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    response = client.get("/pemantauan/national/KPM/responden.csv")
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"national respondent-level CSV: {lines - 1:,} rows, {size / 1e6:.1f} MB in "
        f"{elapsed:.1f} s; peak RSS {before:.0f} -> {after:.0f} MB"
    )


def main():
    import sys

    if "--reuse" in sys.argv:  # measure on the database an earlier run built
        db = sys.argv[sys.argv.index("--db") + 1] if "--db" in sys.argv else DB
        setup_django(db, fresh=False)
        print("machine:", machine())
        measure_respondent_export()
        return
    setup_django(DB)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from monitoring.rollups import rollups_rebuild
    from schools.models import District, School
    from surveys.models import Rating, Respondent
    from surveys.rosters import cycle_open

    print("machine:", machine())
    results = {}
    call_command("import_schools", SCHOOL_LIST, initial_password="Bench-12345", verbosity=0)
    today = datetime.date.today()
    with timed("open_cycle: every roster for 10,239 schools", results):
        cycle = cycle_open(
            year=2026,
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
        )
    print("respondents:", Respondent.objects.filter(cycle=cycle).count())

    rng = random.Random(2026)
    now = timezone.now()
    school_ids = list(School.objects.values_list("pk", flat=True))
    started = [s for s in school_ids if rng.random() < 0.8]
    complete = set(rng.sample(started, len(started) // 2))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE surveys_respondent SET started_at = %s, completed_at = %s, "
            "completed_domains = '[]' WHERE school_id = ANY(%s)",
            [now, now, list(complete)],
        )
        partial = [s for s in started if s not in complete]
        cursor.execute(
            "UPDATE surveys_respondent SET started_at = %s, completed_at = "
            "CASE WHEN random() < 0.5 THEN %s::timestamptz END "
            "WHERE school_id = ANY(%s)",
            [now, now, partial],
        )
    ratings = []
    for school_id in started:
        indicators = [round(rng.uniform(20, 98), 2) for _ in range(4)]
        score = round(
            0.4 * indicators[0] + 0.4 * indicators[1] + 0.1 * indicators[2] + 0.1 * indicators[3]
        )
        stars = 1 + min(4, max(0, (score - 1) // 20))
        ratings.append(
            Rating(
                cycle=cycle,
                school_id=school_id,
                usage=indicators[0],
                human_capital=indicators[1],
                applications=indicators[2],
                infrastructure=indicators[3],
                score=score,
                band=["Basic", "Basic Plus", "Median", "Advance", "Advance Plus"][stars - 1],
                stars=stars,
                status="final" if school_id in complete else "provisional",
                computed_at=now,
            )
        )
    Rating.objects.bulk_create(ratings, batch_size=5000)

    with timed("roll-up rebuild, national (progress of 10,239 schools + 162 roll-ups)", results):
        rollups_rebuild(cycle_id=cycle.pk)
    with timed("roll-up rebuild again (idempotent)", results):
        rollups_rebuild(cycle_id=cycle.pk)

    district = District.objects.get(code="SGR-PETALING-UTAMA")
    officers = {
        "national": bench_officer("b.kpm", "KPM"),
        "state": bench_officer("b.jpn", district.state.code),
        "district": bench_officer("b.ppd", district.code),
    }
    urls = {
        "national": "/pemantauan/national/KPM/",
        "state": f"/pemantauan/state/{district.state.code}/",
        "district": f"/pemantauan/district/{district.code}/",
    }
    for level, url in urls.items():
        client = Client()
        client.force_login(officers[level])
        for label, target in (
            (f"{level} dashboard", url),
            (f"{level} school table, sorted by score", url + "sekolah/?sort=-score"),
            (f"{level} map points (JSON)", url + "peta.json"),
        ):

            def get(target=target, client=client):
                assert client.get(target).status_code == 200

            with count_queries() as n:
                get()
            p50, p95, worst = sample(get, 20)
            print(
                f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, {n[0]} queries",
                flush=True,
            )
    client = Client()
    client.force_login(officers["national"])
    start = time.perf_counter()
    response = client.get(urls["national"] + "sekolah/?format=csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(
        f"national CSV export of every school: {time.perf_counter() - start:.2f} s, "
        f"{size / 1e6:.1f} MB"
    )
    start = time.perf_counter()
    response = client.get(urls["national"] + "sekolah/?format=xlsx")
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(
        f"national XLSX export of every school: {time.perf_counter() - start:.2f} s, "
        f"{size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
