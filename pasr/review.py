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

from core.review import rules as review_rules
from core.review.programmes import Programme
from core.review.selectors import subject_of

from . import calendar, rules

CODE = "pasr"


def window_dates(year: int, window: str):
    """Return (opens, last day for results) of an instrument window (None, None if unpublished)."""
    found = calendar.assessment_year(year)
    opens, closes = found.window(window)
    if closes is not None and found.results_due is not None and found.results_due > closes:
        closes = found.results_due
    return opens, closes


def entry_state(school, year: int, instrument: str, on=None, *, subject=None, dates=None):
    """Return (review subject or None, ``core.review.rules.EntryState``) of an instrument.

    Open from the instrument window's first day to the results due date,
    afterwards only while a reopening lasts, never once verified. Not
    published yet: closed ("not_yet"). ``subject`` and ``dates`` save the
    lookups when the caller has them (``False``: known to have no subject).
    """
    on = on or calendar.today()
    if subject is None:
        subject = subject_of(programme=CODE, year=year, school=school, window=instrument)
    subject = subject or None
    opens, closes = dates or window_dates(year, instrument)
    if closes is None:
        return subject, review_rules.EntryState(False, "not_yet")
    return subject, review_rules.entry_state(
        today=on,
        opens_on=opens,
        closes_on=closes,
        state=subject.state if subject is not None else review_rules.OPEN,
        reopened_until=subject.reopened_until if subject is not None else None,
    )


def results_open(school, year: int, instrument: str, on=None, **known) -> tuple[bool, str | None]:
    """Return whether the school may rate and moderate ``instrument``, and if not, why."""
    _subject, state = entry_state(school, year, instrument, on, **known)
    return state.open, None if state.open else closed_message(instrument, state)


def closed_message(instrument: str, state) -> str:
    name = rules.INSTRUMENT_NAMES[instrument]
    if state.reason == review_rules.VERIFIED:
        return _(
            "%(instrument)s: the results are verified by the committee, so they are locked."
        ) % {"instrument": name}
    if state.reason == "not_yet":
        return _("%(instrument)s: the window is not open yet.") % {"instrument": name}
    return _(
        "%(instrument)s: the last day for results has passed. Ask the head or the "
        "examinations board to reopen it."
    ) % {"instrument": name}


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
