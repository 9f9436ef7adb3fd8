"""Reads for the officers' dashboards, always through the user's scope."""

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.review.models import ReviewSubject
from core.rollups import selectors as rollups
from core.rollups.tables import SchoolTable
from ssqs_portal.db import JsonArrayLength
from ssqs_portal.hierarchy import Node, home_node, node_for_user, under_node

from .models import SchoolProgress, SsqsRollUp

__all__ = ["Node", "home_node", "node_for_user"]

# The node's school table. Unrated schools sort last either way (PostgreSQL
# would put NULLs first when descending).
SCHOOL_TABLE = SchoolTable(
    sorts={
        "score": F("score").asc(nulls_last=True),
        "-score": F("score").desc(nulls_last=True),
        "stars": F("stars").asc(nulls_last=True),
        "-stars": F("stars").desc(nulls_last=True),
        "progress": F("finished").asc(),
        "-progress": F("finished").desc(),
    },
    filters={
        "skm": {"0": Q(school__is_skm=False), "1": Q(school__is_skm=True)},
        "status": {status: Q(status=status) for status in SchoolProgress.Status.values},
        "stars": {"0": Q(stars__isnull=True), **{str(n): Q(stars=n) for n in range(1, 6)}},
    },
    # (column header, field of SchoolProgress) of the CSV and XLSX after the school's.
    columns=[
        (_("Type"), "school__type"),
        (_("Small school (SKM)"), "school__is_skm"),
        (_("Status"), "status"),
        (_("Respondents finished"), "finished"),
        (_("Respondents required"), "required"),
        (_("Score"), "score"),
        (_("Stars"), "stars"),
        (_("Rating"), "rating_status"),
        (_("Usage"), "usage"),
        (_("Human capital"), "human_capital"),
        (_("Applications"), "applications"),
        (_("Infrastructure"), "infrastructure"),
        (_("Review"), "review"),
    ],
    # Coded values shown by their label, as on the page.
    labels={
        "status": dict(SchoolProgress.Status.choices),
        "rating_status": {"provisional": _("Provisional"), "final": _("Final")},
        "review": {"": _("Not reviewed"), **dict(ReviewSubject.State.choices)},
    },
)


def type_filter(types) -> dict:
    """The school-type filter: its values are the types the schools have."""
    return {"type": {t: Q(school__type=t) for t in types}}


def node_progress(cycle, node: Node):
    """Return the progress rows of the schools under ``node`` (checked by node_for_user).

    Each with ``review``: its school's state in the review workflow
    (core.review), "" if nobody has acted on it; read in the same query.
    """
    from core.review.selectors import state_of

    rows = SchoolProgress.objects.filter(cycle=cycle).annotate(
        review=Coalesce(state_of(programme="ssqs", year=cycle.year), Value(""))
    )
    return under_node(rows, node)


def node_respondents(cycle, node: Node, fields: list[str]):
    """Return the values ``fields`` and ``domains_done`` of every respondent under ``node``.

    Ordered by school, category and number; the completed domains are counted
    by the database, so a national export decodes no JSON.
    """
    from surveys.models import Respondent

    rows = under_node(
        Respondent.objects.filter(cycle=cycle),
        node,
        district="school__district",
        state="school__district__state",
    )
    return (
        rows.order_by("school__code", "category", "number")
        .annotate(domains_done=JsonArrayLength("completed_domains"))
        .values_list(*fields, "domains_done")
    )


def last_reminder(cycle, node: Node):
    """Return the latest reminder sent to a school under ``node`` this cycle (or None)."""
    from .models import Reminder

    rows = under_node(
        Reminder.objects.filter(cycle=cycle),
        node,
        district="school__district",
        state="school__district__state",
    )
    return rows.select_related("by", "school").order_by("-at").first()


def rollup_for(cycle, node: Node):
    return rollups.rollup_for(SsqsRollUp, cycle.year, node)


def child_rollups(cycle, node: Node):
    return rollups.child_rollups(SsqsRollUp, cycle.year, node)
