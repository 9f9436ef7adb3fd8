"""Complaints (Modul Aduan): what the lookup shows, the handlers' list, a complaint's timeline."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from core.people import roles

from .. import complaint_rules as crules
from ..models import Complaint, ComplaintEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class PublicAnswer:
    at: datetime.datetime
    text: str
    closing: bool


@dataclass(frozen=True)
class PublicStatus:
    """All the lookup page may show: nothing about the complainant or the handling inside."""

    reference: str
    status: str
    status_label: str
    category_label: str
    filed_at: datetime.datetime
    due_on: datetime.date
    first_answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    answers: tuple[PublicAnswer, ...]


def public_status(reference: str) -> PublicStatus | None:
    """Return the public face of the complaint with ``reference`` (None: no such complaint).

    Two queries: the complaint's public columns, and its public answers (in order).
    """
    found = (
        Complaint.objects.filter(reference=reference)
        .only(
            "pk",
            "reference",
            "status",
            "category",
            "filed_at",
            "due_on",
            "first_answered_at",
            "closed_at",
        )  # fmt: skip
        .first()
    )
    if found is None:
        return None
    answers = ComplaintEvent.objects.filter(complaint_id=found.pk, public=True).values_list(
        "at", "note", "act"
    )
    return PublicStatus(
        reference=found.reference, status=found.status,
        status_label=str(found.get_status_display()),
        category_label=str(found.get_category_display()), filed_at=found.filed_at,
        due_on=found.due_on, first_answered_at=found.first_answered_at,
        closed_at=found.closed_at,
        answers=tuple(PublicAnswer(at, text, act == crules.CLOSE) for at, text, act in answers),
    )  # fmt: skip


def _overdue_q(today):
    return Q(first_answered_at__isnull=True, due_on__lt=today) & ~Q(status=crules.CLOSED)


def complaints_list(*, centres=None, status="", category="", centre=None, overdue=False,
                    today=None):  # fmt: skip
    """The complaints a handler (``centres`` None) or a centre's staff (their centres) see:
    the filtered rows in order, not their joins (a page of them: ``page_rows``).

    Open ones by default, overdue ones first, then by due day; ``status`` "all" (every
    one) or closed ones: newest first.
    """
    today = today or timezone.localdate()
    qs = Complaint.objects.all()
    if centres is not None:
        qs = qs.filter(centre__in=centres)
    if status == "all":
        pass
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=crules.OPEN_STATUSES)
    if category:
        qs = qs.filter(category=category)
    if centre is not None:
        qs = qs.filter(centre=centre)
    if overdue:
        qs = qs.filter(_overdue_q(today))
    late = Case(When(_overdue_q(today), then=Value(True)), default=Value(False),
                output_field=BooleanField())  # fmt: skip
    qs = qs.annotate(late=late)
    if status in ("all", crules.CLOSED):
        # Every status (mostly closed ones): newest first, along the filing index; the
        # overdue ones are still flagged, and "overdue only" lists them first.
        return qs.order_by("-filed_at", "-pk")
    return qs.order_by("-late", "due_on", "-filed_at", "-pk")


def page_rows(ids, today=None) -> list:
    """The complaints ``ids`` (a page's, in that order) with what the list shows. The list is
    cut over the ids alone, so a far page skips rows without joining them."""
    today = today or timezone.localdate()
    late = Case(When(_overdue_q(today), then=Value(True)), default=Value(False),
                output_field=BooleanField())  # fmt: skip
    found = (
        Complaint.objects.select_related("centre", "assignee")
        .defer("description", "resolution", "centre__address", "centre__email")
        .annotate(late=late)
        .in_bulk(list(ids))
    )
    return [found[pk] for pk in ids if pk in found]


def overdue_count(today=None) -> int:
    return Complaint.objects.filter(_overdue_q(today or timezone.localdate())).count()


def timeline(complaint, *, internal: bool):
    """The complaint's steps in order (``internal`` False: the public answers only)."""
    qs = complaint.events.select_related("by", "assignee")
    return list(qs if internal else qs.filter(public=True))


def handlers():
    """The people who may be given a complaint: the body's certification officers and admins."""
    acts = roles.ACTS["skills.complaint.handle"]
    return (
        get_user_model()
        .objects.filter(is_active=True, grants__role__in=list(acts))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
