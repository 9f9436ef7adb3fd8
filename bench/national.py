"""The full national recompute against the floor, on the database bench/scale_data.py built.

    .venv/bin/python bench/scale_data.py      # once, about five minutes
    .venv/bin/python bench/national.py [--db ssqs_bench_national] [--runs 3]

Measures, in the same run and alternating so caches treat both alike:
- the floor: one plain SQL GROUP BY over the same answers (completed
  respondents' answers joined to their respondents, counted per school and
  category), which is the least any recompute must read;
- the full national recompute as an operator runs it,
  `recompute_ratings --cycle 2026`: every school's rating from its answers
  and then every roll-up (progress rows, district, state and nation);
and prints the ratio, the spread of stars, a fingerprint of the ratings
(equal across builds with the same seed), that two recomputes at once give
the same fingerprint, and the one-school-at-a-time path for comparison.
"""

import argparse
import statistics
import threading
import time

from common import machine, setup_django

FLOOR_SQL = """
SELECT r.school_id, r.category, COUNT(*)
FROM surveys_answer a JOIN surveys_respondent r ON r.id = a.respondent_id
WHERE r.cycle_id = %s AND r.completed_at IS NOT NULL
GROUP BY r.school_id, r.category
"""


def fingerprint(cycle):
    from surveys.selectors import ratings_fingerprint

    return ratings_fingerprint(year=cycle.year)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_national")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django(args.db, fresh=False)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from monitoring.models import SsqsRollUp
    from surveys.models import Answer, Cycle, Rating, Respondent
    from surveys.rating import rating_recompute

    cycle = Cycle.objects.get(year=2026)
    print("machine:", machine())
    print(
        f"data: {Respondent.objects.filter(cycle=cycle).count():,} respondents, "
        f"{Answer.objects.count():,} answers"
    )
    floor, full = [], []
    for run in range(args.runs):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [cycle.pk])
            groups = len(cursor.fetchall())
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        call_command("recompute_ratings", cycle=2026, stdout=open("/dev/null", "w"))  # noqa: SIM115
        full.append(time.perf_counter() - start)
        print(
            f"run {run + 1}: floor GROUP BY {floor[-1]:.2f} s ({groups:,} groups); "
            f"full national recompute {full[-1]:.2f} s",
            flush=True,
        )
    f, g = statistics.median(floor), statistics.median(full)
    print(f"median: floor {f:.2f} s, full recompute {g:.2f} s, ratio {g / f:.2f}")

    stars = dict(
        Rating.objects.filter(cycle=cycle)
        .values_list("stars")
        .annotate(n=Count("id"))
        .order_by("stars")
    )
    print("ratings:", Rating.objects.filter(cycle=cycle).count(), "stars:", stars)
    print("roll-ups:", SsqsRollUp.objects.filter(period=cycle.year).count())
    serial = fingerprint(cycle)
    print("fingerprint:", serial)

    errors = []

    def recompute():
        try:
            call_command("recompute_ratings", cycle=2026, stdout=open("/dev/null", "w"))  # noqa: SIM115
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=recompute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"two national recomputes at once: {time.perf_counter() - start:.1f} s, "
        f"errors {errors or 'none'}, fingerprint "
        f"{'unchanged' if fingerprint(cycle) == serial else 'CHANGED'}"
    )

    sample = list(Rating.objects.filter(cycle=cycle).values_list("school_id", flat=True)[:200])
    start = time.perf_counter()
    for school_id in sample:
        rating_recompute(cycle_id=cycle.pk, school_id=school_id)
    each = (time.perf_counter() - start) / len(sample)
    print(
        f"one school at a time (the debounced path), for comparison: {each * 1000:.1f} ms a "
        f"school, about {each * 10239:.0f} s for the nation; fingerprint "
        f"{'unchanged' if fingerprint(cycle) == serial else 'CHANGED'}"
    )


if __name__ == "__main__":
    main()
