"""Cleaning a table's filters from a query string (shared by every programme's school table)."""

SEARCH_LENGTH = 100


def clean_choices(filters, params, allowed: dict):
    """Fill ``filters`` (a dataclass with ``q`` and ``ignored``) from ``params``; return it.

    ``q`` is the search text, trimmed. Each name in ``allowed`` takes the
    query string's value when it is one of ``allowed[name]``; a value that is
    not is left out and its name added to ``filters.ignored``, so the page
    can say which filter it ignored instead of failing. Blank means no filter.
    """
    filters.q = params.get("q", "")[:SEARCH_LENGTH].strip()
    for name, values in allowed.items():
        value = params.get(name, "")
        if value == "":
            continue
        if value in values:
            setattr(filters, name, value)
        else:
            filters.ignored.append(name)
    return filters
