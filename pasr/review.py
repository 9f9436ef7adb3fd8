"""PASR's results in the shared review workflow (core.review).

One subject per school, assessment year and instrument (window ``prokhas1``
or ``prokhas2``): teachers rate, the subject head moderates and submits
(``pasr.submit``), the committee chaired by the head verifies or returns it
(``pasr.review``); verified results are locked; reopening needs a reason
(domain.md 2). Ratings may be given from the instrument window's first day
to the board's ``results_due`` (the window's last day if none is set).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.review.programmes import Programme

from . import calendar, rules

CODE = "pasr"


def window_dates(year: int, window: str):
    """Return (opens, last day for results) of an instrument window (None, None if unpublished)."""
    found = calendar.assessment_year(year)
    opens, closes = found.window(window)
    if closes is not None and found.results_due is not None and found.results_due > closes:
        closes = found.results_due
    return opens, closes


def page_url(subject) -> str:
    return reverse("pasr:school", args=[subject.school.code]) + f"?year={subject.year}"


def missing(subject) -> list[str]:
    """Sentences naming what the instrument's results lack: constructs not moderated."""
    from .selectors.results import unmoderated_counts

    counts = unmoderated_counts(school=subject.school, year=subject.year, instrument=subject.window)
    lines = []
    if counts["unrated"]:
        lines.append(_("%(n)s construct ratings are not given yet.") % {"n": counts["unrated"]})
    if counts["unmoderated"]:
        lines.append(
            _("%(n)s construct ratings are not moderated yet.") % {"n": counts["unmoderated"]}
        )
    return lines


PROGRAMME = Programme(
    code=CODE,
    name="PASR",
    window_dates=window_dates,
    missing=missing,
    page_url=page_url,
    windows=rules.INSTRUMENTS,
    window_names=rules.INSTRUMENT_NAMES,
    today=lambda: calendar.today(),
)
