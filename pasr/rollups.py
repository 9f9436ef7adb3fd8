"""PASR roll-ups: each school's summary, and every district, state and the nation's figures.

Built on the roll-up kit (``core.rollups``): the per-school ``SchoolYear``
summaries (``figures``: candidates by status, construct results given,
moderated and verified, verified levels per construct, QA visits) rolled up
by ``group_by_node`` into ``PasrRollUp`` rows keyed by the assessment year.

Each construct result is counted once, at the school that gave it (its
latest rating's ``school``): a candidate transferred after ProKhas 1 leaves
those results with the old school and sits ProKhas 2 at the new one.
Withdrawn candidates are left out of every figure but their status count.
Only verified results count in the levels (domain.md 2: final once verified).
"""

import json
import logging

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, Q, Sum

from core.rollups.debounce import Debounce
from core.rollups.store import node_rows, rollups_store
from schools.models import School
from ssqs_portal.db import copy_update
from ssqs_portal.hierarchy import NATIONAL_CODE

from . import rules
from .instrument import instrument
from .models import Absence, Candidate, PasrRollUp, QaVisit, Rating, SchoolYear
from .selectors.results import ACTIVE

logger = logging.getLogger(__name__)

ROLLUPS_SOON = Debounce(
    "pasr:rollups-pending",
    30,
    "PASR roll-ups of %s",
    "the hourly rebuild_all_pasr rebuilds them",
)
COUNTS = ("expected", "rated", "moderated", "verified")
COUNTED = (rules.MODERATED, rules.VERIFIED)  # stages that count as moderated


def rollups_enqueue(*, year: int) -> None:
    """Announce the year's roll-ups: rebuilt once this commits, debounced (core.rollups)."""
    from .tasks import rebuild_pasr_rollups

    ROLLUPS_SOON.announce(rebuild_pasr_rollups, year)


# -- each school's summary -------------------------------------------------------------


def empty_figures() -> dict:
    codes = [c.code for c in instrument().constructs]
    return {
        "by_status": dict.fromkeys(rules.STATUSES, 0),
        **dict.fromkeys(COUNTS, 0),
        "levels": {code: dict.fromkeys(rules.LEVELS, 0) for code in codes},
        "qa": dict.fromkeys(rules.QA_KINDS, 0),
    }


def _latest(candidate_ids):
    """Yield (candidate id, construct, stage, level, school id) of each construct's latest rating.

    The rows come ordered (as ``Rating.Meta.ordering``) and the last one wins.
    """
    fields = ("candidate_id", "construct", "stage", "level", "school_id")
    latest = {}
    rows = Rating.objects.filter(candidate_id__in=list(candidate_ids))
    for row in rows.order_by("candidate_id", "construct", "at", "pk").values_list(*fields):
        latest[row[:2]] = row
    yield from latest.values()


def _results(latest, where: dict):
    """Yield ``school_figures``' results from latest ratings (withdrawn candidates left out).

    ``where``: candidate id -> (school id now, status).
    """
    for candidate_id, code, stage, level, given_at in latest:
        here, status = where.get(candidate_id, (None, rules.WITHDRAWN))
        if status != rules.WITHDRAWN:
            moved = candidate_id if given_at != here else None
            yield moved, code, stage, level, given_at, here, 1


# PostgreSQL: the latest rating of every construct of a year, counted by where it was
# given, construct, stage and level in the database (a candidate id only for a result
# given at another school than the candidate's now: transfers, a handful). Sorting on
# the construct's bytes ("C") and in memory keeps 480,000 ratings near a second.
RESULTS_SQL = """
SELECT CASE WHEN l.school_id <> c.school_id THEN l.candidate_id END,
       l.construct, l.stage, l.level, l.school_id, c.school_id, count(*)
FROM (
    SELECT DISTINCT ON (r.candidate_id, r.construct COLLATE "C")
           r.candidate_id, r.construct, r.stage, r.level, r.school_id
    FROM pasr_rating r JOIN pasr_candidate c ON c.id = r.candidate_id
    WHERE c.year = %s
    ORDER BY r.candidate_id, r.construct COLLATE "C", r.at DESC, r.id DESC
) l JOIN pasr_candidate c ON c.id = l.candidate_id
WHERE c.status <> %s
GROUP BY 1, 2, 3, 4, 5, 6
"""


def _year_results(year: int, where: dict):
    """The ``school_figures`` results of every candidate of ``year``."""
    if connection.vendor != "postgresql":
        return list(_results(_latest(where), where))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute(RESULTS_SQL, [year, rules.WITHDRAWN])
        return cursor.fetchall()


def school_figures(*, candidates, results, absent, qa) -> dict:
    """Return {school id: figures} from plain rows. Pure: no query.

    ``candidates``: (id, school id now, status); ``results``: (candidate id
    if given at another school than the candidate's now else None, construct,
    stage, level, school id where given, school id now, how many), withdrawn
    candidates left out; ``absent``: {(candidate id, instrument)}; ``qa``:
    (school id, kind, visits).
    """
    by_instrument = {}
    for construct in instrument().constructs:
        by_instrument.setdefault(construct.instrument, []).append(construct.code)
    figures = {}

    def of(school_id):
        if school_id not in figures:
            figures[school_id] = empty_figures()
        return figures[school_id]

    given_elsewhere = set()
    for moved, code, stage, level, given_at, _here, n in results:
        school = of(given_at)
        if moved is not None:
            given_elsewhere.add((moved, code))
            school["expected"] += n  # given here for a candidate now elsewhere
        school["rated"] += n
        if stage in COUNTED:
            school["moderated"] += n
        if stage == rules.VERIFIED:
            school["verified"] += n
            if code in school["levels"] and level in rules.LEVELS:
                school["levels"][code][level] += n
    for pk, school_id, status in candidates:
        school = of(school_id)
        school["by_status"][status] = school["by_status"].get(status, 0) + 1
        if status not in ACTIVE:
            continue
        for code_of_instrument, codes in by_instrument.items():
            if (pk, code_of_instrument) in absent:
                continue
            school["expected"] += sum(1 for code in codes if (pk, code) not in given_elsewhere)
    for school_id, kind, visits in qa:
        if kind in rules.QA_KINDS:
            of(school_id)["qa"][kind] = visits
    return figures


def _candidates_sitting(figures: dict) -> int:
    return sum(figures["by_status"].get(status, 0) for status in ACTIVE)


def _school_year_row(school: School, year: int) -> SchoolYear:
    found, _created = SchoolYear.objects.get_or_create(
        school=school,
        year=year,
        defaults={"district_id": school.district_id, "state_id": school.district.state_id},
    )
    return found


def school_summary_refresh(*, school_id: int, year: int) -> SchoolYear:
    """Recompute the school's summary of ``year`` (creating its row if missing); roll up soon.

    Called inside the transaction of the service that changed the school's
    data (``pasr.events.SCHOOL_CHANGED``), so the summary commits with it.
    """
    school = School.objects.select_related("district").get(pk=school_id)
    school_year = _school_year_row(school, year)
    # Its candidates, and those it rated who moved elsewhere since (two indexed reads).
    here = Candidate.objects.filter(year=year, school_id=school_id).values_list("pk", flat=True)
    rated = Rating.objects.filter(school_id=school_id, candidate__year=year).values_list(
        "candidate_id", flat=True
    )
    ids = set(here) | set(rated.distinct())
    candidates = list(Candidate.objects.filter(pk__in=ids).values_list("pk", "school_id", "status"))
    where = {pk: (school, status) for pk, school, status in candidates}
    found = school_figures(
        candidates=[row for row in candidates if row[1] == school_id],
        results=_results(_latest(ids), where),
        absent=set(
            Absence.objects.filter(candidate_id__in=ids).values_list("candidate_id", "instrument")
        ),
        qa=_qa_counts(year, school_id=school_id),
    )
    figures = found.get(school_id, empty_figures())
    SchoolYear.objects.filter(pk=school_year.pk).update(
        figures=figures, candidates=_candidates_sitting(figures)
    )
    school_year.figures, school_year.candidates = figures, _candidates_sitting(figures)
    rollups_enqueue(year=year)
    return school_year


def _qa_counts(year, school_id=None):
    rows = QaVisit.objects.filter(year=year)
    if school_id is not None:
        rows = rows.filter(school_id=school_id)
    return list(rows.values_list("school_id", "kind").annotate(n=Count("id")).order_by())


def school_changed(school_id: int, year: int) -> None:
    """``pasr.events.SCHOOL_CHANGED`` listener: refresh the summary, roll up after commit."""
    school_summary_refresh(school_id=school_id, year=year)


def review_changed(subject, act) -> None:
    """After an act on a school's results (core.review, programme "pasr"): refresh its summary."""
    with transaction.atomic():
        school_summary_refresh(school_id=subject.school_id, year=subject.year)


@transaction.atomic
def summaries_rebuild(*, year: int) -> int:
    """Recompute every school's summary of ``year``. Idempotent.

    Every school with a PPKI programme gets its row (it runs PASR), as does
    every school with candidates, results or visits. A handful of queries,
    whatever the number of schools.
    """
    candidates = list(Candidate.objects.filter(year=year).values_list("pk", "school_id", "status"))
    where = {pk: (school, status) for pk, school, status in candidates}
    found = school_figures(
        candidates=candidates,
        results=_year_results(year, where),
        absent=set(
            Absence.objects.filter(candidate__year=year).values_list("candidate_id", "instrument")
        ),
        qa=_qa_counts(year),
    )
    wanted = set(found) | set(School.objects.filter(has_ppki=True).values_list("pk", flat=True))
    existing = dict(SchoolYear.objects.filter(year=year).values_list("school_id", "pk"))
    missing = wanted - set(existing)
    if missing:
        SchoolYear.objects.bulk_create(
            [
                SchoolYear(school_id=pk, year=year, district_id=district, state_id=state)
                for pk, district, state in School.objects.filter(pk__in=missing).values_list(
                    "pk", "district_id", "district__state_id"
                )
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        existing = dict(SchoolYear.objects.filter(year=year).values_list("school_id", "pk"))
    rows = []
    for school_id, pk in existing.items():
        figures = found.get(school_id) or empty_figures()
        rows.append((pk, figures, _candidates_sitting(figures)))
    if connection.vendor == "postgresql":
        copy_update(SchoolYear, ["id"], ["figures", "candidates"],
                    [(pk, json.dumps(figures), n) for pk, figures, n in rows])  # fmt: skip
    else:
        SchoolYear.objects.bulk_update(
            [SchoolYear(pk=pk, figures=figures, candidates=n) for pk, figures, n in rows],
            ["figures", "candidates"],
            batch_size=1000,
        )
    return len(rows)


# -- the roll-ups --------------------------------------------------------------------------


def running_pasr():
    """The school years that count as running PASR: PPKI, partial inclusive, or candidates."""
    return Q(school__has_ppki=True) | Q(partial_inclusive=True) | Q(candidates__gt=0)


def _add(total: dict, figures: dict) -> None:
    """Add one summary's figures (or a node's totals) into a node's totals."""
    for name in (*COUNTS, "behind"):
        total[name] += figures.get(name) or 0
    for group in ("by_status", "qa"):
        into = total[group]
        for key, n in (figures.get(group) or {}).items():
            into[key] = into.get(key, 0) + n
    levels = total["levels"]
    for code, counts in (figures.get("levels") or {}).items():
        into = levels.setdefault(code, dict.fromkeys(rules.LEVELS, 0))
        for level, n in counts.items():
            into[level] = into.get(level, 0) + n


def _node_figures(schools) -> dict:
    """Return {(level, code): summed figures and schools behind} of every node, in one read.

    The summaries' figures are JSON, read whole once per school and added up
    here (each school into its district, then districts into their states and
    the nation): summing them in SQL would unpack each school's JSON once per
    figure (about eighty), which costs seconds for a few thousand schools.
    """
    districts, state_of = {}, {}
    for district, state, candidates, figures in schools.values_list(
        "district__code", "state__code", "candidates", "figures"
    ).iterator(chunk_size=2000):
        figures = figures or {}
        if district not in districts:
            districts[district] = empty_figures() | {"behind": 0}
            state_of[district] = state
        total = districts[district]
        _add(total, figures)
        total["behind"] += int(
            candidates > 0 and (figures.get("expected") or 0) > (figures.get("verified") or 0)
        )
    nodes = {("national", NATIONAL_CODE): empty_figures() | {"behind": 0}}
    for district, total in districts.items():
        nodes[("district", district)] = total
        state = ("state", state_of[district])
        if state not in nodes:
            nodes[state] = empty_figures() | {"behind": 0}
        _add(nodes[state], total)
        _add(nodes[("national", NATIONAL_CODE)], total)
    return nodes


@transaction.atomic
def rollups_rebuild(*, year: int) -> int:
    """Rebuild every district, state and the nation's PASR figures of ``year`` from the summaries.

    The kit's one roll-up routine (``group_by_node``, three GROUP BYs) counts
    the schools running PASR; their summaries' figures are added up per node
    in the same pass order. Upserted, so two runs at once agree.
    """
    schools = SchoolYear.objects.filter(year=year).filter(running_pasr())
    summed = _node_figures(schools)
    aggregates = {
        "schools": Count("id"),
        "with_candidates": Count("id", filter=Q(candidates__gt=0)),
        # Not named "candidates": an aggregate's name would hide the column in the filter.
        "sum_candidates": Sum("candidates", output_field=BigIntegerField()),
    }

    def figures(level, code, f):
        found = summed.get((level, code)) or empty_figures() | {"behind": 0}
        return {
            "with_candidates": f["with_candidates"] or 0,
            "candidates": f["sum_candidates"] or 0,
            "behind": found["behind"],
            **{name: found[name] for name in COUNTS},
            "by_status": found["by_status"],
            "qa": found["qa"],
            "levels": found["levels"],
        }

    rows = node_rows(PasrRollUp, schools, aggregates, figures)
    return rollups_store(PasrRollUp, rows, period=year)


def rebuild_all(*, year: int) -> int:
    """Every school's summary, then every roll-up of ``year`` (the command and the safety net)."""
    summaries_rebuild(year=year)
    return rollups_rebuild(year=year)
