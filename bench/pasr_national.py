"""PASR at national scale: 8,000 candidates x 20 constructs verified across 1,000 schools.

    .venv/bin/python bench/pasr_national.py [--db ssqs_bench_pasr]

Builds, in a fresh PostgreSQL database: the real school list, 1,000 primary
schools running PASR (PPKI), 8 candidates each, every construct rated,
moderated and verified (three Rating rows per construct: 480,000 rows, the
levels drawn from a seed). Measures:
- the national analysis rebuilt (``pasr_rollups``: every school's summary
  from the latest ratings, then every district, state and the nation), and
  the roll-up alone (what a worker runs after a change);
- the national, state and district dashboards and school tables (p50, p95,
  queries), the national CSV export;
- a class of 20 candidates' reports as one PDF (``pasr:class_report``).
"""

import argparse
import datetime
import os
import random
import time

from common import SCHOOL_LIST, count_queries, machine, sample, setup_django, timed

SCHOOLS = 1000
PER_SCHOOL = 8


def build(year, seed, teacher):
    from django.db import connection, transaction

    from pasr import rules
    from pasr.instrument import instrument
    from pasr.models import Candidate, Rating
    from schools.models import School
    from ssqs_portal.db import analyze_after_bulk_load

    rng = random.Random(seed)
    codes = [c.code for c in instrument().constructs]
    schools = list(
        School.objects.filter(level="primary").order_by("code").values_list("pk", flat=True)
    )[:SCHOOLS]
    School.objects.filter(pk__in=schools).update(has_ppki=True)
    at = datetime.datetime(year, 6, 1, 8, tzinfo=datetime.UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        # The audit triggers would write 480,000 entries while the data is built (and
        # take a quarter of an hour): what is measured below is reading, not this load.
        cursor.execute("SET LOCAL session_replication_role = replica")
        candidates = Candidate.objects.bulk_create(
            [
                Candidate(
                    year=year,
                    id_number=f"{year - 2012:02d}{n:010d}",
                    name=f"Calon {n}",
                    date_of_birth=datetime.date(year - 12, 3, 1),
                    school_id=school,
                    class_name=f"6 {'AB'[n % 2]}",
                    programme=rules.PPKI,
                    curriculum=rules.KSSR_PK_MP,
                    tahap=2,
                    final_year=True,
                    medical="oku_card",
                    mainstream_exam=False,
                    kh_component=rules.KH_COMPONENTS[n % 4],
                )  # fmt: skip
                for n, school in enumerate((s for s in schools for _ in range(PER_SCHOOL)), start=1)
            ],
            batch_size=5000,
        )
        ratings = []
        for candidate in candidates:
            lean = rng.random()
            for code in codes:
                draw = rng.random()
                level = rules.LEVELS[0 if draw < lean * 0.4 else 1 if draw < 0.85 else 2]
                for step, stage in enumerate(rules.STAGES):
                    ratings.append(
                        Rating(
                            candidate=candidate,
                            construct=code,
                            stage=stage,
                            level=level,
                            school_id=candidate.school_id,
                            by=teacher,
                            at=at + datetime.timedelta(days=7 * step),
                        )  # fmt: skip
                    )
            if len(ratings) >= 60_000:
                Rating.objects.bulk_create(ratings, batch_size=10_000)
                ratings = []
        Rating.objects.bulk_create(ratings, batch_size=10_000)
    analyze_after_bulk_load(Candidate, Rating, rows=100_000)
    return schools


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_pasr")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup_django(args.db)

    from django.core.management import call_command
    from django.test import Client

    from accounts.services import officer_create
    from pasr import rollups
    from pasr.calendar import today
    from pasr.models import Candidate, PasrRollUp, Rating
    from schools.models import School
    from tests.factories import person

    print("machine:", machine())
    results = {}
    call_command("import_schools", SCHOOL_LIST, initial_password="Bench-12345", verbosity=0)
    year = today().year
    teacher = person("bench.guru")
    with timed(f"{SCHOOLS * PER_SCHOOL:,} candidates x 20 constructs verified (built)", results):
        schools = build(year, args.seed, teacher)
    print(f"{Candidate.objects.count():,} candidates, {Rating.objects.count():,} rating rows")

    runs = []
    for _ in range(3):
        start = time.perf_counter()
        call_command("pasr_rollups", str(year), stdout=open("/dev/null", "w"))  # noqa: SIM115
        runs.append(time.perf_counter() - start)
    print(
        f"national analysis rebuilt (pasr_rollups: {len(schools):,} summaries + every roll-up): "
        f"runs {', '.join(f'{r:.2f}' for r in runs)} s; median {sorted(runs)[1]:.2f} s"
    )
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        rollups.rollups_rebuild(year=year)
        runs.append(time.perf_counter() - start)
    print(f"roll-up alone (what a worker runs after a change): median {sorted(runs)[1]:.3f} s")
    start = time.perf_counter()
    rollups.school_summary_refresh(school_id=schools[0], year=year)
    print(f"one school's summary refresh: {(time.perf_counter() - start) * 1000:.0f} ms")
    nation = PasrRollUp.objects.get(period=year, level="national")
    print(
        f"nation: {nation.schools} schools, {nation.candidates:,} candidates, "
        f"{nation.verified:,}/{nation.expected:,} verified, P1-BM-1 {nation.levels['P1-BM-1']}"
    )

    school = School.objects.select_related("district__state").get(pk=schools[0])
    district = school.district
    nodes = {"national": None, "state": district.state.code, "district": district.code}
    officers = {
        level: officer_create(
            username=f"b.{level}", level=level, node=node, password="x", must_change_password=False
        )
        for level, node in nodes.items()
    }
    urls = {
        "national": "/pasr/pemantauan/national/KPM/",
        "state": f"/pasr/pemantauan/state/{district.state.code}/",
        "district": f"/pasr/pemantauan/district/{district.code}/",
    }
    for level, url in urls.items():
        client = Client()
        client.force_login(officers[level])
        for label, target in (
            (f"{level} dashboard", url),
            (f"{level} school table, least verified first", url + "sekolah/?sort=verified"),
        ):

            def get(target=target, client=client):
                assert client.get(target).status_code == 200

            with count_queries() as n:
                get()
            p50, p95, worst = sample(get, 20)
            print(
                f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, {n[0]} queries"
            )
    client = Client()
    client.force_login(officers["national"])
    start = time.perf_counter()
    response = client.get(urls["national"] + "sekolah/?format=csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(f"national CSV export: {time.perf_counter() - start:.2f} s, {size / 1e3:.0f} kB")

    # A class of 20: the school's 8 candidates moved into one class with 12 more.
    from pasr import rules
    from tests.pasr.factories_reports import candidate, rate_all

    Candidate.objects.filter(school=school, year=year).update(class_name="6 Bestari")
    for n in range(20 - PER_SCHOOL):
        pupil = candidate(
            school, year=year, class_name="6 Bestari",
            name=f"NUR AISYAH SOFEA BINTI MUHAMMAD HAFIZUDDIN AL-HAFIZ {n}",
        )  # fmt: skip
        rate_all(pupil, rules.KOMPETEN, by=teacher)
    head = person("bench.gb", roles=[("head", school)])
    client = Client()
    client.force_login(head)
    url = f"/pasr/sekolah/{school.code}/laporan.pdf"

    def pdf():
        response = client.get(url, {"year": year, "kelas": "6 Bestari"})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return response

    with count_queries() as n:
        size = len(pdf().content)
    cpu = time.process_time()
    p50, p95, worst = sample(pdf, 5)
    cpu = (time.process_time() - cpu) / 6  # sample() calls it once more to warm up
    print(
        f"class of 20 candidates' reports as one PDF: p50 {p50 / 1000:.2f} s "
        f"(CPU {cpu:.2f} s a PDF), max {worst / 1000:.2f} s, {size / 1e3:.0f} kB, "
        f"{n[0]} queries; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
