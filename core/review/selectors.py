"""Reads of the review workflow: a subject's state, its record, what a page lists."""

from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery

from . import programmes, rules
from .models import ReviewEvent, ReviewSubject


def subject_of(*, programme: str, year: int, school, window: str = "") -> ReviewSubject | None:
    """Return the subject, or None if nobody has acted on it yet (it reads as open)."""
    return (
        ReviewSubject.objects.filter(programme=programme, year=year, window=window, school=school)
        .select_related("decided_by")
        .first()
    )


def subjects_of(*, programme: str, year: int, school) -> dict:
    """Return window -> subject of a school's year, for the windows acted on (one query)."""
    return {
        s.window: s
        for s in ReviewSubject.objects.filter(
            programme=programme, year=year, school=school
        ).select_related("decided_by")
    }


def subjects_of_schools(*, programme: str, year: int, school_ids) -> dict:
    """Return (school id, window) -> subject for many schools (one query)."""
    return {
        (s.school_id, s.window): s
        for s in ReviewSubject.objects.filter(
            programme=programme, year=year, school_id__in=list(school_ids)
        )
    }


def entry_state(
    *, programme: str, year: int, subject=None, window: str = "", today=None, dates=None
) -> rules.EntryState:
    """Return whether the school may change the subject's data (``rules.entry_state``).

    ``subject`` may be None (nobody acted yet); ``dates`` (opens_on,
    closes_on) saves the programme's lookup when the caller has them.
    """
    found = programmes.get(programme)
    opens_on, closes_on = dates or found.window_dates(year, window)
    return rules.entry_state(
        today=today or found.today(),
        opens_on=opens_on,
        closes_on=closes_on,
        state=subject.state if subject is not None else rules.OPEN,
        reopened_until=subject.reopened_until if subject is not None else None,
    )


def events_of(subject, limit: int = 10) -> list[ReviewEvent]:
    """Return the subject's latest acts with who did them (newest first)."""
    if subject is None:
        return []
    return list(subject.events.select_related("by")[:limit])


def school_events(*, programme: str, year: int, school, limit: int = 10) -> list[ReviewEvent]:
    """Return the latest acts on any window of a school's year, with their subjects."""
    return list(
        ReviewEvent.objects.filter(
            subject__programme=programme, subject__year=year, subject__school=school
        ).select_related("by", "subject")[:limit]
    )


def returned_to_school(school) -> list[ReviewSubject]:
    """Return the school's subjects returned to it and not acted on since, newest first."""
    return list(
        ReviewSubject.objects.filter(school=school, state=rules.RETURNED)
        .select_related("decided_by")
        .order_by("-decided_at")
    )


def state_of(*, programme: str, year, school_ref=None, window: str = ""):
    """Return an expression: the state of each row's school's subject (NULL if none).

    ``school_ref`` defaults to the row's ``school_id``; ``year`` may be an
    expression (``OuterRef``) too. For querysets of per-school rows.
    """
    return Subquery(
        ReviewSubject.objects.filter(
            programme=programme,
            year=year,
            window=window,
            school_id=school_ref if school_ref is not None else OuterRef("school_id"),
        ).values("state")[:1]
    )


def is_verified(*, programme: str, year, school_ref=None, window: str = "") -> Exists:
    """Return an expression: whether each row's school's subject is verified."""
    return Exists(
        ReviewSubject.objects.filter(
            programme=programme,
            year=year,
            window=window,
            state=rules.VERIFIED,
            school_id=school_ref if school_ref is not None else OuterRef("school_id"),
        )
    )


def subjects_relation(*, programme: str, year: int, path: str = "school__review_subjects", **more):
    """Return a join from per-school rows to their school's subjects of one programme and year.

    For roll-ups over many schools: ``rows.annotate(review=subjects_relation(...))``
    then ``Count("review", filter=Q(review__state="verified"))`` is one join
    (hashed by the database), where an ``is_verified`` subquery per row would
    be run once for every school and every group. ``more`` narrows it
    (``window=""``); without a window a school has one row per window.
    """
    condition = Q(**{f"{path}__programme": programme, f"{path}__year": year})
    for name, value in more.items():
        condition &= Q(**{f"{path}__{name}": value})
    return FilteredRelation(path, condition=condition)


def verified_count(*, programme: str, year: int, school) -> int:
    return ReviewSubject.objects.filter(
        programme=programme, year=year, school=school, state=rules.VERIFIED
    ).count()


def verified_by_school(*, programme: str, year: int) -> dict:
    """Return school id -> verified subjects of the year (one GROUP BY)."""
    from django.db.models import Count

    return dict(
        ReviewSubject.objects.filter(programme=programme, year=year, state=rules.VERIFIED)
        .values("school_id")
        .annotate(n=Count("id"))
        .values_list("school_id", "n")
    )
