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


def school_history(school, part: str | None = None) -> QuerySet[Entry]:
    """Return every entry about ``school`` and its records, newest first."""
    entries = Entry.objects.filter(school_id=school.pk)
    apps = PARTS.get(part or "")
    if apps:
        entries = entries.filter(
            functools.reduce(operator.or_, (Q(model__startswith=f"{app}.") for app in apps))
        )
    return entries.order_by("-id")
