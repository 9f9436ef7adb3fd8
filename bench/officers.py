"""The officers' map (issue 13) at national scale on the real school list.

Builds the 10,239 real schools (with their coordinates), an SSQS cycle and
a reproducible spread of per-school progress rows (seed 2026, no rosters or
answers: the map reads only progress rows and roll-ups), rebuilds the
roll-ups, then times the dashboards with their maps: national (the states),
the largest states (their daerah, the PPD -> daerah mapping cold and cached)
and a district (its outline and schools). Prints the sizes of the shipped
boundaries and of the national page's SVG.

    .venv/bin/python bench/officers.py
"""

import datetime
import random
import re

from common import ROOT, SCHOOL_LIST, bench_officer, machine, sample, setup_django, timed

DB = "ssqs_bench_officers"


def main():
    setup_django(DB)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from monitoring.models import SchoolProgress
    from monitoring.rollups import rollups_rebuild
    from schools.models import District, School
    from surveys.loading import instrument_load, instrument_path
    from surveys.models import Cycle

    print("machine:", machine())
    results = {}
    call_command("import_schools", SCHOOL_LIST, initial_password="Bench-12345", verbosity=0)
    today = datetime.date.today()
    cycle = Cycle.objects.create(
        year=2026,
        instrument=instrument_load(path=instrument_path(2026)),
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        briefing_on=today - datetime.timedelta(days=7),
    )
    rng = random.Random(2026)
    now = timezone.now()
    rows = []
    for school_id, district_id, state_id in School.objects.values_list(
        "pk", "district_id", "district__state_id"
    ):
        required = 62
        finished = rng.choice([0, 0, rng.randint(1, 61), required])
        stars = rng.randint(1, 5) if finished else None
        rows.append(
            SchoolProgress(
                cycle=cycle, school_id=school_id, district_id=district_id, state_id=state_id,
                status="complete" if finished == required else "in_progress" if finished
                else "not_started",
                started=finished, finished=finished, required=required,
                score=stars and 20 * stars - 5, stars=stars,
                rating_status="final" if finished == required else "provisional" if stars else "",
                usage=stars and 20 * stars - 5, human_capital=stars and 20 * stars - 5,
                applications=stars and 20 * stars - 5, infrastructure=stars and 20 * stars - 5,
                updated_at=now,
            )
        )  # fmt: skip
    SchoolProgress.objects.bulk_create(rows, batch_size=5000)
    rollups_rebuild(cycle_id=cycle.pk, refresh_progress=False)
    located = School.objects.filter(longitude__isnull=False).count()
    print(f"schools: {len(rows)}, with coordinates: {located}")

    for name in ("states.json", "districts.json"):
        size = (ROOT / "static" / "geo" / name).stat().st_size
        print(f"static/geo/{name}: {size / 1024:.0f} KB")

    user = bench_officer("b.kpm", "KPM")
    client = Client()
    client.force_login(user)
    page = client.get("/pemantauan/national/KPM/").content.decode()
    svg = re.search(r"<svg id=\"node-map\".*?</svg>", page, re.S).group(0)
    print(f"national page: {len(page) / 1024:.0f} KB, the map's SVG {len(svg) / 1024:.0f} KB")

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    p50, p95, top = sample(get("/pemantauan/national/KPM/"), 5)
    print(f"national dashboard with the map: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms")
    biggest = (
        School.objects.values("district__state__code").annotate(n=Count("id")).order_by("-n")[:2]
    )
    for row in biggest:
        url = f"/pemantauan/state/{row['district__state__code']}/"
        cache.clear()
        with timed(f"state {row['district__state__code']} ({row['n']} schools), cold", results):
            get(url)()
        p50, p95, top = sample(get(url), 5)
        print(f"  cached: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms")
    district = District.objects.annotate(n=Count("schools")).order_by("-n").first()
    p50, p95, top = sample(get(f"/pemantauan/district/{district.code}/"), 5)
    print(
        f"district {district.code} ({district.n} schools as points): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms"
    )


if __name__ == "__main__":
    main()
