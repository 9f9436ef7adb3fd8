"""SSQS in the shared review workflow (core.review): one subject per school and cycle year."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.review.programmes import Programme

from .models import Cycle, Respondent

CODE = "ssqs"


def window_dates(year: int, window: str = ""):
    """Return the cycle's filling window (configurable per cycle; August by default)."""
    cycle = Cycle.objects.only("opens_on", "closes_on").get(year=year)
    return cycle.opens_on, cycle.closes_on


def missing(subject) -> list[str]:
    """Return what keeps the school's SSQS data from being complete: unfinished respondents.

    domain.md 1.2: "A rating is *provisional* until every required
    respondent has completed".
    """
    rows = (
        Respondent.objects.filter(cycle__year=subject.year, school_id=subject.school_id)
        .values("category")
        .annotate(total=Count("id"), done=Count("id", filter=Q(completed_at__isnull=False)))
    )
    counts = {r["category"]: (r["done"], r["total"]) for r in rows}
    finished = sum(done for done, _total in counts.values())
    required = sum(total for _done, total in counts.values())
    if required and finished == required:
        return []
    labels = dict(Respondent.Category.choices)
    detail = ", ".join(
        f"{labels[c]} {counts[c][0]}/{counts[c][1]}"
        for c in Respondent.Category.values
        if c in counts
    )
    if not required:
        return [_("The school has no respondents on its roster.")]
    return [
        _("%(finished)s of %(required)s respondents have finished (%(detail)s).")
        % {"finished": finished, "required": required, "detail": detail},
        _("The rating is still provisional."),
    ]


def page_url(subject) -> str:
    return reverse("surveys:result", args=[subject.school.code])


PROGRAMME = Programme(
    code=CODE,
    name="SSQS",
    window_dates=window_dates,
    missing=missing,
    page_url=page_url,
)


def require_open(cycle, school):
    """Refuse a change to the school's SSQS data unless its window is open (core.review)."""
    from .selectors import window_state

    state = window_state(cycle=cycle, school=school)
    if not state.is_open:
        raise PermissionDenied(state.message)
