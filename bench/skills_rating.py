"""The centre star rating at national scale (issue 17): 1,500 centres rated in one rebuild.

Run with the project's Python on a machine with PostgreSQL:

    BENCH_PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/skills_rating.py

It recreates the database ``ssqs_sk_rating`` and bulk-loads (COPY through psycopg,
foreign-key triggers off during the load) 1,500 centres in 16 states, 50 standards of 4
CUs, two accreditations a centre (approved; one centre in twenty suspended for three
weeks of last year and reinstated, one in fifty's second accreditation expired in
mid-year), four intakes a centre starting last year with 20 trainees each (120,000
enrolments), a result per trainee and CU (480,000, about 85 % competent), and one or two
verification rounds an intake (about one intake in five returned first; findings on about
a third of the rounds). Then it times ``rating_rebuild`` of last year (the periodic task's
body) twice (the second replaces the first), with its queries.
"""

import datetime
import os
import random
import time

from common import count_queries, machine, setup_django

DB = os.environ.get("SKILLS_RATING_BENCH_DB", "ssqs_sk_rating")
CENTRES = int(os.environ.get("SKILLS_RATING_CENTRES", "1500"))
STANDARDS = 50
INTAKES = 4
PER_INTAKE = 20


def copy(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


def load(year):
    from django.db import connection

    from schools.models import State
    from tests.factories import person

    rng = random.Random(17)
    states = [State.objects.create(code=f"S{i:02d}", name=f"Negeri {i}") for i in range(16)]
    officer = person("bench.pegawai", roles=[("certification_officer", "JPK")])
    assessor = person("bench.pp")
    verifier = person("bench.ppl")
    start = datetime.date(year, 1, 1)
    began = time.perf_counter()
    with connection.cursor() as c:
        cursor = c.cursor  # psycopg's own, for COPY
        cursor.execute("SET session_replication_role = replica")
        copy(cursor, "skills_sector", ["id", "code", "name_ms", "name_en"],
             ((i + 1, f"S{i}", f"Sektor {i}", f"Sector {i}") for i in range(10)))  # fmt: skip
        copy(
            cursor, "skills_standard",
            ["id", "code", "title_ms", "title_en", "sector_id", "level", "version", "is_demo",
             "updated_at"],
            ((i + 1, f"A{i:03d}-001-{i % 5 + 1}:2020", f"Standard {i}", f"Standard {i}",
              i % 10 + 1, i % 5 + 1, "2020", True, "2026-01-01T00:00:00Z")
             for i in range(STANDARDS)),
        )  # fmt: skip
        copy(
            cursor, "skills_competencyunit",
            ["id", "standard_id", "code", "title_ms", "title_en", "hours", '"order"'],
            ((s * 4 + u + 1, s + 1, f"A{s:03d}-C0{u}", f"Unit {u}", f"Unit {u}", 40, u)
             for s in range(STANDARDS) for u in range(4)),
        )  # fmt: skip
        copy(
            cursor, "skills_centre", ["id", "code", "name", "state_id", "address", "email",
                                      "is_active"],
            ((i + 1, f"PB-{i:04d}", f"Pusat Latihan {i}", states[i % 16].pk, "", "", True)
             for i in range(CENTRES)),
        )  # fmt: skip
        accreditations, events = [], []
        for c in range(CENTRES):
            for j in range(2):
                pk = len(accreditations) + 1
                expires = start + datetime.timedelta(days=3 * 365)
                if j == 1 and c % 50 == 0:
                    expires = datetime.date(year, 6, 30)
                accreditations.append((pk, c + 1, (c * 3 + j) % STANDARDS + 1, "full",
                                       "approved", "", "", start - datetime.timedelta(days=400),
                                       expires, "", "2020-01-01T00:00:00Z"))  # fmt: skip
                approved = datetime.datetime(year - 2, 11, 1, 10, tzinfo=datetime.UTC)
                events.append((len(events) + 1, pk, "approve", "", officer.pk, approved))
                if j == 0 and c % 20 == 0:
                    for act, day in (("suspend", 100), ("reinstate", 121)):
                        at = datetime.datetime(year, 1, 1, 10, tzinfo=datetime.UTC)
                        events.append((len(events) + 1, pk, act, "Audit", officer.pk,
                                       at + datetime.timedelta(days=day)))  # fmt: skip
        copy(cursor, "skills_accreditation",
             ["id", "centre_id", "standard_id", "mode", "state", "note", "conditions",
              "valid_from", "expires_on", "reason", "applied_at"], accreditations)  # fmt: skip
        copy(cursor, "skills_accreditationevent",
             ["id", "accreditation_id", "act", "reason", "by_id", "at"], events)  # fmt: skip
        intakes = []
        for c in range(CENTRES):
            for k in range(INTAKES):
                a = accreditations[c * 2 + k % 2]
                starts = start + datetime.timedelta(days=rng.randrange(0, 150))
                intakes.append((len(intakes) + 1, c + 1, a[0], f"K{c:04d}-{k}", starts,
                                starts + datetime.timedelta(days=120), "verified",
                                verifier.pk, "2020-01-01T00:00:00Z", a[2]))  # fmt: skip
        copy(cursor, "skills_intake", ["id", "centre_id", "accreditation_id", "code",
                                       "starts_on", "ends_on", "state", "verifier_id",
                                       "created_at"],
             (row[:-1] for row in intakes))  # fmt: skip
        enrolments = len(intakes) * PER_INTAKE
        copy(
            cursor, "skills_trainee", ["id", "id_number", "name", "email", "created_at"],
            ((t + 1, f"{800101000000 + t:012d}", f"Pelatih {t}", "", "2020-01-01T00:00:00Z")
             for t in range(enrolments)),
        )  # fmt: skip
        copy(cursor, "skills_enrolment", ["id", "intake_id", "trainee_id", "enrolled_at"],
             ((k + 1, k // PER_INTAKE + 1, k + 1, "2020-01-01T00:00:00Z")
              for k in range(enrolments)))  # fmt: skip

        def results():
            pk = 0
            for k in range(enrolments):
                intake = intakes[k // PER_INTAKE]
                skill = 0.70 + 0.28 * ((intake[1] * 37) % 100) / 100  # each centre its own
                for u in range(4):
                    pk += 1
                    outcome = "competent" if rng.random() < skill else "not_yet"
                    yield (pk, k + 1, (intake[9] - 1) * 4 + u + 1, outcome,
                           intake[5] - datetime.timedelta(days=5), "", assessor.pk,
                           "2020-01-01T00:00:00Z")  # fmt: skip

        copy(cursor, "skills_result", ["id", "enrolment_id", "unit_id", "outcome",
                                       "assessed_on", "evidence", "assessor_id",
                                       "recorded_at"], results())  # fmt: skip
        rounds = []
        for intake in intakes:
            at = datetime.datetime.combine(intake[5], datetime.time(10), tzinfo=datetime.UTC)
            if rng.random() < 0.2:
                rounds.append((len(rounds) + 1, intake[0], verifier.pk, True,
                               "Bukti tidak lengkap" if rng.random() < 0.8 else "",
                               "returned", "Lengkapkan", at))  # fmt: skip
                at += datetime.timedelta(days=14)
            rounds.append(
                (
                    len(rounds) + 1,
                    intake[0],
                    verifier.pk,
                    True,
                    "Catatan kecil" if rng.random() < 0.2 else "",
                    "approved",
                    "",
                    at,
                )
            )
        copy(cursor, "skills_verification", ["id", "intake_id", "verifier_id", "whole_intake",
                                             "findings", "decision", "comments", "at"],
             rounds)  # fmt: skip
        cursor.execute("SET session_replication_role = origin")
        for table in ("skills_accreditation", "skills_accreditationevent", "skills_intake",
                      "skills_trainee", "skills_enrolment", "skills_result",
                      "skills_verification"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    print(f"load: {len(accreditations):,} accreditations, {len(intakes):,} intakes, "
          f"{enrolments:,} enrolments, {enrolments * 4:,} results, {len(rounds):,} "
          f"verification rounds in {time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip


def main():
    setup_django(DB)
    from django.db.models import Count
    from django.utils import timezone

    from skills.models import CentreRating, CentreRatingLine
    from skills.services.rating import rating_rebuild, scheme_default

    year = timezone.localdate().year - 1
    print(machine())
    load(year)
    scheme_default(from_year=year)
    for run in ("first", "again"):
        load_avg = os.getloadavg()[0]
        with count_queries() as queries:
            began = time.perf_counter()
            rated = rating_rebuild(year=year)
            took = time.perf_counter() - began
        print(f"rebuild {year} ({run}): {rated:,} centres rated, "
              f"{CentreRatingLine.objects.count():,} lines, {took:.2f} s, {queries[0]} queries, "
              f"load average {load_avg:.1f}", flush=True)  # fmt: skip
    spread = CentreRating.objects.filter(year=year).values_list("stars").annotate(n=Count("pk"))
    print("centres by stars:", dict(sorted(spread.order_by())))


if __name__ == "__main__":
    main()
