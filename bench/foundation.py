"""Foundation benchmarks: import the real school list, national school list.

Targets (issue 2): the full import in 15 s or less; the national officer's
school list in 200 ms or less with a constant number of queries.
"""

from common import (
    SCHOOL_LIST,
    bench_officer,
    count_queries,
    machine,
    sample,
    setup_django,
    timed,
)


def main():
    setup_django("ssqs_bench_foundation")
    from django.core.management import call_command
    from django.test import Client

    print("machine:", machine())
    results = {}
    with timed("import_schools, empty database (10,239 schools, 20,478 accounts)", results):
        call_command("import_schools", SCHOOL_LIST, initial_password="Awal-12345")
    with timed("import_schools again (idempotent, nothing changes)", results):
        call_command("import_schools", SCHOOL_LIST)

    officer = bench_officer("kpm.bench", "KPM")
    client = Client()
    client.force_login(officer)
    for label, params in [
        ("national list, page 1", {}),
        ("national list, page 150", {"page": 150}),
        ("national search 'kebangsaan'", {"q": "kebangsaan"}),
        ("national search by code 'YBB'", {"q": "YBB"}),
        ("national filter primary + SKM", {"level": "primary", "skm": "1"}),
    ]:

        def get(params=params):
            response = client.get("/sekolah/", params)
            assert response.status_code == 200

        with count_queries() as queries:
            get()
        p50, p95, worst = sample(get, 40)
        print(
            f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms, "
            f"{queries[0]} queries",
            flush=True,
        )


if __name__ == "__main__":
    main()
