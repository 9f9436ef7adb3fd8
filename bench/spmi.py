"""SPMI at national scale: opening the national cycle, pre-filled from SSQS and PIBK.

    .venv/bin/python bench/spmi.py [--db ssqs_bench_spmi] [--seed 2026]

Builds, in a fresh PostgreSQL database: the real school list (10,239 schools),
an SSQS rating and a PIBK year for every school for this year and last year
(drawn from a seed; written as the programmes' result rows). Measures:
- opening the national SPMI cycle (``spmi_open YEAR``: every school's cycle
  and every portal-sourced indicator's two figures, audit triggers on), and
  opening it again (idempotent: nothing to do);
- a school's evaluation page (p50, p95, queries) before and after the quality
  team has rated every criterion;
- the officers' list for the nation.
"""

import argparse
import datetime
import random
from decimal import Decimal

from common import SCHOOL_LIST, count_queries, machine, sample, setup_django, timed


def build(year, seed):
    """Every school's SSQS rating and PIBK year of ``year`` and ``year - 1`` (result rows)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from pibk.models import SchoolYear
    from schools.models import School
    from surveys.loading import instrument_load, instrument_path
    from surveys.models import Cycle, Rating

    rng = random.Random(seed)
    instrument = instrument_load(path=instrument_path(2026))
    schools = list(School.objects.values_list("pk", "district_id", "district__state_id"))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        # The audit triggers would record every row of this load: what is measured is the
        # opening, which runs with them.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for y in (year - 1, year):
            cycle = Cycle.objects.create(
                year=y, instrument=instrument, briefing_on=datetime.date(y, 1, 5),
                opens_on=datetime.date(y, 1, 5), closes_on=datetime.date(y, 11, 30),
            )  # fmt: skip
            ratings, pibk = [], []
            for pk, district, state in schools:
                scores = [Decimal(rng.randint(1500, 10000)) / 100 for _ in range(4)]
                score = int(0.4 * float(scores[0] + scores[1]) + 0.1 * float(scores[2] + scores[3]))
                stars = 1 + min(4, score // 20)
                required = rng.randint(10, 40)
                ratings.append(Rating(
                    cycle=cycle, school_id=pk, usage=scores[0], human_capital=scores[1],
                    applications=scores[2], infrastructure=scores[3], score=score, band=str(stars),
                    stars=stars, status="final", respondents_required=required,
                    respondents_finished=rng.randint(0, required), computed_at=now,
                ))  # fmt: skip
                families = rng.randint(50, 900)
                average = Decimal(rng.randint(3000, 10000)) / 100
                pibk.append(SchoolYear(
                    school_id=pk, year=y, district_id=district, state_id=state, mode="counts",
                    families=families, volunteers=rng.randint(0, families), average=average,
                    counted=6, reaches=average >= 65,
                ))  # fmt: skip
            Rating.objects.bulk_create(ratings, batch_size=5000)
            SchoolYear.objects.bulk_create(pibk, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(schools)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_spmi")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup_django(args.db)

    from django.core.management import call_command
    from django.test import Client

    from accounts.services import officer_create
    from schools.models import School
    from spmi.models import Cycle, Figure
    from spmi.selectors.evaluation import criteria_rows, evaluation
    from spmi.services.evaluation import rating_save
    from spmi.standards import standards_load
    from tests.factories import person

    print("machine:", machine())
    results = {}
    call_command("import_schools", SCHOOL_LIST, initial_password="Bench-12345", verbosity=0)
    year = 2026
    with timed("SSQS ratings and PIBK years of two years built", results):
        n = build(year, args.seed)
    standards_load()
    print(f"{n:,} schools")
    with timed(f"national SPMI cycle opened ({n:,} schools, pre-filled)", results):
        call_command("spmi_open", str(year), stdout=open("/dev/null", "w"))  # noqa: SIM115
    print(f"{Cycle.objects.filter(year=year).count():,} cycles, "
          f"{Figure.objects.count():,} pre-filled figures")  # fmt: skip
    with timed("opened again (idempotent: nothing to do)", results):
        call_command("spmi_open", str(year), stdout=open("/dev/null", "w"))  # noqa: SIM115

    school = School.objects.order_by("code").first()
    team = person("bench.mutu", roles=[("quality_team", school)])
    client = Client()
    client.force_login(team)
    url = f"/spmi/sekolah/{school.code}/?year={year}"

    def get():
        assert client.get(url).status_code == 200

    for label in ("evaluation page, nothing rated", "evaluation page, every criterion rated"):
        with count_queries() as q:
            get()
        p50, p95, worst = sample(get, 30)
        print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, {q[0]} queries")
        cycle = Cycle.objects.get(school=school, year=year)
        for row in criteria_rows(evaluation(cycle)):
            rating_save(cycle=cycle, criterion=row.criterion, level=4, evidence="e",
                        justification="j", priority=True, by=team)  # fmt: skip

    national = officer_create(username="b.kpm", level="national", node=None, password="x",
                              must_change_password=False)  # fmt: skip
    officer = Client()
    officer.force_login(national)

    def follow():
        assert officer.get(f"/spmi/pemantauan/?year={year}").status_code == 200

    with count_queries() as q:
        follow()
    p50, p95, worst = sample(follow, 10)
    print(f"national officers' list: p50 {p50:.0f} ms, p95 {p95:.0f} ms, {q[0]} queries")


if __name__ == "__main__":
    main()
