"""A school table's filters and pages from a query string (shared by every programme's table)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

SEARCH_LENGTH = 100


def clean_choices(filters, params, allowed: dict):
    """Fill ``filters`` (a dataclass with ``q`` and ``ignored``) from ``params``; return it.

    ``q`` is the search text, trimmed. Each name in ``allowed`` takes the
    query string's value when it is one of ``allowed[name]``; a value that is
    not is left out and its name added to ``filters.ignored``, so the page
    can say which filter it ignored instead of failing. Blank means no filter.
    """
    # A NUL cannot be searched for (PostgreSQL refuses it in a query): drop it.
    filters.q = params.get("q", "")[:SEARCH_LENGTH].replace("\x00", "").strip()
    for name, values in allowed.items():
        value = params.get(name, "")
        if value == "":
            continue
        if value in values:
            setattr(filters, name, value)
        else:
            filters.ignored.append(name)
    return filters


def table_page(request, rows, filters, per_page=50):
    """Return (page, querystring) for a filtered table, warning about ignored filters.

    The querystring keeps the filters but not the page or export format, for
    the pager's and the export buttons' links.
    """
    if filters.ignored:
        messages.warning(
            request,
            _("Ignored filters with values that make no sense: %(names)s.")
            % {"names": ", ".join(filters.ignored)},
        )
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return page, query.urlencode()
