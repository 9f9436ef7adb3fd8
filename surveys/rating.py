"""The SSQS rating: marks of schools to recompute, the debounce, the recompute of one
school or a whole cycle, and storing ratings (COPY for the nation)."""

import datetime
import logging

import orjson
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.rollups.debounce import Debounce
from schools.models import School
from ssqs_portal.db import copy_upsert
from ssqs_portal.numbers import two_decimals

from . import bulk
from .convergence import schools_to_recompute
from .models import (
    Answer,
    Cycle,
    Rating,
    RatingMark,
    Respondent,
)
from .scoring import (
    RespondentAnswers,
    empty_shares,
    fresh_shares,
    result_from_shares,
    score_school,
)

logger = logging.getLogger(__name__)


# A school's rating is recomputed at most this often from saves: the first
# save schedules one recompute this many seconds later, and saves in between
# ride along with it (it reads everything saved before it starts).
RATING_DEBOUNCE_SECONDS = 5


# "Recompute this school's rating soon" (core.rollups.debounce), announced by the save.
RATING_SOON = Debounce(
    "ssqs:rating-pending",
    RATING_DEBOUNCE_SECONDS,
    "Rating of cycle %s, school %s",
    "it stays marked and the periodic task recomputes it",
)


def rating_pending_key(cycle_id: int, school_id: int) -> str:
    return RATING_SOON.key(cycle_id, school_id)


def rating_mark(*, cycle_id: int, school_id: int) -> None:
    """Mark the school's rating as needing a recompute, in the caller's transaction."""
    RatingMark.objects.bulk_create(
        [RatingMark(cycle_id=cycle_id, school_id=school_id, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["cycle", "school"],
        update_fields=["marked_at"],
    )


def rating_marks_of(cycle_id: int, school_ids=None) -> list[tuple[int, int, datetime.datetime]]:
    """Return the marks (cycle, school, marked_at) of a cycle's schools (all by default)."""
    marks = RatingMark.objects.filter(cycle_id=cycle_id)
    if school_ids is not None:
        marks = marks.filter(school_id__in=school_ids)
    return list(marks.values_list("cycle_id", "school_id", "marked_at"))


def rating_marks_clear(marks) -> int:
    """Remove the marks (cycle, school, marked_at) a recompute has seen.

    A mark that a later save has set again (a newer ``marked_at``) stays, so
    that save's answers are recomputed too.
    """
    marks = list(marks)
    removed = 0
    for start in range(0, len(marks), 500):
        condition = Q()
        for cycle_id, school_id, marked_at in marks[start : start + 500]:
            condition |= Q(cycle_id=cycle_id, school_id=school_id, marked_at=marked_at)
        removed += RatingMark.objects.filter(condition).delete()[0]
    return removed


def enqueue_rating(*, cycle_id: int, school_id: int) -> None:
    """Mark the school now; recompute its rating in a worker once the transaction commits.

    The mark is part of the caller's transaction, so a committed save is
    always recomputed: by the debounced task enqueued here, or by the
    periodic ``recompute_marked_ratings`` if that enqueue is lost (cache or
    broker down). An enqueue that fails is logged, never raised: the save
    has committed. With no broker configured (a first look, tests) the
    recompute runs at once, in-process.
    """
    from .tasks import recompute_school_rating

    rating_mark(cycle_id=cycle_id, school_id=school_id)
    RATING_SOON.announce(recompute_school_rating, cycle_id, school_id)


def school_rating_refresh(*, cycle_id: int, school_id: int) -> Rating:
    """Recompute a marked school's rating, then its dependants, then clear its mark: all or nothing.

    The rating and what follows it (monitoring's progress row) commit
    together, so a worker killed half-way leaves neither changed and the
    mark still set.
    """
    from ssqs_portal import registry

    seen = rating_marks_of(cycle_id, [school_id])  # read before the answers are
    with transaction.atomic():
        rating = rating_recompute(cycle_id=cycle_id, school_id=school_id)
        for callback in registry.RATING_CHANGED:
            callback(cycle_id, school_id)
        rating_marks_clear(seen)
    return rating


def marked_ratings_recompute(*, now=None) -> int:
    """Recompute every school still marked (``convergence.schools_to_recompute``); return how many.

    Per cycle, in one transaction: the ratings, the schools' dependants
    (progress rows and roll-ups) and the removal of the marks seen.
    """
    marks = list(RatingMark.objects.values_list("cycle_id", "school_id", "marked_at"))
    plan = schools_to_recompute(marks, now=now or timezone.now())
    for cycle_id, school_ids in plan.items():
        chosen = set(school_ids)
        _schools_recompute(
            cycle_id,
            school_ids,
            [m for m in marks if m[0] == cycle_id and m[1] in chosen],
        )
    return sum(len(ids) for ids in plan.values())


@transaction.atomic
def _schools_recompute(cycle_id: int, school_ids: list[int], seen) -> None:
    from ssqs_portal import registry

    if connection.vendor == "postgresql":
        ratings_recompute_bulk(cycle_id=cycle_id, school_ids=school_ids)
    else:
        for school_id in school_ids:
            rating_recompute(cycle_id=cycle_id, school_id=school_id)
    for callback in registry.SCHOOLS_RECOMPUTED:
        callback(cycle_id, school_ids)
    rating_marks_clear(seen)


RATING_FIELDS = [
    "usage",
    "human_capital",
    "applications",
    "infrastructure",
    "score",
    "band",
    "stars",
    "status",
    "respondents_finished",
    "respondents_required",
    "breakdown",
    "computed_at",
]


def rating_values(result, now) -> dict:
    """Return a rating's stored values (RATING_FIELDS) for a school's result."""
    return {
        **{code: two_decimals(value) for code, value in result.indicators.items()},
        "score": result.score,
        "band": result.band,
        "stars": result.stars,
        "status": result.status,
        "respondents_finished": result.finished,
        "respondents_required": result.required,
        "breakdown": breakdown_json(result),
        "computed_at": now,
    }


def rating_from_result(cycle_id: int, school_id: int, result, now) -> Rating:
    return Rating(cycle_id=cycle_id, school_id=school_id, **rating_values(result, now))


COPY_RATINGS_ABOVE = 100


def ratings_store(ratings: list[Rating]) -> None:
    """Insert or update ratings by (cycle, school).

    Many at once on PostgreSQL go through COPY into a temporary table and one
    INSERT ... ON CONFLICT: building the parameters of a plain bulk insert of
    10,000 ratings with their breakdowns costs more than computing them.
    """
    if connection.vendor == "postgresql" and len(ratings) > COPY_RATINGS_ABOVE:
        _ratings_copy(ratings)
        return
    Rating.objects.bulk_create(
        ratings,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["cycle", "school"],
        update_fields=RATING_FIELDS,
    )


def _ratings_copy(ratings: list[Rating]) -> None:
    _rating_rows_copy(
        (r.cycle_id, r.school_id, *(getattr(r, name) for name in RATING_FIELDS)) for r in ratings
    )


def _rating_rows_copy(rows) -> None:
    """Store rating rows (cycle_id, school_id, *RATING_FIELDS) through COPY.

    The breakdowns are written with orjson: the standard library's encoder took
    a fifth of the Python time of a national recompute (0.45 of 2.2 s).
    """
    breakdown = 2 + RATING_FIELDS.index("breakdown")
    copy_upsert(
        Rating,
        ["cycle_id", "school_id"],
        RATING_FIELDS,
        (
            (*row[:breakdown], orjson.dumps(row[breakdown]).decode(), *row[breakdown + 1 :])
            for row in rows
        ),
    )


def rating_recompute(*, cycle_id: int, school_id: int) -> Rating:
    """Compute and store one school's rating for a cycle. Idempotent.

    The school row is locked for the computation, so two runs at once take
    turns and the later one reads everything the earlier one saw.
    """
    with transaction.atomic():
        School.objects.select_for_update().only("pk").get(pk=school_id)
        cycle = (
            Cycle.objects.select_related("instrument").defer("instrument__data").get(pk=cycle_id)
        )
        spec = cycle.instrument.spec
        respondents = list(
            Respondent.objects.filter(cycle_id=cycle_id, school_id=school_id).values_list(
                "pk", "category", "completed_at"
            )
        )
        answers = {}
        for respondent_id, question, value in Answer.objects.filter(
            respondent__cycle_id=cycle_id,
            respondent__school_id=school_id,
            respondent__completed_at__isnull=False,
        ).values_list("respondent_id", "question", "value"):
            answers.setdefault(respondent_id, {})[question] = value
        result = score_school(
            spec,
            [
                RespondentAnswers(category, completed_at is not None, answers.get(pk, {}))
                for pk, category, completed_at in respondents
            ],
        )
        rating = rating_from_result(cycle_id, school_id, result, timezone.now())
        ratings_store([rating])
    return rating


def ratings_recompute_bulk(*, cycle_id: int, school_ids=None) -> int:
    """Compute and store the ratings of a cycle's schools (all by default) in one pass.

    PostgreSQL adds up the points (``surveys.bulk``); the score follows from
    them by the same rule as ``rating_recompute``. The schools' rows are
    locked first, as a one-school recompute does, so a recompute running
    meanwhile waits and then reads everything this one saw. Idempotent.
    """
    with transaction.atomic():
        locked = School.objects.select_for_update().order_by("pk")
        if school_ids is not None:
            locked = locked.filter(pk__in=school_ids)
        all_ids = list(locked.values_list("pk", flat=True))
        cycle = (
            Cycle.objects.select_related("instrument").defer("instrument__data").get(pk=cycle_id)
        )
        spec = cycle.instrument.spec
        domains, earned, counts = bulk.tallies(cycle_id, spec, school_ids)
        possible = bulk.possible_per_respondent(spec)
        domain_indicator = {d.code: d.indicator for d in spec.domains}
        template = empty_shares(spec)
        now = timezone.now()

        # category -> [(position of the domain's sum in a tally row, the domain's
        # Share key, its indicator, points one respondent could earn)]
        plan = {
            category: [
                (domains.index(domain), domain, domain_indicator[domain], points)
                for domain, points in by.items()
            ]
            for category, by in possible.items()
        }
        nothing = {}
        no_points = [None] * len(domains)

        def rows():
            for school_id in all_ids:
                by_category, by_domain = fresh_shares(template)
                finished = required = 0
                completed_by_category = {}
                sums_by_category = earned.get(school_id, nothing)
                for category, (total, completed) in counts.get(school_id, nothing).items():
                    required += total
                    finished += completed
                    completed_by_category[category] = completed
                    sums = sums_by_category.get(category, no_points)
                    for position, domain, indicator, points in plan.get(category, ()):
                        got = sums[position] or 0
                        share = by_domain[domain][category]
                        share.earned += got
                        share.possible += points * completed
                        share = by_category[indicator][category]
                        share.earned += got
                        share.possible += points * completed
                result = result_from_shares(
                    spec, by_category, by_domain, finished, required, completed_by_category
                )
                values = rating_values(result, now)
                yield (cycle_id, school_id, *(values[name] for name in RATING_FIELDS))

        # Streamed: PostgreSQL takes in each row while the next is computed.
        _rating_rows_copy(rows())
    return len(all_ids)


def breakdown_json(result) -> dict:
    """Return where points were earned and lost, by indicator/domain and category.

    With the completed respondents per category, which decide what an officer
    may see of it (``surveys.disclosure``).
    """

    def shares(table):
        return {
            key: {c: {"earned": s.earned, "possible": s.possible} for c, s in by_category.items()}
            for key, by_category in table.items()
        }

    return {
        "indicators": shares(result.by_category),
        "domains": shares(result.by_domain),
        "respondents": dict(result.respondents),
        "exact_score": float(result.exact_score),
    }


@transaction.atomic
def cycle_recompute(*, cycle_id: int, school_ids=None, rescore=False) -> int:
    """Recompute the ratings of a cycle's schools (all by default); return how many.

    ``rescore`` first re-derives every answer's stored points from its value
    (they are kept in step on every save and instrument reload; this is for
    an operator who wants to be sure). One transaction: the ratings, the
    progress rows and roll-ups that follow from them and the marks seen are
    committed together, so a process killed half-way leaves no reader seeing
    ratings and roll-ups that disagree.
    """
    from ssqs_portal import registry

    whole_cycle = school_ids is None
    seen = rating_marks_of(cycle_id, school_ids)
    if rescore:
        spec = Cycle.objects.select_related("instrument").get(pk=cycle_id).instrument.spec
        bulk.points_refresh(cycle_id, spec, school_ids)
    if connection.vendor == "postgresql":
        count = ratings_recompute_bulk(cycle_id=cycle_id, school_ids=school_ids)
    else:
        if whole_cycle:
            school_ids = list(School.objects.values_list("pk", flat=True))
        for school_id in school_ids:
            rating_recompute(cycle_id=cycle_id, school_id=school_id)
        count = len(school_ids)
    if whole_cycle:
        for callback in registry.CYCLE_RECOMPUTED:
            callback(cycle_id)
    else:
        for callback in registry.SCHOOLS_RECOMPUTED:
            callback(cycle_id, list(school_ids))
    rating_marks_clear(seen)
    return count
