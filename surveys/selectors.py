"""Reads of the SSQS year, with the rules that decide what is open and done."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ssqs_portal.numbers import whole_percent

from .models import Cycle, Rating, Respondent


def current_cycle() -> Cycle | None:
    """Return the latest SSQS cycle (its instrument's data left unloaded)."""
    return (
        Cycle.objects.select_related("instrument")
        .defer("instrument__data")
        .order_by("-year")
        .first()
    )


@dataclass(frozen=True)
class WindowState:
    is_open: bool
    message: str
    until: datetime.date | None = None
    reopened: bool = False


def review_subject(*, cycle: Cycle, school):
    """Return the school's review subject of the cycle (None: nobody has acted on it)."""
    from core.review.selectors import subject_of

    return subject_of(programme="ssqs", year=cycle.year, school=school)


def window_state(*, cycle: Cycle, school, today=None, subject=False) -> WindowState:
    """Return whether the school may change its SSQS data today, and why (not).

    ``core.review.rules.entry_state`` with the cycle's dates: open in the
    window, afterwards only while an officer's reopening lasts, never once
    verified. ``subject`` saves its query when the caller has it (None: none).
    """
    from core.review.rules import entry_state

    if subject is False:
        subject = review_subject(cycle=cycle, school=school)
    state = entry_state(
        today=today or timezone.localdate(),
        opens_on=cycle.opens_on,
        closes_on=cycle.closes_on,
        state=subject.state if subject is not None else "open",
        reopened_until=subject.reopened_until if subject is not None else None,
    )
    if state.reason == "open":
        message = _("Filling is open until %(date)s.") % {"date": date_format(state.until)}
    elif state.reason == "reopened":
        message = _("Reopened by your officer until %(date)s.") % {"date": date_format(state.until)}
    elif state.reason == "verified":
        message = _(
            "SSQS %(year)s data was verified by your officer; everything is read-only. "
            "Your officer can return it to you."
        ) % {"year": cycle.year}
    elif state.reason == "not_yet":
        message = _(
            "SSQS %(year)s filling opens on %(date)s; until then everything is read-only."
        ) % {"year": cycle.year, "date": date_format(cycle.opens_on)}
    else:
        message = _(
            "SSQS %(year)s filling closed on %(date)s; everything is "
            "read-only. Your district officer can reopen it."
        ) % {"year": cycle.year, "date": date_format(cycle.closes_on)}
    return WindowState(state.open, message, state.until, state.reason == "reopened")


def roster(*, cycle: Cycle, school) -> list[Respondent]:
    """Return the school's respondents in roster order."""
    order = {c: i for i, c in enumerate(Respondent.Category.values)}
    respondents = list(Respondent.objects.filter(cycle=cycle, school=school).defer("cycle_id"))
    respondents.sort(key=lambda r: (order[r.category], r.number))
    return respondents


@dataclass(frozen=True)
class Completion:
    finished: int
    started: int
    required: int
    by_category: dict  # category -> (finished, total)

    @property
    def percent(self):
        return whole_percent(self.finished, self.required)


def completion(respondents) -> Completion:
    """Return how far a roster is: finished, started, by category."""
    by_category = {}
    for r in respondents:
        done, total = by_category.get(r.category, (0, 0))
        by_category[r.category] = (done + (r.completed_at is not None), total + 1)
    return Completion(
        finished=sum(1 for r in respondents if r.completed_at is not None),
        started=sum(1 for r in respondents if r.started_at is not None),
        required=len(respondents),
        by_category=by_category,
    )


def rating_for(*, cycle: Cycle, school) -> Rating | None:
    return Rating.objects.filter(cycle=cycle, school=school).first()


def ratings_fingerprint(cursor=None, *, year: int | None = None, with_times=False) -> str:
    """Return a short hash of every stored rating, in (year, school code) order.

    Equal fingerprints mean equal ratings: every stored column of
    ``surveys_rating`` is hashed as PostgreSQL prints it, keyed by the cycle's
    year and the school's code (not by row ids). ``computed_at`` is left out
    unless ``with_times``, so two builds or recomputes of the same data agree;
    a restore of a backup keeps it, so the backup drill includes it.

    ``cursor`` may be a Django cursor or a plain psycopg one on another
    database (a restored copy); PostgreSQL only. ``year`` limits it to a cycle.
    """
    import hashlib

    from django.db import connection

    columns = [
        f.column
        for f in Rating._meta.concrete_fields
        if f.name not in ("id", "cycle", "school") and (with_times or f.name != "computed_at")
    ]
    shown = ", ".join(
        # Times in UTC, whatever the session's time zone.
        f"(r.{c} AT TIME ZONE 'UTC')::text" if c == "computed_at" else f"r.{c}::text"
        for c in columns
    )
    where = "WHERE c.year = %s" if year is not None else ""
    from schools.models import School

    sql = (
        f"SELECT c.year::text, s.code, {shown} FROM {Rating._meta.db_table} r "  # noqa: S608
        f"JOIN {Cycle._meta.db_table} c ON c.id = r.cycle_id "
        f"JOIN {School._meta.db_table} s ON s.id = r.school_id {where} ORDER BY c.year, s.code"
    )
    digest = hashlib.sha256(" ".join(columns).encode())
    if cursor is None:
        with connection.cursor() as own:
            own.execute(sql, [year] if year is not None else [])
            rows = own.fetchall()
    else:
        cursor.execute(sql, [year] if year is not None else [])
        rows = cursor.fetchall()
    for row in rows:
        digest.update(("\x1f".join("" if v is None else v for v in row) + "\n").encode())
    return digest.hexdigest()[:16]
