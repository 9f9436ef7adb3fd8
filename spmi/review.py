"""SPMI in the shared review workflow (core.review): the district comments on a plan.

One subject per school and year (window ""): the head sends the plan to the
district (``spmi.submit``); an officer above the school verifies it or returns
it with a comment (``spmi.review``), which the school reads on its plan page
and on MyDesktop. Nothing is locked by it: the plan is the school's.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from core.review.programmes import Programme

CODE = "spmi"


def window_dates(year: int, window: str):
    return None, datetime.date(year, 12, 31)


def page_url(subject) -> str:
    return f"{reverse('spmi:plan', args=[subject.school.code])}?year={subject.year}"


def missing(subject) -> list:
    """What the district would miss: no cycle, criteria not rated, no action, not approved."""
    from .models import Action, Cycle
    from .selectors.evaluation import evaluation, unrated

    cycle = Cycle.objects.filter(school_id=subject.school_id, year=subject.year).first()
    if cycle is None:
        return [_("The school has not opened its %(year)s cycle.") % {"year": subject.year}]
    out = []
    left = unrated(evaluation(cycle))
    if left:
        out.append(_("Criteria not rated: %(codes)s.") % {
            "codes": ", ".join(r.criterion.code for r in left)})  # fmt: skip
    if not Action.objects.filter(cycle=cycle).exists():
        out.append(_("The plan has no action."))
    if cycle.approved_at is None:
        out.append(_("The head has not approved the plan."))
    return out


PROGRAMME = Programme(
    code=CODE, name="SPMI", window_dates=window_dates, page_url=page_url, missing=missing
)
