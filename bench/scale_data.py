"""Build a national SSQS cycle at full scale: the data the national benchmarks run on.

    .venv/bin/python bench/scale_data.py [--seed 2026] [--db ssqs_bench_national]
                                         [--required-only]

What it builds, in a fresh PostgreSQL database:
- the real 10,239 schools from ../shared/data/schools/ (import_schools);
- the 2026 cycle with every roster (open_cycle). Small schools (SKM) are
  required to have 1+1+6+6 respondents and may add teachers and pupils;
  by default they add them up to the full 1+1+30+30, so every school has
  62 and the nation 634,818 respondents, the issue's "about 635,000"
  (``--required-only`` keeps the 483,186 the rules require);
- every respondent complete, with an answer to each question asked of
  them (optional ones 90 % of the time), about 11 million answers, and each
  school's profile facts. Answers are valid as the form would store them and
  varied: each school has a quality drawn from a beta distribution, each
  respondent strays from it, so the ratings spread over all five bands.

Reproducible from the seed: a value depends only on the seed, the school
code, the respondent's category and number and the question, so two builds
with one seed give the same ratings (the script prints a fingerprint).
Tags are random, as in production; nothing depends on them.

The answers are written with COPY, with the table's indexes dropped during
the load and rebuilt after, and the foreign-key triggers off (superuser).
Answers carry the points the form's save would store with them. Takes
about five minutes on 2 cores.
"""

import argparse
import datetime
import json
import random
import time

from common import SCHOOL_LIST, machine, setup_django

TEXTS = [
    "Perlukan latihan tambahan untuk guru baharu.",
    "Talian internet perlahan pada waktu puncak.",
    "Makmal komputer digunakan setiap hari.",
    "Murid gemar aktiviti pengaturcaraan.",
    "Peranti perlu diganti dalam masa terdekat.",
]


def school_quality(seed, code):
    return 0.04 + 0.94 * random.Random(f"{seed}:{code}").betavariate(2.2, 1.8)


def answer(question, rng, quality):
    """Return a value for ``question`` as the form stores it, or None to leave it blank."""
    if not question.mandatory and rng.random() < 0.1:
        return None
    if question.type == "yesno":
        best = max(question.options, key=lambda o: o.points)
        others = [o for o in question.options if o is not best]
        return best.value if rng.random() < quality or not others else rng.choice(others).value
    if question.type == "single":
        options = sorted(question.options, key=lambda o: o.points)
        index = round(quality * (len(options) - 1) + rng.gauss(0, 0.8))
        return options[max(0, min(len(options) - 1, index))].value
    if question.type == "multiple":
        chosen = [o.value for o in question.options if o.points > 0 and rng.random() < quality]
        if not chosen:
            nothing = [o.value for o in question.options if o.points <= 0]
            chosen = nothing[:1] or [question.options[0].value]
        return chosen
    if question.type == "number":
        top = float(max((at for at, _points in question.thresholds), default=50))
        value = quality * 1.3 * top * rng.uniform(0.6, 1.2)
        low = float(question.min) if question.min is not None else 0
        high = float(question.max) if question.max is not None else value
        return str(int(max(low, min(high, value))))
    return rng.choice(TEXTS)


def copy_answers(cursor, cycle, spec, seed, now):
    """Write every respondent's answers with COPY; return how many."""
    from surveys.bulk import answer_points

    asked = {
        category: [q for q in spec.questions if category in q.categories]
        for category in ("administrator", "coordinator", "teacher", "pupil")
    }
    cursor.execute(
        "SELECT r.id, s.code, r.category, r.number FROM surveys_respondent r "
        "JOIN schools_school s ON s.id = r.school_id WHERE r.cycle_id = %s ORDER BY r.id",
        [cycle.pk],
    )
    respondents = cursor.fetchall()
    stamp = now.isoformat()
    count = 0
    qualities = {}
    with cursor.copy(
        "COPY surveys_answer (respondent_id, question, value, points, updated_at) FROM STDIN"
    ) as copy:
        lines = []
        for respondent_id, code, category, number in respondents:
            if code not in qualities:
                qualities[code] = school_quality(seed, code)
            rng = random.Random(f"{seed}:{code}:{category}:{number}")
            quality = max(0.0, min(1.0, qualities[code] + rng.gauss(0, 0.12)))
            for question in asked[category]:
                value = answer(question, rng, quality)
                if value is None:
                    continue
                text = json.dumps(value, ensure_ascii=False).replace("\\", "\\\\")
                # The points the form's save stores with the value (the same function).
                points = answer_points(spec, category, question.code, value)
                points = "\\N" if points is None else points
                lines.append(f"{respondent_id}\t{question.code}\t{text}\t{points}\t{stamp}\n")
            if len(lines) > 50_000:
                count += len(lines)
                copy.write("".join(lines))
                lines = []
        count += len(lines)
        copy.write("".join(lines))
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default="ssqs_bench_national")
    parser.add_argument("--required-only", action="store_true")
    args = parser.parse_args()
    setup_django(args.db)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from schools.models import School
    from ssqs_portal.db import analyze_after_bulk_load
    from surveys import rules
    from surveys.models import Answer, ProfileAnswer, Respondent
    from surveys.rosters import cycle_open

    print("machine:", machine())
    started = time.perf_counter()
    call_command("import_schools", SCHOOL_LIST, initial_password="Bench-12345", verbosity=0)
    today = datetime.date.today()
    cycle = cycle_open(
        year=2026,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    spec = cycle.instrument.spec
    print(f"schools and rosters: {time.perf_counter() - started:.1f} s", flush=True)

    if not args.required_only:
        full = rules.required_respondents(False)
        tags = {}
        for school_id, tag in Respondent.objects.filter(
            cycle=cycle, school__is_skm=True
        ).values_list("school_id", "tag"):
            tags.setdefault(school_id, set()).add(tag)
        extra = []
        for school_id, is_skm in School.objects.filter(is_skm=True).values_list("pk", "is_skm"):
            have = rules.required_respondents(is_skm)
            adding = {c: full[c] - have[c] for c in full if full[c] > have[c]}
            fresh = iter(rules.new_tags(sum(adding.values()), tags.get(school_id, ())))
            for category, count in adding.items():
                for number in range(have[category] + 1, have[category] + count + 1):
                    extra.append(
                        Respondent(
                            cycle=cycle,
                            school_id=school_id,
                            category=category,
                            number=number,
                            tag=next(fresh),
                            is_extra=True,
                        )
                    )
        Respondent.objects.bulk_create(extra, batch_size=10_000)
        print(f"small schools' added respondents: {len(extra):,}", flush=True)

    now = timezone.now()
    load = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'surveys_answer' "
            "AND indexname NOT LIKE '%%pkey' AND indexname <> 'answer_unique_per_question'"
        )
        other_indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute("ALTER TABLE surveys_answer DROP CONSTRAINT answer_unique_per_question")
        for definition in other_indexes:
            name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        answers = copy_answers(cursor, cycle, spec, args.seed, now)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        print(f"answers copied: {answers:,} in {time.perf_counter() - load:.1f} s", flush=True)
        cursor.execute(
            "ALTER TABLE surveys_answer ADD CONSTRAINT answer_unique_per_question "
            "UNIQUE (respondent_id, question)"
        )
        for definition in other_indexes:
            cursor.execute(definition)
        # The foreign key was not checked row by row; check it once.
        cursor.execute(
            "SELECT COUNT(*) FROM surveys_answer a LEFT JOIN surveys_respondent r "
            "ON r.id = a.respondent_id WHERE r.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0
        for category in ("administrator", "coordinator", "teacher", "pupil"):
            domains = [d.code for d in spec.domains_for(category)]
            cursor.execute(
                "UPDATE surveys_respondent SET started_at = %s, completed_at = %s, "
                "completed_domains = %s::jsonb WHERE cycle_id = %s AND category = %s",
                [now, now, json.dumps(domains), cycle.pk, category],
            )
    print(f"answers with indexes, respondents complete: {time.perf_counter() - load:.1f} s")

    profile = []
    for school_id, code in School.objects.values_list("pk", "code"):
        rng = random.Random(f"{args.seed}:{code}:profile")
        quality = school_quality(args.seed, code)
        for domain in spec.profile_domains:
            for question in spec.questions_in(domain.code):
                value = answer(question, rng, quality)
                if value is not None:
                    profile.append(
                        ProfileAnswer(
                            cycle=cycle, school_id=school_id, question=question.code, value=value
                        )
                    )
    ProfileAnswer.objects.bulk_create(profile, batch_size=10_000)
    analyze_after_bulk_load(Respondent, Answer, ProfileAnswer, rows=answers)
    # What autovacuum does on its own a while after such a load: set the hint
    # bits and the visibility map, so the benchmarks that follow do not pay
    # for the load's clean-up in their first runs (the floor read 4.4 s before
    # this and 3.0 s after, on 2 cores).
    vacuum_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) surveys_answer, surveys_respondent")
    print(f"vacuumed in {time.perf_counter() - vacuum_started:.1f} s")
    print(
        f"built: {School.objects.count():,} schools, "
        f"{Respondent.objects.filter(cycle=cycle).count():,} respondents, "
        f"{answers:,} answers, {len(profile):,} profile answers "
        f"in {time.perf_counter() - started:.0f} s (seed {args.seed}, database {args.db})"
    )


if __name__ == "__main__":
    main()
