"""Reads for PIBK pages, always through the user's scope."""

from django.db.models import Case, Exists, F, FloatField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _

from core.people import access
from core.rollups.tables import SchoolTable
from ssqs_portal.hierarchy import Node, under_node

from . import kpi, rules
from .models import Attendance, Family, PibkYear, Pupil, SchoolYear, Volunteer

# Pupils listed by year group as a school reads them (rules.YEAR_GROUP_ORDER),
# not as text, which would put preschool (PRA) after Year 6.
YEAR_GROUP_RANK = Case(
    *(When(year_group=group, then=Value(n)) for group, n in rules.YEAR_GROUP_ORDER.items()),
    default=Value(len(rules.YEAR_GROUP_ORDER)),
).asc()


def school_for_user(user, code, act="pibk.view"):
    """Return a school where ``user`` may do ``act`` (see its PIBK data by default).

    Its PIBK coordinator and head, or officers above it; anyone else is refused
    (403 if they may do it nowhere, 404 for a school outside their scope).
    """
    return access.get_school(user, code, act)


def school_year_for(school, year):
    return (
        SchoolYear.objects.filter(school=school, year=year)
        .select_related("school__district__state")
        .prefetch_related("activities")
        .first()
    )


def history(school, year, count=3):
    """Return the school's PIBK years up to ``year``, newest first (the side-by-side)."""
    return list(
        SchoolYear.objects.filter(school=school, year__lte=year)
        .prefetch_related("activities")
        .order_by("-year")[:count]
    )


def expected_q(code: str, level: str) -> Q:
    """Return the filter on families expected at ``code`` (rules.expected_condition)."""
    name, values = rules.expected_condition(code, level)
    if name == "any":
        return Q(pupils__isnull=False)
    return Q(**{f"pupils__{name}__in": values})


def family_search(families, q: str):
    q = (q or "").strip()[:60]
    if not q:
        return families
    return families.filter(
        Q(key__istartswith=q) | Q(guardian__icontains=q) | Q(pupils__name__icontains=q)
    ).distinct()


def attendance_list(school_year, activity, q=""):
    """Return the families expected at ``activity``, each once, with ``present`` set."""
    level = school_year.school.level
    expected = Family.objects.filter(school_year=school_year).filter(
        pk__in=Family.objects.filter(expected_q(activity.code, level)).values("pk")
    )
    families = family_search(expected, q)
    return families.annotate(
        present=Exists(Attendance.objects.filter(activity=activity, family=OuterRef("pk")))
    ).prefetch_related(Prefetch("pupils", queryset=Pupil.objects.order_by(YEAR_GROUP_RANK, "name")))


def volunteer_list(school_year, q=""):
    families = family_search(Family.objects.filter(school_year=school_year), q)
    return families.annotate(
        volunteered=Exists(Volunteer.objects.filter(school_year=school_year, family=OuterRef("pk")))
    ).prefetch_related(Prefetch("pupils", queryset=Pupil.objects.order_by(YEAR_GROUP_RANK, "name")))


def pupil_list(school_year, q=""):
    pupils = Pupil.objects.filter(family__school_year=school_year).select_related("family")
    q = (q or "").strip()[:60]
    if q:
        pupils = pupils.filter(
            Q(name__icontains=q) | Q(family__key__istartswith=q) | Q(class_name__icontains=q)
        )
    return pupils.order_by(YEAR_GROUP_RANK, "class_name", "name")


def register_summary(school_year):
    """Return {year group: (pupils, families)} and the number of families."""
    from django.db.models import Count

    rows = (
        Pupil.objects.filter(family__school_year=school_year)
        .values("year_group")
        .annotate(pupils=Count("id"), families=Count("family", distinct=True))
        .order_by(YEAR_GROUP_RANK)
    )
    return {r["year_group"]: (r["pupils"], r["families"]) for r in rows}


def activity_result(activities) -> kpi.SchoolAverage:
    """Return the school average (kpi.school_average) of activity rows (code, held_on, counts)."""
    return kpi.school_average(
        kpi.ActivityFigures(a.code, a.held_on is not None, a.expected, a.attended)
        for a in activities
    )


def school_figures(school_year):
    """Return the school's rates and average as the KPI module computes them."""
    activities = sorted(school_year.activities.all(), key=lambda a: a.code)
    return activities, activity_result(activities)


# -- officers --------------------------------------------------------------------------


def node_schools(year, node: Node):
    return under_node(SchoolYear.objects.filter(year=year), node)


# A school's KPI 2 (volunteering families / families) for sorting; none without families.
KPI2_RATE = Cast("volunteers", FloatField()) / NullIf("families", Value(0))
ALL_WINDOWS = len(rules.WINDOWS)

# The node's school table.
SCHOOL_TABLE = SchoolTable(
    sorts={
        "average": F("average").asc(nulls_last=True),
        "-average": F("average").desc(nulls_last=True),
        "kpi2": KPI2_RATE.asc(nulls_last=True),
        "-kpi2": KPI2_RATE.desc(nulls_last=True),
    },
    filters={
        "mode": {mode: Q(mode=mode) for mode in ("register", "counts")},
        "reach": {
            "below": Q(reaches=False),
            "reached": Q(reaches=True),
            "none": Q(reaches__isnull=True),
        },
        "verified": {
            "all": Q(verified_windows=ALL_WINDOWS),
            "some": Q(verified_windows__gt=0, verified_windows__lt=ALL_WINDOWS),
            "none": Q(verified_windows=0),
        },
    },
    # (column header, field) of the school table's CSV and XLSX after the school's.
    columns=[
        (_("KPM school"), "is_kpm"),
        (_("Data entry"), "mode"),
        (_("Average (%)"), "average"),
        (_("Activities counted"), "counted"),
        (_("Reaches 65%"), "reaches"),
        (_("Families"), "families"),
        (_("Volunteering families"), "volunteers"),
        (_("Windows verified"), "verified_windows"),
    ],
    # Coded values shown by their label, as on the page.
    labels={"mode": dict(SchoolYear.Mode.choices)},
)


def below_threshold(year, node: Node, limit=50):
    """Return the KPM schools under the node whose average is below 65%, lowest first."""
    return list(
        node_schools(year, node)
        .filter(is_kpm=True, reaches=False)
        .select_related("school")
        .order_by("average", "school__code")[:limit]
    )


def verification_grid(year, node: Node, on):
    """Return the district's schools with each window's state, in window order (two queries)."""
    from core.review.rules import OPEN, entry_state
    from core.review.selectors import subjects_of_schools

    if node.level != "district":
        return []
    school_years = list(node_schools(year, node).select_related("school").order_by("school__code"))
    subjects = subjects_of_schools(
        programme="pibk", year=year, school_ids=[sy.school_id for sy in school_years]
    )
    rows = []
    for school_year in school_years:
        cells = []
        for code in rules.WINDOWS:
            subject = subjects.get((school_year.school_id, code))
            state = entry_state(
                today=on,
                closes_on=rules.deadline(year, code),
                state=subject.state if subject else OPEN,
                reopened_until=subject.reopened_until if subject else None,
            )
            cells.append((code, subject.state if subject else OPEN, state))
        rows.append((school_year, cells))
    return rows


def years_available():
    return list(SchoolYear.objects.order_by("-year").values_list("year", flat=True).distinct())


def targets_for(year: int) -> PibkYear:
    """Return the year's targets; the seed's defaults (unsaved) if none were set. Writes nothing."""
    return PibkYear.objects.filter(year=year).first() or PibkYear(year=year)
