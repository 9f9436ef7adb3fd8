"""The centre star rating at national scale (issue 17): 1,500 centres rated in one rebuild.

Run with the project's Python on a machine with PostgreSQL:

    BENCH_PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/skills_rating.py

It recreates the database ``ssqs_sk_rating`` and bulk-loads (COPY through psycopg,
foreign-key triggers off during the load) 1,500 centres in 16 states, 50 standards of 4
CUs, two accreditations a centre (approved; one centre in twenty suspended for three
weeks of the year and reinstated, one in fifty's second accreditation expired in
mid-year), four intakes a centre starting this year with 20 trainees each (120,000
enrolments), a result per trainee and CU (480,000, about 85 % competent), one or two
verification rounds an intake (about one intake in five returned first; findings on about
a third of the rounds), 0-4 complaints a centre (about three in four closed, a third of
those upheld) and a facilities declaration a centre (11 items; four in five checked on a
visit). Then it times ``rating_rebuild`` of this year (the periodic task's body, with the
criteria of 2026 on: version 2, complaints upheld and facilities checked among them) twice
(the second replaces the first), with its queries. The shared COPY loader: skills_load.py.
"""

import datetime
import os
import random
import time

from common import count_queries, machine, setup_django
from skills_load import bulk_load, copy, registry, reset_sequences

DB = os.environ.get("SKILLS_RATING_BENCH_DB", "ssqs_sk_rating")
CENTRES = int(os.environ.get("SKILLS_RATING_CENTRES", "1500"))
STANDARDS = 50
INTAKES = 4
PER_INTAKE = 20


def load(year):
    from schools.models import State
    from skills.services.facilities import checklist_current
    from tests.factories import person

    rng = random.Random(17)
    states = [State.objects.create(code=f"S{i:02d}", name=f"Negeri {i}") for i in range(16)]
    officer = person("bench.pegawai", roles=[("certification_officer", "JPK")])
    assessor = person("bench.pp")
    verifier = person("bench.ppl")
    checklist = checklist_current()
    codes = [i["code"] for i in checklist.items]
    start = datetime.date(year, 1, 1)
    began = time.perf_counter()
    with bulk_load() as cursor:
        registry(cursor, standards=STANDARDS, centres=CENTRES, states=states)
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
        # Complaints: 0-4 a centre filed this year, about three in four closed, a third of
        # those upheld; a tenth of the closed ones closed last year (not counted).
        complaints = []
        for c in range(CENTRES):
            for _k in range(rng.randrange(0, 5)):
                pk = len(complaints) + 1
                filed = datetime.datetime(year, 1, 1, 9, tzinfo=datetime.UTC) + datetime.timedelta(
                    days=rng.randrange(0, 250)
                )
                closed = rng.random() < 0.75
                if closed and rng.random() < 0.1:
                    filed -= datetime.timedelta(days=365)
                answered = filed + datetime.timedelta(days=5)
                closed_at = filed + datetime.timedelta(days=20) if closed else None
                complaints.append((
                    pk, f"ADU-{year}-B{pk:07d}", "centre", c + 1, "Aduan", "Aduan tentang pusat",
                    "Pengadu", "", "0123456789", filed,
                    (filed + datetime.timedelta(days=14)).date(),
                    "closed" if closed else "answered", 1, answered, closed_at,
                    "Selesai" if closed else "", (rng.random() < 0.33) if closed else None, filed,
                ))  # fmt: skip
        copy(cursor, "skills_complaint",
             ["id", "reference", "category", "centre_id", "subject", "description", "name",
              "email", "phone", "filed_at", "due_on", "status", "level", "first_answered_at",
              "closed_at", "resolution", "upheld", "updated_at"], complaints)  # fmt: skip
        # Facilities: every centre declared this year (an item in ten not in place); four in
        # five checked on a visit (an item in place in twelve rejected), the rest awaiting.
        declarations, items = [], []
        declared_at = datetime.datetime(year, 3, 1, 10, tzinfo=datetime.UTC)
        for c in range(CENTRES):
            pk = len(declarations) + 1
            checked = rng.random() < 0.8
            declarations.append((
                pk, c + 1, year, checklist.pk, "checked" if checked else "declared",
                officer.pk, declared_at, datetime.date(year, 6, 1) if checked else None,
                officer.pk if checked else None, declared_at + datetime.timedelta(days=100)
                if checked else None, "",
            ))  # fmt: skip
            for order, code in enumerate(codes):
                in_place = rng.random() >= 0.1
                finding = ""
                if checked:
                    finding = ("rejected" if rng.random() < 1 / 12 else "confirmed") \
                        if in_place else "absent"  # fmt: skip
                items.append((len(items) + 1, pk, code, order, in_place,
                              "Ada" if in_place else "", finding,
                              "Tidak mencukupi" if finding == "rejected" else ""))  # fmt: skip
        copy(cursor, "skills_facilitydeclaration",
             ["id", "centre_id", "year", "checklist_id", "state", "declared_by_id",
              "declared_at", "visited_on", "checked_by_id", "checked_at", "check_note"],
             declarations)  # fmt: skip
        copy(cursor, "skills_facilityitem",
             ["id", "declaration_id", "code", '"order"', "in_place", "how", "finding",
              "finding_note"], items)  # fmt: skip
        reset_sequences(cursor, ("skills_accreditation", "skills_accreditationevent",
                                 "skills_intake", "skills_trainee", "skills_enrolment",
                                 "skills_result", "skills_verification", "skills_complaint",
                                 "skills_facilitydeclaration", "skills_facilityitem"))  # fmt: skip
    print(f"load: {len(accreditations):,} accreditations, {len(intakes):,} intakes, "
          f"{enrolments:,} enrolments, {enrolments * 4:,} results, {len(rounds):,} "
          f"verification rounds, {len(complaints):,} complaints "
          f"({sum(1 for r in complaints if r[16]):,} upheld), {len(declarations):,} facilities "
          f"declarations ({sum(1 for d in declarations if d[4] == 'checked'):,} checked, "
          f"{len(items):,} items) in {time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip


def main():
    setup_django(DB)
    from django.db.models import Count
    from django.utils import timezone

    from skills.models import CentreRating, CentreRatingLine
    from skills.services.rating import rating_rebuild, scheme_default

    # This year: the criteria of 2026 on (version 2) read complaints and facilities too.
    year = timezone.localdate().year
    print(machine())
    load(year)
    scheme_default(from_year=year - 1)
    for run in ("first", "again"):
        load_avg = os.getloadavg()[0]
        with count_queries() as queries:
            began = time.perf_counter()
            rated = rating_rebuild(year=year)
            took = time.perf_counter() - began
        lines = CentreRatingLine.objects.filter(rating__year=year).count()
        print(f"rebuild {year} ({run}): {rated:,} centres rated, "
              f"{lines:,} lines, {took:.2f} s, {queries[0]} queries, "
              f"load average {load_avg:.1f}", flush=True)  # fmt: skip
    spread = CentreRating.objects.filter(year=year).values_list("stars").annotate(n=Count("pk"))
    print("centres by stars:", dict(sorted(spread.order_by())))


if __name__ == "__main__":
    main()
