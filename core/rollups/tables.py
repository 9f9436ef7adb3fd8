"""A node's school table: search, filters, sorting, paging and CSV/XLSX, for any programme.

A programme describes its table once (``SchoolTable``): its sorts, its
filters as {name: {value: condition}}, its export columns. The rows are the
programme's per-school rows (with ``school`` and ``district`` foreign keys)
under the node, already scoped by the caller.
"""

from types import SimpleNamespace

from django.db.models import F, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from schools.models import School
from ssqs_portal.exports import csv_response, labelled_rows, xlsx_response
from ssqs_portal.filters import clean_choices, table_page

# Every table sorts by school code (the default) and name, and filters by school level.
BY_SCHOOL = {"code": F("school__code").asc(), "name": F("school__name").asc()}
BY_LEVEL = {"level": {level: Q(school__level=level) for level in ("primary", "secondary")}}
# Every export starts with the school and where it is.
SCHOOL_COLUMNS = [
    (_("School code"), "school__code"),
    (_("School"), "school__name"),
    (_("District (PPD)"), "district__name"),
    (_("State"), "state__name"),
    (_("Level"), "school__level"),
]


class SchoolTable:
    """``sorts``: {name: order expression} besides code (the default) and name;
    ``filters``: {name: {value: Q}} besides the level; ``columns``: [(header,
    field)] of the exports after the school's (``SCHOOL_COLUMNS``); ``labels``:
    {field: {stored value: label}} for coded values, shown as on the page."""

    def __init__(self, *, sorts: dict, filters: dict, columns: list, labels: dict | None = None):
        self.sorts = {**BY_SCHOOL, **sorts}
        self.filters = {**BY_LEVEL, **filters}
        self.columns = [*SCHOOL_COLUMNS, *columns]
        self.labels = {"school__level": dict(School.Level.choices), **(labels or {})}

    def clean(self, params, **more_filters):
        """Return the filters asked for (``filters.q``, ``.sort``, one per filter, ``.ignored``).

        Nonsense values are dropped and their names listed in ``ignored``.
        ``more_filters`` adds filters whose values come from the data (e.g.
        the school types present).
        """
        filters = {**more_filters, **self.filters}
        cleaned = SimpleNamespace(
            q="", sort=next(iter(self.sorts)), ignored=[], **dict.fromkeys(filters, "")
        )
        return clean_choices(cleaned, params, {**filters, "sort": self.sorts})

    def rows(self, rows, filters, **more_filters):
        """Return ``rows`` matching ``filters``, sorted (then by code), with their schools."""
        rows = rows.select_related("school", "district")
        if filters.q:
            rows = rows.filter(
                Q(school__code__istartswith=filters.q) | Q(school__name__icontains=filters.q)
            )
        for name, conditions in {**self.filters, **more_filters}.items():
            value = getattr(filters, name)
            if value:
                rows = rows.filter(conditions[value])
        return rows.order_by(self.sorts[filters.sort], "school__code")

    def export_rows(self, rows):
        return labelled_rows(rows, self.columns, self.labels)

    def export(self, rows, kind: str, filename: str, sheet: str):
        """Return the rows as a CSV (streamed) or XLSX download named ``filename.<kind>``."""
        headers = [header for header, _field in self.columns]
        if kind == "csv":
            return csv_response(headers, self.export_rows(rows), f"{filename}.csv")
        return xlsx_response(headers, self.export_rows(rows), f"{filename}.xlsx", sheet)

    def response(self, request, rows, filters, *, template, context, filename, sheet):
        """Answer the table's page (paged) or, with ?format=csv|xlsx, its download."""
        kind = request.GET.get("format")
        if kind in ("csv", "xlsx"):
            return self.export(rows, kind, filename, sheet)
        page, querystring = table_page(request, rows, filters)
        return render(
            request,
            template,
            {**context, "page": page, "filters": filters, "querystring": querystring},
        )
