"""PIBK at national scale: the KPI roll-up of 10,239 schools, and one school of 2,000 families.

    .venv/bin/python bench/pibk.py [--db ssqs_bench_pibk]

Builds, in a fresh PostgreSQL database: the real school list, two PIBK years
for every school (counts only, varied, reproducible from a seed; some windows
verified), and one primary school with a register of 2,000 families (about
3,300 pupils, siblings included) imported through the service. Measures:
- the full national rebuild as an operator runs it (`pibk_rollups`: every
  school's average from its activities, then every district, state and the
  nation), and the roll-up alone (what the workers run after a change);
- the national, state and district dashboards and the national CSV export;
- at the 2,000-family school, the coordinator's attendance list (first page),
  a search (htmx) and a tick (htmx POST, toggled on and off).
Tasks go to a Redis broker as in production (the roll-up after a tick is the
worker's job, debounced); nothing consumes them here.
"""

import argparse
import datetime
import random
import time

from common import SCHOOL_LIST, count_queries, machine, sample, setup_django, timed

YEAR_GROUPS = ["PRA", "1", "2", "3", "4", "5", "6"]


def build_years(year, seed):
    from django.db import transaction

    from core.review.models import ReviewSubject
    from pibk import rules
    from pibk.models import Activity, PibkYear, SchoolYear
    from schools.models import School

    rng = random.Random(seed)
    for y in (year - 1, year):
        PibkYear.objects.get_or_create(year=y)
        with transaction.atomic():
            years = SchoolYear.objects.bulk_create(
                [
                    SchoolYear(
                        school_id=pk,
                        year=y,
                        district_id=district,
                        state_id=state,
                        is_kpm=True,
                        mode="counts",
                        families=(families := max(20, (enrolment or 300) * 2 // 3)),
                        volunteers=int(families * rng.uniform(0.05, 0.45)),
                    )
                    for pk, district, state, enrolment in School.objects.values_list(
                        "pk", "district_id", "district__state_id", "enrolment"
                    )
                ],
                batch_size=5000,
            )
            activities, windows = [], []
            for school_year in years:
                lean = rng.betavariate(5, 2)
                for code in rules.CODES:
                    expected = school_year.families if code in "CD" else rng.randint(0, 120)
                    held = y < year or rules.deadline(y, rules.window_of(code)).month < 11
                    rate = min(1, lean * rng.uniform(0.7, 1.2)) if held else 0
                    month = 2 * (rules.CODES.index(code) + 1)
                    activities.append(
                        Activity(
                            school_year=school_year,
                            code=code,
                            expected=expected,
                            attended=int(expected * rate),
                            held_on=datetime.date(y, month, 10) if held else None,
                        )
                    )
                for window in rules.WINDOWS:
                    verified = y < year or (rng.random() < 0.6 and window in ("K1-MAR", "K2-MAY"))
                    if verified:  # a window nobody acted on has no review row
                        windows.append(
                            ReviewSubject(
                                programme="pibk",
                                year=y,
                                window=window,
                                school_id=school_year.school_id,
                                state="verified",
                            )
                        )
            Activity.objects.bulk_create(activities, batch_size=10_000)
            ReviewSubject.objects.bulk_create(windows, batch_size=10_000)
    from ssqs_portal.db import analyze_after_bulk_load

    analyze_after_bulk_load(SchoolYear, Activity, ReviewSubject, rows=100_000)


def register_file(rng, families=2000):
    lines = ["ID_KELUARGA,NAMA_PENJAGA,NAMA_MURID,TAHUN,KELAS,SUKAN,ANUGERAH"]
    for n in range(1, families + 1):
        guardian = f"Penjaga {n:04d} {rng.choice(['Ahmad', 'Tan', 'Raj', 'Lim', 'Osman'])}"
        for year in rng.sample(YEAR_GROUPS, rng.choice([1, 1, 2, 2, 3])):
            lines.append(
                f"K{n:05d},{guardian},Murid {n} {year},{year},{year} Bestari,"
                + ("YA," if rng.random() < 0.3 else "TIDAK,")
                + ("YA" if rng.random() < 0.1 else "TIDAK")
            )
    return "\n".join(lines).encode(), len(lines) - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_pibk")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    setup_django(args.db, broker="redis://127.0.0.1:6379/14")

    from django.core.management import call_command
    from django.test import Client

    from accounts.services import officer_create
    from pibk import family_register, rollups, services
    from pibk.models import Family, PibkRollUp, SchoolYear
    from schools.models import School

    print("machine:", machine())
    results = {}
    call_command("import_schools", SCHOOL_LIST, initial_password="Bench-12345", verbosity=0)
    year = services.today().year
    with timed("two PIBK years for 10,239 schools (built)", results):
        build_years(year, args.seed)

    runs = []
    for _ in range(3):
        start = time.perf_counter()
        call_command("pibk_rollups", year=year, stdout=open("/dev/null", "w"))  # noqa: SIM115
        runs.append(time.perf_counter() - start)
    print(
        f"national rebuild (pibk_rollups: 10,239 averages + every roll-up): runs "
        f"{', '.join(f'{r:.2f}' for r in runs)} s; median {sorted(runs)[1]:.2f} s"
    )
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        rollups.rollups_rebuild(year=year)
        runs.append(time.perf_counter() - start)
    print(f"roll-up alone (what a worker runs after a change): median {sorted(runs)[1]:.2f} s")
    rollups.rollups_rebuild(year=year - 1)
    nation = PibkRollUp.objects.get(period=year, level="national")
    nodes = PibkRollUp.objects.filter(period=year).count()
    print(
        f"national KPI 1 {nation.kpi1}% of {nation.reporting} schools reporting, "
        f"KPI 2 {nation.kpi2}%, {nodes} roll-ups"
    )

    school = School.objects.filter(level="primary", district__state__code="SGR").first()
    district = school.district
    nodes = {"national": None, "state": district.state.code, "district": district.code}
    officers = {
        level: officer_create(
            username=f"b.{level}", level=level, node=node, password="x", must_change_password=False
        )
        for level, node in nodes.items()
    }
    urls = {
        "national": "/pibk/pemantauan/national/KPM/",
        "state": f"/pibk/pemantauan/state/{district.state.code}/",
        "district": f"/pibk/pemantauan/district/{district.code}/",
    }
    for level, url in urls.items():
        client = Client()
        client.force_login(officers[level])
        table = url + "sekolah/?sort=average"
        for label, target in (
            (f"{level} dashboard", url),
            (f"{level} school table, lowest average first", table),
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
    print(f"national CSV export: {time.perf_counter() - start:.2f} s, {size / 1e6:.1f} MB")

    # One school of 2,000 families, on a November day (E and F are open).
    services.today = lambda: datetime.date(year, 11, 20)
    school_year = SchoolYear.objects.get(school=school, year=year)
    data, pupils = register_file(random.Random(args.seed))
    start = time.perf_counter()
    result = family_register.register_import(
        school_year=school_year, data=data, filename="daftar.csv"
    )
    assert result.ok, result.errors[:3]
    print(
        f"register import: {result.families:,} families, {pupils:,} pupils in "
        f"{time.perf_counter() - start:.2f} s"
    )
    coordinator = Client()
    account = school.accounts.get(role="coordinator")
    account.must_change_password = False
    account.save(update_fields=["must_change_password"])
    coordinator.force_login(account)
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "family-list"}
    families = list(
        Family.objects.filter(school_year=school_year, pupils__sports=True)
        .distinct()
        .values_list("pk", flat=True)[:40]
    )
    state = {"i": 0}

    def page():
        assert coordinator.get("/pibk/aktiviti/C/").status_code == 200

    def search():
        state["i"] += 1
        term = f"Penjaga {state['i'] % 2000:04d}"
        assert coordinator.get("/pibk/aktiviti/C/", {"q": term}, **htmx).status_code == 200

    def tick():
        state["i"] += 1
        family = families[state["i"] % len(families)]
        present = "1" if (state["i"] // len(families)) % 2 == 0 else "0"
        response = coordinator.post(
            f"/pibk/aktiviti/E/tanda/{family}/", {"present": present}, **htmx
        )
        assert response.status_code == 200, response.content[:300]

    for label, fn in (
        ("attendance list, first page (C: 2,000 families)", page),
        ("search (htmx)", search),
        ("tick (htmx POST)", tick),
    ):
        with count_queries() as n:
            fn()
        p50, p95, worst = sample(fn, 40)
        print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, {n[0]} queries")


if __name__ == "__main__":
    main()
