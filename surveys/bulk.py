"""The national recompute: points added up in PostgreSQL, the rule applied in Python.

``rating_recompute`` reads one school's answers into Python. For a whole
cycle (about eleven million answers) that would move every answer out of the
database, so here PostgreSQL turns each answer into points with lookup
tables made from the instrument, and sums them per school, respondent
category and domain in one pass. Python then applies the rest of the rule
(``scoring.result_from_shares``) school by school, so both paths share one
definition of the score. ``tests/surveys/test_bulk.py`` checks that both give
the same ratings, breakdowns included, on varied answers.

PostgreSQL only: elsewhere (the SQLite first look) ``cycle_recompute`` goes
school by school.
"""

from django.db import connection

from .instrument import InstrumentSpec

# One row per answer of a completed respondent to a scored question asked of
# their category; the points it earns follow Question.points exactly:
#   single/yesno: the chosen option's points (a string naming an option),
#   multiple:     the sum over the options chosen, within 0..maximum,
#   number:       the points of the highest threshold reached (thresholds are
#                 sorted, so width_bucket counts the ones reached),
# and anything else (blank, unknown option, not a number) earns 0.
# A multiple choice adds one term per option position ({chosen}, as many as
# the longest option list) rather than a subquery, which would keep the
# whole sum out of the parallel workers.
# The question table joins on the question alone so that PostgreSQL hashes
# the respondents (~600,000) and not respondents x questions.
EARNED_SQL = """
SELECT r.school_id, r.category, q.domain, SUM(
  CASE q.kind
    WHEN 'choice' THEN CASE WHEN jsonb_typeof(a.value) = 'string'
      THEN COALESCE(q.points[array_position(q.options, a.value #>> '{}')], 0)
      ELSE 0 END
    WHEN 'multiple' THEN CASE WHEN jsonb_typeof(a.value) IN ('array', 'string')
      THEN LEAST(q.maximum, GREATEST(0, {chosen}))
      ELSE 0 END
    WHEN 'number' THEN CASE
      WHEN jsonb_typeof(a.value) IN ('string', 'number')
       AND a.value #>> '{}' ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'
      THEN GREATEST(0, COALESCE(
        q.points[width_bucket((a.value #>> '{}')::numeric, q.thresholds)], 0))
      ELSE 0 END
    ELSE 0
  END)
FROM surveys_answer a
JOIN surveys_respondent r ON r.id = a.respondent_id
JOIN (VALUES {questions})
     AS q(code, kind, maximum, domain, categories, options, points, thresholds)
  ON q.code = a.question
WHERE r.cycle_id = %s AND r.completed_at IS NOT NULL AND r.category = ANY(q.categories)
  {schools}
GROUP BY r.school_id, r.category, q.domain
"""
QUESTION_ROW = "(%s, %s, %s::int, %s, %s::text[], %s::text[], %s::int[], %s::numeric[])"

COUNTS_SQL = """
SELECT school_id, category, COUNT(*), COUNT(completed_at)
FROM surveys_respondent
WHERE cycle_id = %s {schools}
GROUP BY school_id, category
"""


def question_rows(spec: InstrumentSpec) -> list[tuple]:
    """Return one row per scored question: what turns its answers into points (pure).

    (code, kind, maximum, domain, categories, options, points, thresholds);
    choice points below 0 are raised to 0 as Question.points does.
    """
    rows = []
    for question in spec.questions:
        if not spec.is_scored(question):
            continue
        options = [o.value for o in question.options]
        if question.type == "multiple":
            kind, points, thresholds = "multiple", [o.points for o in question.options], []
        elif question.type in ("single", "yesno"):
            kind, points, thresholds = "choice", [max(0, o.points) for o in question.options], []
        else:
            kind, options = "number", []
            thresholds = [at_least for at_least, _points in question.thresholds]
            points = [pts for _at_least, pts in question.thresholds]
        rows.append(
            (
                question.code,
                kind,
                question.maximum,
                question.domain,
                list(question.categories),
                options,
                points,
                thresholds,
            )
        )
    return rows


def possible_per_respondent(spec: InstrumentSpec) -> dict:
    """Return category -> domain -> the points one completed respondent could earn (pure)."""
    possible = {}
    for question in spec.questions:
        if not spec.is_scored(question):
            continue
        for category in question.categories:
            by_domain = possible.setdefault(category, {})
            by_domain[question.domain] = by_domain.get(question.domain, 0) + question.maximum
    return possible


def tallies(cycle_id: int, spec: InstrumentSpec, school_ids=None):
    """Return (earned, counts) for a cycle, every school or only ``school_ids``.

    earned: {(school_id, category, domain): points}; counts: {school_id:
    {category: (respondents, completed)}}.
    """
    rows = question_rows(spec)
    schools, school_params = "", []
    if school_ids is not None:
        schools, school_params = "AND r.school_id = ANY(%s)", [list(school_ids)]
    earned = {}
    counts = {}
    if not rows:
        return earned, counts
    longest = max((len(row[5]) for row in rows if row[1] == "multiple"), default=1)
    chosen = " + ".join(
        f"CASE WHEN a.value ? q.options[{i}] THEN q.points[{i}] ELSE 0 END"
        for i in range(1, longest + 1)
    )
    sql = EARNED_SQL.replace("{questions}", ", ".join([QUESTION_ROW] * len(rows)))
    sql = sql.replace("{chosen}", chosen)
    params = [value for row in rows for value in row] + [cycle_id] + school_params
    with connection.cursor() as cursor:
        # The sums per school, category and domain (~150,000 for the nation)
        # fit in memory with this much, instead of spilling to disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql.replace("{schools}", schools), params)
        for school_id, category, domain, points in cursor.fetchall():
            earned[school_id, category, domain] = int(points)
        cursor.execute(
            COUNTS_SQL.replace("{schools}", schools.replace("r.school_id", "school_id")),
            [cycle_id] + school_params,
        )
        for school_id, category, total, completed in cursor.fetchall():
            counts.setdefault(school_id, {})[category] = (total, completed)
    return earned, counts
