"""SSQS roll-ups: each school's progress row, and every district, state and national roll-up.

Built on the roll-up kit (``core.rollups``): per-school ``SchoolProgress`` rows
(kept by the workers from respondents and ratings) rolled up by
``group_by_node`` into ``SsqsRollUp`` rows keyed by the cycle's year.
"""

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.rollups.debounce import Debounce
from core.rollups.store import mean, node_rows, rollups_store
from schools.models import School
from ssqs_portal.db import copy_upsert
from surveys.models import Cycle, Rating, Respondent
from surveys.presenters import indicators_with_data

from .models import SchoolProgress, SsqsRollUp

# The roll-ups of a cycle, rebuilt at most this often after ratings change.
ROLLUPS_SOON = Debounce(
    "ssqs:rollups-pending",
    30,
    "Roll-ups of cycle %s",
    "the periodic rebuild_all_rollups rebuilds them",
)
INDICATORS = ("usage", "human_capital", "applications", "infrastructure")
PROGRESS_FIELDS = [
    "district",
    "state",
    "status",
    "started",
    "finished",
    "required",
    "score",
    "stars",
    "rating_status",
    *INDICATORS,
    "updated_at",
]
# The same, as database columns, in the order progress_refresh builds its rows.
PROGRESS_COLUMNS = [
    f"{name}_id" if name in ("district", "state") else name for name in PROGRESS_FIELDS
]
COPY_ABOVE = 100


def status_of(started: int, finished: int, required: int) -> str:
    """Return a school's completeness: nobody started, everyone finished, or between."""
    if required and finished == required:
        return SchoolProgress.Status.COMPLETE
    if started == 0:
        return SchoolProgress.Status.NOT_STARTED
    return SchoolProgress.Status.IN_PROGRESS


def progress_refresh(*, cycle_id: int, school_ids=None) -> int:
    """Recount the SSQS progress of schools (all by default) from respondents and ratings."""
    schools = (
        School.objects.all() if school_ids is None else School.objects.filter(pk__in=school_ids)
    )
    respondents = Respondent.objects.filter(cycle_id=cycle_id)
    ratings = Rating.objects.filter(cycle_id=cycle_id)
    if school_ids is not None:
        respondents = respondents.filter(school_id__in=school_ids)
        ratings = ratings.filter(school_id__in=school_ids)
    counts = {
        row["school_id"]: row
        for row in respondents.values("school_id").annotate(
            required=Count("id"),
            started=Count("id", filter=Q(started_at__isnull=False)),
            finished=Count("id", filter=Q(completed_at__isnull=False)),
        )
    }
    rated = {}
    for row in ratings.values_list(
        "school_id", "score", "stars", "status", *INDICATORS, "breakdown__indicators"
    ):
        # An indicator nobody has answered yet is no data (NULL), not a zero. (A
        # rating without a breakdown, from before breakdowns were kept, is taken as is.)
        answered = INDICATORS if row[-1] is None else indicators_with_data(row[-1])
        rated[row[0]] = (
            *row[:4],
            *(
                value if name in answered else None
                for name, value in zip(INDICATORS, row[4:-1], strict=True)
            ),
        )
    now = timezone.now()
    rows = []
    for school_id, district_id, state_id in schools.values_list(
        "pk", "district_id", "district__state_id"
    ).iterator(chunk_size=5000):
        c = counts.get(school_id, {"required": 0, "started": 0, "finished": 0})
        r = rated.get(school_id)
        rows.append(
            (
                cycle_id,
                school_id,
                district_id,
                state_id,
                status_of(c["started"], c["finished"], c["required"]),
                c["started"],
                c["finished"],
                c["required"],
                *(r[1:] if r else (None, None, "", None, None, None, None)),
                now,
            )
        )
    if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
        # The nation's 10,000 rows: COPY, not 10,000 model instances.
        copy_upsert(SchoolProgress, ["cycle_id", "school_id"], PROGRESS_COLUMNS, rows)
        return len(rows)
    SchoolProgress.objects.bulk_create(
        [SchoolProgress(**dict(zip(["cycle_id", "school_id", *PROGRESS_COLUMNS], row, strict=True)))
         for row in rows],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["cycle", "school"],
        update_fields=PROGRESS_FIELDS,
    )  # fmt: skip
    return len(rows)


def _aggregates():
    stars = {}
    for n in range(1, 6):
        stars[f"p{n}"] = Count("id", filter=Q(stars=n, rating_status="provisional"))
        stars[f"f{n}"] = Count("id", filter=Q(stars=n, rating_status="final"))
    return {
        "schools": Count("id"),
        "not_started": Count("id", filter=Q(status="not_started")),
        "in_progress": Count("id", filter=Q(status="in_progress")),
        "complete": Count("id", filter=Q(status="complete")),
        "verified": verified_count(),
        "respondents_finished": Sum("finished"),
        "respondents_required": Sum("required"),
        "rated": Count("score"),
        "sum_score": Sum("score"),
        **{f"sum_{name}": Sum(name) for name in INDICATORS},
        **{f"n_{name}": Count(name) for name in INDICATORS},
        **stars,
    }


def verified_count():
    """The schools whose data an officer verified: the one place roll-ups read "verified".

    Over ``rollup_rows`` (each progress row joined to its school's review
    subject in core.review: at most one per school and cycle year).
    """
    return Count("review", filter=Q(review__state="verified"))


def rollup_rows(cycle_id: int, year: int | None = None):
    """Return the cycle's progress rows joined to their school's review (``_aggregates``' input)."""
    from core.review.selectors import subjects_relation

    if year is None:
        year = Cycle.objects.values_list("year", flat=True).get(pk=cycle_id)
    return SchoolProgress.objects.filter(cycle_id=cycle_id).annotate(
        review=subjects_relation(programme="ssqs", year=year, window="")
    )


def _figures(_level, _code, row) -> dict:
    return dict(
        not_started=row["not_started"],
        in_progress=row["in_progress"],
        complete=row["complete"],
        verified=row["verified"],
        respondents_finished=row["respondents_finished"] or 0,
        respondents_required=row["respondents_required"] or 0,
        stars_provisional=[row[f"p{n}"] for n in range(1, 6)],
        stars_final=[row[f"f{n}"] for n in range(1, 6)],
        rated=row["rated"],
        mean_score=mean(row["sum_score"], row["rated"]),
        indicator_schools={name: row[f"n_{name}"] for name in INDICATORS},
        **{f"mean_{name}": mean(row[f"sum_{name}"], row[f"n_{name}"]) for name in INDICATORS},
    )


@transaction.atomic
def rollups_rebuild(*, cycle_id: int, refresh_progress: bool = True) -> int:
    """Rebuild every district, state and national roll-up of a cycle. Idempotent.

    Three GROUP BY queries over the per-school progress rows; the rows are
    upserted, so two runs at once give the same numbers.
    """
    if refresh_progress:
        progress_refresh(cycle_id=cycle_id)
    year = Cycle.objects.values_list("year", flat=True).get(pk=cycle_id)
    rows = node_rows(SsqsRollUp, rollup_rows(cycle_id, year), _aggregates(), _figures)
    return rollups_store(SsqsRollUp, rows, period=year)


def school_progress_refresh(*, cycle_id: int, school_id: int) -> None:
    """Refresh one school's progress row now and announce its cycle's roll-ups (debounced).

    The row is written in the caller's transaction (with the school's rating);
    the roll-ups are enqueued once it commits.
    """
    from .tasks import rebuild_rollups

    progress_refresh(cycle_id=cycle_id, school_ids=[school_id])
    ROLLUPS_SOON.announce(rebuild_rollups, cycle_id)
