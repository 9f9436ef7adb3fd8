"""The national recompute: points stored with each answer, added up in PostgreSQL.

Every answer carries the points its value earns (``Answer.points``): the
form's save writes them with the value (``answer_points``, the instrument's
own ``Question.points``), and ``points_refresh`` re-derives them all in SQL
whenever an instrument is reloaded (or ``recompute_ratings --rescore``).
A whole cycle's recompute then adds the stored points up per school,
respondent category and domain in one plain GROUP BY (``tallies``), and
Python applies the rest of the rule (``scoring.result_from_shares``) school
by school, so every path shares one definition of the score.
``tests/surveys/test_bulk.py`` checks that the SQL re-derivation, the points
the form stores and the one-school recompute (which scores the values in
Python) all agree, breakdowns included, on varied and malformed answers.

``tallies`` and the SQL refresh are PostgreSQL only: elsewhere (the SQLite
first look) ``cycle_recompute`` goes school by school and ``points_refresh``
scores in Python.
"""

from django.db import connection, models

from .instrument import InstrumentSpec

# The points one answer earns, following Question.points exactly:
#   single/yesno: the chosen option's points (a string naming an option),
#   multiple:     the sum over the options chosen, within 0..maximum,
#   number:       the points of the highest threshold reached (thresholds are
#                 sorted, so width_bucket counts the ones reached),
# and anything else (blank, unknown option, not a number) earns 0; NULL where
# the question is not scored or not asked of the respondent's category.
# A multiple choice adds one term per option position ({chosen}, as many as
# the longest option list) rather than a subquery.
POINTS_EXPR = """
  CASE WHEN q.code IS NULL THEN NULL ELSE CASE q.kind
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
  END END
"""

# Re-derive every answer's points in a cycle (or some schools), writing only
# the rows whose points change, so a reload that changes nothing writes nothing.
REFRESH_SQL = """
UPDATE surveys_answer AS target SET points = derived.points
FROM (
  SELECT a.id, {points} AS points
  FROM surveys_answer a
  JOIN surveys_respondent r ON r.id = a.respondent_id
  LEFT JOIN (VALUES {questions})
       AS q(code, kind, maximum, domain, categories, options, points, thresholds)
    ON q.code = a.question AND r.category = ANY(q.categories)
  WHERE r.cycle_id = %s {schools}
) AS derived
WHERE target.id = derived.id AND target.points IS DISTINCT FROM derived.points
"""

# The national tally: the stored points of completed respondents' answers,
# summed per school and category with one FILTERed sum per domain. Grouping
# by (school, category) alone, as the floor does, lets PostgreSQL aggregate in
# its parallel workers; a third key from the question table would make it
# expect millions of groups (it takes the table's rows for distinct domains)
# and sort on disk instead. The question table (code -> domain number) joins
# on the question alone, so it is hashed once.
EARNED_SQL = """
SELECT r.school_id, r.category, {sums}
FROM surveys_answer a
JOIN surveys_respondent r ON r.id = a.respondent_id
JOIN (VALUES {questions}) AS q(code, d) ON q.code = a.question
WHERE r.cycle_id = %s AND r.completed_at IS NOT NULL AND a.points IS NOT NULL
  {schools}
GROUP BY r.school_id, r.category
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


def answer_points(spec: InstrumentSpec, category: str, code: str, value):
    """Return the points ``value`` earns for a respondent of ``category`` (pure).

    None where the question is unknown, not scored, or not asked of that
    category: such an answer adds nothing anywhere.
    """
    question = spec.question(code)
    if question is None or category not in question.categories or not spec.is_scored(question):
        return None
    return question.points(value)


def _schools_filter(school_ids, column="r.school_id"):
    if school_ids is None:
        return "", []
    return f"AND {column} = ANY(%s)", [list(school_ids)]


def points_refresh(cycle_id: int, spec: InstrumentSpec, school_ids=None) -> int:
    """Re-derive the stored points of a cycle's answers from their values; return how many changed.

    Run when the cycle's instrument is reloaded (a question's options or
    thresholds may have changed) and by ``recompute_ratings --rescore``.
    Idempotent: a second run changes nothing.
    """
    if connection.vendor != "postgresql":
        return _points_refresh_python(cycle_id, spec, school_ids)
    rows = question_rows(spec)
    schools, school_params = _schools_filter(school_ids)
    longest = max((len(row[5]) for row in rows if row[1] == "multiple"), default=1)
    chosen = " + ".join(
        f"CASE WHEN a.value ? q.options[{i}] THEN q.points[{i}] ELSE 0 END"
        for i in range(1, longest + 1)
    )
    points = POINTS_EXPR.replace("{chosen}", chosen)
    if rows:
        questions = ", ".join([QUESTION_ROW] * len(rows))
    else:  # nothing is scored: every answer's points become NULL
        questions = QUESTION_ROW.replace("%s", "NULL")
    sql = REFRESH_SQL.replace("{points}", points).replace("{questions}", questions)
    params = [value for row in rows for value in row] + [cycle_id] + school_params
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{schools}", schools), params)
        return cursor.rowcount


def _points_refresh_python(cycle_id, spec, school_ids) -> int:
    from .models import Answer

    answers = Answer.objects.filter(respondent__cycle_id=cycle_id)
    if school_ids is not None:
        answers = answers.filter(respondent__school_id__in=list(school_ids))
    changed = []
    for answer in (
        answers.select_related(None)
        .only("id", "question", "value", "points")
        .annotate(category=models.F("respondent__category"))
        .iterator(chunk_size=5000)
    ):
        points = answer_points(spec, answer.category, answer.question, answer.value)
        if points != answer.points:
            answer.points = points
            changed.append(answer)
    Answer.objects.bulk_update(changed, ["points"], batch_size=2000)
    return len(changed)


def tallies(cycle_id: int, spec: InstrumentSpec, school_ids=None):
    """Return (domains, earned, counts) for a cycle, every school or only ``school_ids``.

    domains: the scored domains' codes, in the order of the sums below;
    earned: {school_id: {category: (points earned in each domain, or None
    where no answer counted)}}; counts: {school_id: {category: (respondents,
    completed)}}. Reads the stored points, so it assumes they follow the
    instrument (``points_refresh``).
    """
    scored = [q for q in spec.questions if spec.is_scored(q)]
    domains = sorted({q.domain for q in scored})
    schools, school_params = _schools_filter(school_ids)
    earned = {}
    counts = {}
    if not scored:
        return domains, earned, counts
    sums = ", ".join(f"SUM(a.points) FILTER (WHERE q.d = {i})" for i in range(len(domains)))
    sql = EARNED_SQL.replace("{questions}", ", ".join(["(%s, %s::int)"] * len(scored)))
    sql = sql.replace("{sums}", sums)
    params = [v for q in scored for v in (q.code, domains.index(q.domain))]
    params += [cycle_id] + school_params
    with connection.cursor() as cursor:
        # Room for the ~40,000 groups in memory; and no JIT, whose compilation
        # costs more than it saves on a query that runs this rarely.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql.replace("{schools}", schools), params)
        for school_id, category, *points in cursor.fetchall():
            earned.setdefault(school_id, {})[category] = points
        cursor.execute(
            COUNTS_SQL.replace("{schools}", schools.replace("r.school_id", "school_id")),
            [cycle_id] + school_params,
        )
        for school_id, category, total, completed in cursor.fetchall():
            counts.setdefault(school_id, {})[category] = (total, completed)
    return domains, earned, counts
