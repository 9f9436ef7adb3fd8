"""Reads of the audit trail."""

import functools
import operator

from django.db.models import Q, QuerySet

from .models import Entry

# The history page's filter: which apps' records belong to which part.
PARTS = {
    "school": ("schools", "accounts", "people"),
    "ssqs": ("surveys", "monitoring"),
    "pibk": ("pibk",),
    "review": ("review",),
}


def school_history(school, part: str | None = None, parts=None) -> QuerySet[Entry]:
    """Return the entries about ``school`` and its records, newest first.

    ``part`` narrows to one part of ``PARTS``; ``parts`` (the parts the reader
    may see, see ``access.history_parts``) bounds everything shown.
    """
    entries = Entry.objects.filter(school_id=school.pk)
    if part:
        apps = PARTS.get(part, ())
    else:
        apps = tuple(app for name in (PARTS if parts is None else parts) for app in PARTS[name])
    if part or parts is not None:
        entries = entries.filter(
            functools.reduce(operator.or_, (Q(model__startswith=f"{app}.") for app in apps))
        )
    return entries.order_by("-id")
