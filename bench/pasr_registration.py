"""PASR: registering a school's 100 candidates from a CSV, through the service.

    .venv/bin/python bench/pasr_registration.py [--db ssqs_bench_pasr_reg] [--runs 5]

Builds, in a fresh PostgreSQL database, one school with a PPKI programme and
its exam secretary, with this year's registration open. Each run imports the
same 100-candidate CSV with ``candidates_import`` (every row checked with the
form and the rules, duplicates looked up in one query, one bulk insert, the
school's summary and the change announced), then deletes the candidates.
Target: at most 2 s for 100 candidates. Also the same file through the page
(the exam secretary's POST), and the SQL statements each takes.
"""

import argparse
import datetime
import statistics
import time

from common import count_queries, machine, setup_django

TARGET = 2.0


def build():
    from django.contrib.auth import get_user_model

    from core.people.services import role_grant
    from core.people.units import unit_resolve
    from pasr import calendar
    from pasr.services.calendar import window_set
    from schools.models import District, School, State

    state = State.objects.create(code="SGR", name="Selangor")
    district = District.objects.create(code="SGR-PETALING", name="PPD PETALING", state=state)
    school = School.objects.create(
        code="BBA0001", name="SK ALFA", district=district, level="primary", has_ppki=True
    )
    secretary = get_user_model().objects.create(username="su.peperiksaan", role="person")
    role_grant(user=secretary, role="exam_secretary", unit=unit_resolve(school.code))
    year = calendar.today().year
    window_set(year=year, window="registration", opens=datetime.date(year, 1, 1),
               closes=datetime.date(year, 12, 31), reason="bench")  # fmt: skip
    return school, secretary, year


def candidate_csv(year: int, n: int = 100) -> bytes:
    from pasr.importing import COLUMNS

    lines = [",".join(COLUMNS)]
    for i in range(n):
        lines.append(
            ",".join([
                f"Calon Nombor {i}", f"{(year - 13) % 100:02d}0315-10-{i:04d}",
                f"{year - 13}-03-15", "6 Bestari", "ppki", "kssr_pk_mp", "2", "yes",
                "oku_card", "no", "masakan", "no",
            ])
        )  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_pasr_reg")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django(args.db)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from pasr.models import Candidate
    from pasr.services.registration import candidates_import

    print("machine:", machine())
    school, secretary, year = build()
    data = candidate_csv(year)
    runs, statements = [], 0
    for _ in range(args.runs):
        with count_queries() as queries:
            start = time.perf_counter()
            outcome = candidates_import(
                school=school, year=year, data=data, filename="calon.csv", by=secretary
            )
            runs.append(time.perf_counter() - start)
        assert outcome.ok and outcome.created == 100, outcome.problems[:5]
        statements = queries[0]
        Candidate.objects.all().delete()
    median = statistics.median(runs)
    print(
        f"service: 100 candidates from a CSV: runs {', '.join(f'{r:.3f}' for r in runs)} s; "
        f"median {median:.3f} s; {statements} SQL statements; target <= {TARGET:.0f} s: "
        f"{'met' if median <= TARGET else 'MISSED'}"
    )

    client = Client()
    client.force_login(secretary)
    page = []
    for _ in range(args.runs):
        upload = SimpleUploadedFile("calon.csv", data, "text/csv")
        start = time.perf_counter()
        response = client.post(f"/pasr/sekolah/{school.code}/daftar/fail/?year={year}",
                               {"file": upload})  # fmt: skip
        page.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
        Candidate.objects.all().delete()
    print(f"page (the exam secretary's POST): median {statistics.median(page):.3f} s")


if __name__ == "__main__":
    main()
