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

import json

from django.db import connection

from .instrument import InstrumentSpec

# One row per answer of a completed respondent to a scored question asked of
# their category; the points it earns follow Question.points exactly:
#   single/yesno: the chosen option's points (a string naming an option),
#   multiple:     the sum over distinct chosen options, within 0..maximum,
#   number:       the points of the highest threshold reached,
# and anything else (blank, unknown option, not a number) earns 0.
EARNED_SQL = """
SELECT r.school_id, r.category, q.domain, SUM(
  CASE q.kind
    WHEN 'choice' THEN CASE WHEN jsonb_typeof(a.value) = 'string'
      THEN COALESCE((%(points)s::jsonb -> a.question ->> (a.value #>> '{}'))::int, 0)
      ELSE 0 END
    WHEN 'multiple' THEN LEAST(q.maximum, GREATEST(0, COALESCE((
      SELECT SUM((%(points)s::jsonb -> a.question ->> chosen)::int)
      FROM (
        SELECT DISTINCT e #>> '{}' AS chosen
        FROM jsonb_array_elements(CASE jsonb_typeof(a.value)
          WHEN 'array' THEN a.value WHEN 'string' THEN jsonb_build_array(a.value)
          ELSE '[]'::jsonb END) AS e
        WHERE jsonb_typeof(e) = 'string'
      ) AS options), 0)))
    WHEN 'number' THEN CASE
      WHEN jsonb_typeof(a.value) IN ('string', 'number')
       AND a.value #>> '{}' ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'
      THEN GREATEST(0, COALESCE((
        SELECT (t ->> 1)::int
        FROM jsonb_array_elements(%(thresholds)s::jsonb -> a.question)
             WITH ORDINALITY AS th(t, position)
        WHERE (t ->> 0)::numeric <= (a.value #>> '{}')::numeric
        ORDER BY (t ->> 0)::numeric DESC, position DESC
        LIMIT 1), 0))
      ELSE 0 END
    ELSE 0
  END)
FROM surveys_answer a
JOIN surveys_respondent r ON r.id = a.respondent_id
JOIN (SELECT * FROM unnest(%(codes)s::text[], %(categories)s::text[], %(kinds)s::text[],
                           %(maxima)s::int[], %(domains)s::text[]))
     AS q(code, category, kind, maximum, domain)
  ON q.code = a.question AND q.category = r.category
WHERE r.cycle_id = %(cycle)s AND r.completed_at IS NOT NULL {schools}
GROUP BY r.school_id, r.category, q.domain
"""

COUNTS_SQL = """
SELECT school_id, category, COUNT(*), COUNT(completed_at)
FROM surveys_respondent
WHERE cycle_id = %(cycle)s {schools}
GROUP BY school_id, category
"""


def lookup_tables(spec: InstrumentSpec) -> dict:
    """Return the query parameters that turn answers into points (pure)."""
    points, thresholds = {}, {}
    rows = {"codes": [], "categories": [], "kinds": [], "maxima": [], "domains": []}
    for question in spec.questions:
        if not spec.is_scored(question):
            continue
        if question.type in ("single", "yesno", "multiple"):
            # A chosen option's points; single choices never earn below 0.
            points[question.code] = {
                o.value: o.points if question.type == "multiple" else max(0, o.points)
                for o in question.options
            }
            kind = "multiple" if question.type == "multiple" else "choice"
        else:
            thresholds[question.code] = [[str(at), pts] for at, pts in question.thresholds]
            kind = "number"
        for category in question.categories:
            rows["codes"].append(question.code)
            rows["categories"].append(category)
            rows["kinds"].append(kind)
            rows["maxima"].append(question.maximum)
            rows["domains"].append(question.domain)
    return {"points": json.dumps(points), "thresholds": json.dumps(thresholds), **rows}


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
    params = {"cycle": cycle_id, **lookup_tables(spec)}
    schools = ""
    if school_ids is not None:
        params["school_ids"] = list(school_ids)
        schools = "AND r.school_id = ANY(%(school_ids)s)"
    earned = {}
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(EARNED_SQL.replace("{schools}", schools), params)
        for school_id, category, domain, points in cursor.fetchall():
            earned[school_id, category, domain] = int(points)
        cursor.execute(
            COUNTS_SQL.replace("{schools}", schools.replace("r.school_id", "school_id")), params
        )
        for school_id, category, total, completed in cursor.fetchall():
            counts.setdefault(school_id, {})[category] = (total, completed)
    return earned, counts
