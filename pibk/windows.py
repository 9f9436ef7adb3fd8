"""PIBK's collection windows in the shared review workflow (core.review).

One subject per school, year and window (``rules.WINDOWS``); open until the
window's deadline, then only while the district's reopening lasts, locked
once verified (``core.review.rules.entry_state``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.review import rules as review_rules
from core.review.programmes import Programme
from core.review.selectors import subjects_of

from . import rules

CODE = "pibk"


def today():
    """Today as PIBK sees it (``pibk.services.today``, which tests move)."""
    from . import services

    return services.today()


def window_dates(year: int, window: str):
    """Return (no start, the deadline): "KPI 1 by 31 March (A, B) ..." (seed 003)."""
    return None, rules.deadline(year, window)


def window_states(school_year, on=None) -> dict:
    """Return window -> (review subject or None, ``core.review.rules.EntryState``).

    One query for the five windows of the school's year.
    """
    on = on or today()
    subjects = subjects_of(programme=CODE, year=school_year.year, school=school_year.school_id)
    states = {}
    for window in rules.WINDOWS:
        subject = subjects.get(window)
        states[window] = (
            subject,
            review_rules.entry_state(
                today=on,
                closes_on=rules.deadline(school_year.year, window),
                state=subject.state if subject else review_rules.OPEN,
                reopened_until=subject.reopened_until if subject else None,
            ),
        )
    return states


def window_open(school_year, window: str, on=None) -> tuple[bool, str | None]:
    """Return whether the school may change ``window``'s data, and if not, the message why."""
    _subject, state = window_states(school_year, on)[window]
    return state.open, None if state.open else closed_message(window, state)


def closed_message(window: str, state) -> str:
    name = rules.WINDOW_NAMES[window]
    if state.reason == review_rules.VERIFIED:
        return _("%(window)s: verified by the district, so it is locked.") % {"window": name}
    return _("%(window)s: the deadline has passed. Ask the district to reopen it.") % {
        "window": name
    }


def require_open(school_year, window, on):
    is_open, why = window_open(school_year, window, on)
    if not is_open:
        raise ValidationError(why)


def _school_year(subject):
    from .models import SchoolYear

    return (
        SchoolYear.objects.filter(school_id=subject.school_id, year=subject.year)
        .select_related("school")
        .first()
    )


def missing(subject) -> list[str]:
    """Return what the window's data lacks: its activities not held, KPI 2 with no family.

    An activity not held is left out of the average (domain.md 3), so a
    window verified without it is verified incomplete.
    """
    school_year = _school_year(subject)
    if school_year is None:
        return [_("This school has no PIBK data for %(year)s.") % {"year": subject.year}]
    _deadline, codes = rules.WINDOWS[subject.window]
    lines = [
        _("%(code)s %(activity)s was not held (no date recorded).")
        % {"code": a.code, "activity": rules.ACTIVITIES[a.code]}
        for a in school_year.activities.filter(code__in=codes, held_on__isnull=True).order_by(
            "code"
        )
    ]
    if subject.window in rules.KPI2_WINDOWS and not school_year.families:
        lines.append(_("No family is recorded, so KPI 2 cannot be counted."))
    return lines


def figures_when_verified(subject) -> dict:
    """KPI 2 as it stands at verification: the May figure stays the May figure."""
    if subject.window not in rules.KPI2_WINDOWS:
        return {}
    school_year = _school_year(subject)
    if school_year is None:
        return {}
    return {"volunteers": school_year.volunteers, "families": school_year.families}


def page_url(subject) -> str:
    return reverse("pibk:school", args=[subject.school.code]) + f"?year={subject.year}"


def review_changed(subject, act):
    """After an act on a window: the school's verified windows and the roll-ups follow."""
    from .rollups import school_summary_refresh

    school_year = _school_year(subject)
    if school_year is not None:
        with transaction.atomic():
            school_summary_refresh(school_year=school_year)


PROGRAMME = Programme(
    code=CODE,
    name="PIBK",
    window_dates=window_dates,
    missing=missing,
    page_url=page_url,
    windows=tuple(rules.WINDOWS),
    window_names=rules.WINDOW_NAMES,
    figures_when_verified=figures_when_verified,
    today=today,
)
