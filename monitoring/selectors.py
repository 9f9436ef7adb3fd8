"""Reads for the officers' dashboards, always through the user's scope."""

from dataclasses import dataclass, field

from django.db.models import F, Value
from django.db.models.functions import Coalesce

from ssqs_portal.db import JsonArrayLength
from ssqs_portal.filters import clean_choices
from ssqs_portal.hierarchy import Node, home_node, node_for_user, under_node

from .models import RollUp, SchoolProgress

__all__ = ["Node", "home_node", "node_for_user"]

# Unrated schools sort last either way (PostgreSQL would put NULLs first when descending).
SORTS = {
    "code": F("school__code").asc(),
    "name": F("school__name").asc(),
    "score": F("score").asc(nulls_last=True),
    "-score": F("score").desc(nulls_last=True),
    "stars": F("stars").asc(nulls_last=True),
    "-stars": F("stars").desc(nulls_last=True),
    "progress": F("finished").asc(),
    "-progress": F("finished").desc(),
}
STATUSES = {s.value for s in SchoolProgress.Status}


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
    return RollUp.objects.filter(cycle=cycle, level=node.level, code=node.code).first()


def child_rollups(cycle, node: Node):
    if node.level == "national":
        return list(RollUp.objects.filter(cycle=cycle, level="state").order_by("name"))
    if node.level == "state":
        return list(
            RollUp.objects.filter(cycle=cycle, level="district", parent_code=node.code).order_by(
                "name"
            )
        )
    return []


@dataclass
class TableFilters:
    q: str = ""
    type: str = ""
    level: str = ""
    skm: str = ""
    status: str = ""
    stars: str = ""
    sort: str = "code"
    ignored: list = field(default_factory=list)


def clean_filters(params, types) -> TableFilters:
    """Return the filters from a query string; nonsense values are dropped and named."""
    allowed = {
        "type": types,
        "level": ("primary", "secondary"),
        "skm": ("0", "1"),
        "status": STATUSES,
        "stars": ("0", "1", "2", "3", "4", "5"),
        "sort": SORTS,
    }
    return clean_choices(TableFilters(), params, allowed)


def school_table(progress, f: TableFilters):
    """Return the progress rows matching the filters, sorted, with their schools."""
    from django.db.models import Q

    rows = progress.select_related("school", "district")
    if f.q:
        rows = rows.filter(Q(school__code__istartswith=f.q) | Q(school__name__icontains=f.q))
    if f.type:
        rows = rows.filter(school__type=f.type)
    if f.level:
        rows = rows.filter(school__level=f.level)
    if f.skm:
        rows = rows.filter(school__is_skm=f.skm == "1")
    if f.status:
        rows = rows.filter(status=f.status)
    if f.stars:
        rows = rows.filter(stars__isnull=True) if f.stars == "0" else rows.filter(stars=f.stars)
    return rows.order_by(SORTS[f.sort], "school__code")
