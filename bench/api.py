"""The read API on PostgreSQL with the ministry's real list of 10,239 schools (issue 19).

    .venv/bin/python bench/api.py [--db ssqs_bench_api] [--samples 200]

Targets: a page of 100 schools with their ratings in 100 ms or less (p95), and
a full pull of the nation's school ratings, page after page, in 10 s or less.
Every school gets an SSQS 2026 rating (random but seeded scores). Calls go
through the whole Django stack in process (middleware, the key's lookup, the
rate limit in the cache, the call's log line), as a client's calls would,
without the network.
"""

import argparse
import datetime
import random
import time
from decimal import Decimal

from common import ROOT, SCHOOL_LIST, machine, sample, setup_django


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_api")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    args = parser.parse_args()
    setup_django(args.db, fresh=not args.reuse)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from api.services import key_create
    from schools.models import School
    from surveys.loading import instrument_load
    from surveys.models import Cycle, Rating
    from surveys.scoring import band_for

    print("machine:", machine())
    if not School.objects.exists():
        call_command("import_schools", SCHOOL_LIST, verbosity=0)
        instrument = instrument_load(path=ROOT / "surveys" / "instruments" / "ssqs-2026.yaml")
        cycle = Cycle.objects.create(
            year=2026, instrument=instrument, briefing_on=datetime.date(2026, 3, 1),
            opens_on=datetime.date(2026, 3, 2), closes_on=datetime.date(2026, 5, 30),
        )  # fmt: skip
        rng = random.Random(19)
        now = timezone.now()
        rows = []
        for school_id in School.objects.values_list("pk", flat=True):
            score = rng.randint(0, 100)
            band, stars = band_for(score)
            rows.append(Rating(
                cycle=cycle, school_id=school_id, score=score, band=band, stars=stars,
                status=rng.choice(["provisional", "final"]),
                usage=Decimal(rng.randint(0, 10000)) / 100,
                human_capital=Decimal(rng.randint(0, 10000)) / 100,
                applications=Decimal(rng.randint(0, 10000)) / 100,
                infrastructure=Decimal(rng.randint(0, 10000)) / 100,
                respondents_finished=60, respondents_required=62, computed_at=now,
                breakdown={"administrator": {"usage": 1}, "teacher": {"usage": 2}},
            ))  # fmt: skip
        Rating.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    schools = School.objects.count()
    ratings = Rating.objects.count()
    print(f"data: {schools:,} schools, {ratings:,} ratings")
    import ssqs_portal.wsgi  # noqa: F401  (as gunicorn loads it: the URLconf, gc.freeze())

    _key, secret = key_create(name="Bench", unit_code="KPM")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    # Cursors spread over the nation, so pages are read from everywhere in the list.
    codes = list(School.objects.order_by("code").values_list("code", flat=True))
    from api import paging

    step = max(1, len(codes) // 50)
    cursors = [paging.encode(code, "ratings:2026") for code in codes[:-101:step]]
    picked = iter(cursors * (args.samples // len(cursors) + 2))

    def one_page():
        response = client.get(f"/api/v1/ssqs/cycles/2026/ratings?limit=100&cursor={next(picked)}")
        assert response.status_code == 200, response.content[:300]
        assert len(response.json()["items"]) == 100

    p50, p95, worst = sample(one_page, args.samples)
    print(f"a page of 100 school ratings: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")

    def first_page_of_schools():
        assert client.get("/api/v1/schools?limit=100").status_code == 200

    p50, p95, worst = sample(first_page_of_schools, 50)
    print(f"a page of 100 schools (ministry fields): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    for limit in (500, 100):
        start = time.perf_counter()
        url, pages, seen = f"/api/v1/ssqs/cycles/2026/ratings?limit={limit}", 0, 0
        while url:
            body = client.get(url).json()
            pages += 1
            seen += len(body["items"])
            url = body["next"] and body["next"].replace("http://testserver", "")
        took = time.perf_counter() - start
        assert seen == ratings, (seen, ratings)
        print(f"full pull of {seen:,} ratings in pages of {limit}: {pages} pages, {took:.2f} s")


if __name__ == "__main__":
    main()
