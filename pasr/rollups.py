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

import logging

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan

from core.rollups.debounce import Debounce
from core.rollups.store import node_rows, rollups_store
from schools.models import School

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


def _latest(candidate_ids=None, *, year=None):
    """Yield (candidate id, construct, stage, level, school id) of each construct's latest rating.

    PostgreSQL picks the latest row per candidate and construct itself
    (DISTINCT ON); elsewhere the rows come ordered and the last one wins.
    """
    rows = Rating.objects.all()
    if candidate_ids is not None:
        rows = rows.filter(candidate_id__in=list(candidate_ids))
    if year is not None:
        rows = rows.filter(candidate__year=year)
    fields = ("candidate_id", "construct", "stage", "level", "school_id")
    if connection.vendor == "postgresql":
        rows = rows.order_by("candidate_id", "construct", "-at", "-pk").distinct(
            "candidate_id", "construct"
        )
        yield from rows.values_list(*fields).iterator(chunk_size=20_000)
        return
    latest = {}
    for row in rows.order_by("candidate_id", "construct", "at", "pk").values_list(*fields):
        latest[row[:2]] = row
    yield from latest.values()


def school_figures(*, year: int, candidates, latest, absent, qa) -> dict:
    """Return {school id: figures} from plain rows. Pure: no query.

    ``candidates``: (id, school id, status); ``latest``: (candidate id,
    construct, stage, level, school id where given); ``absent``: {(candidate
    id, instrument)}; ``qa``: (school id, kind, visits).
    """
    constructs = instrument().constructs
    by_instrument = {}
    for construct in constructs:
        by_instrument.setdefault(construct.instrument, []).append(construct.code)
    figures = {}

    def of(school_id):
        if school_id not in figures:
            figures[school_id] = empty_figures()
        return figures[school_id]

    where = {}  # candidate id -> (school id, status)
    for pk, school_id, status in candidates:
        where[pk] = (school_id, status)
        of(school_id)["by_status"][status] = of(school_id)["by_status"].get(status, 0) + 1
    given_elsewhere = set()
    for candidate_id, code, stage, level, given_at in latest:
        here, status = where.get(candidate_id, (None, rules.WITHDRAWN))
        if status == rules.WITHDRAWN:
            continue
        school = of(given_at)
        if given_at != here:
            given_elsewhere.add((candidate_id, code))
            school["expected"] += 1  # given here for a candidate now elsewhere
        school["rated"] += 1
        if stage in COUNTED:
            school["moderated"] += 1
        if stage == rules.VERIFIED:
            school["verified"] += 1
            if code in school["levels"] and level in rules.LEVELS:
                school["levels"][code][level] += 1
    for pk, (school_id, status) in where.items():
        if status not in ACTIVE:
            continue
        school = of(school_id)
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
    ids = list(
        Candidate.objects.filter(year=year)
        .filter(Q(school_id=school_id) | Q(ratings__school_id=school_id))
        .values_list("pk", flat=True)
        .distinct()
    )
    candidates = Candidate.objects.filter(pk__in=ids).values_list("pk", "school_id", "status")
    found = school_figures(
        year=year,
        candidates=list(candidates),
        latest=list(_latest(ids)),
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
    found = school_figures(
        year=year,
        candidates=candidates,
        latest=_latest(year=year),
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
        rows.append(SchoolYear(pk=pk, figures=figures, candidates=_candidates_sitting(figures)))
    SchoolYear.objects.bulk_update(rows, ["figures", "candidates"], batch_size=1000)
    return len(rows)


# -- the roll-ups --------------------------------------------------------------------------


def _figure(*path):
    """A whole number kept in ``SchoolYear.figures`` at ``path``, for SQL sums (0 if absent)."""
    return Cast(KT("__".join(("figures", *path))), BigIntegerField())


def _sum(*path):
    return Sum(_figure(*path), output_field=BigIntegerField())


def running_pasr():
    """The school years that count as running PASR: PPKI, partial inclusive, or candidates."""
    return Q(school__has_ppki=True) | Q(partial_inclusive=True) | Q(candidates__gt=0)


def _aggregates(codes) -> dict:
    behind = Case(
        When(
            Q(candidates__gt=0) & GreaterThan(_figure("expected"), _figure("verified")),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    aggregates = {
        "schools": Count("id"),
        "with_candidates": Count("id", filter=Q(candidates__gt=0)),
        # Not named "candidates": an aggregate's name would hide the column in the filters.
        "sum_candidates": Sum("candidates", output_field=BigIntegerField()),
        "behind": Sum(behind),
        **{name: _sum(name) for name in COUNTS},
        **{f"status:{s}": _sum("by_status", s) for s in rules.STATUSES},
        **{f"qa:{kind}": _sum("qa", kind) for kind in rules.QA_KINDS},
    }
    for code in codes:
        for level in rules.LEVELS:
            aggregates[f"level:{code}:{level}"] = _sum("levels", code, level)
    return aggregates


@transaction.atomic
def rollups_rebuild(*, year: int) -> int:
    """Rebuild every district, state and the nation's PASR figures of ``year`` from the summaries.

    The kit's one roll-up routine (``group_by_node``, three GROUP BYs) over
    the schools running PASR; upserted, so two runs at once agree.
    """
    codes = [c.code for c in instrument().constructs]

    def figures(level, code, f):
        return {
            "with_candidates": f["with_candidates"] or 0,
            "candidates": f["sum_candidates"] or 0,
            "behind": f["behind"] or 0,
            **{name: f[name] or 0 for name in COUNTS},
            "by_status": {s: f[f"status:{s}"] or 0 for s in rules.STATUSES},
            "qa": {kind: f[f"qa:{kind}"] or 0 for kind in rules.QA_KINDS},
            "levels": {
                c: {level: f[f"level:{c}:{level}"] or 0 for level in rules.LEVELS} for c in codes
            },
        }

    schools = SchoolYear.objects.filter(year=year).filter(running_pasr())
    rows = node_rows(PasrRollUp, schools, _aggregates(codes), figures)
    return rollups_store(PasrRollUp, rows, period=year)


def rebuild_all(*, year: int) -> int:
    """Every school's summary, then every roll-up of ``year`` (the command and the safety net)."""
    summaries_rebuild(year=year)
    return rollups_rebuild(year=year)
