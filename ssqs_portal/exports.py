"""Spreadsheet downloads of a table: CSV streamed, XLSX written row by row. Memory stays flat.

Every value a user could have typed (a school's name, a comment) is made inert
here, once, for every export: a text starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would be read by Excel or LibreOffice as a formula
(``=HYPERLINK(...)``, ``=cmd|...``), so it gets a leading apostrophe, as OWASP
recommends. Numbers stay numbers.

Values are shown as the page shows them, in the active language: yes/no for
booleans, times in the portal's time zone (Malaysia) to the second, never a
Python spelling (``False``, ``None``, ``+00:00``, microseconds). Headers may
be lazy translations. XLSX columns are as wide as their widest early value.
"""

import csv
import datetime
import io
import tempfile
from decimal import Decimal
from itertools import chain, islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

# Rows are sent in chunks of about this many characters: one chunk a row made
# the national respondent export (635,000 rows) spend most of its time passing
# chunks along, and a server would make one socket write for each.
CHUNK = 64 * 1024

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return ``value`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


PLAIN = frozenset({int, str, float, Decimal})


def readable(value):
    """Return ``value`` as a spreadsheet should show it, in the active language."""
    if value.__class__ in PLAIN:  # most values: the national export has millions
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, Promise):
        return str(value)
    return value


def labelled_rows(queryset, columns, labels=None, chunk_size=2000):
    """Yield the export rows of ``queryset``: one value per (header, field) of ``columns``.

    A field listed in ``labels`` (field -> {stored value: label}) shows its label,
    as the page does, instead of its stored code ("in_progress").
    """
    fields = [field for _header, field in columns]
    maps = [(labels or {}).get(field) for field in fields]
    for values in queryset.values_list(*fields).iterator(chunk_size=chunk_size):
        yield [
            label.get(v, v) if label is not None and v is not None else v
            for v, label in zip(values, maps, strict=True)
        ]


def csv_response(headers, rows, filename) -> StreamingHttpResponse:
    """Stream ``rows`` (an iterator of lists) as a CSV download with a BOM for Excel."""
    language = translation.get_language()

    def stream():
        # The rows are written while the response is sent, after the view has
        # returned: in the request's language all the same.
        with translation.override(language):
            yield from _csv_chunks(headers, rows)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _csv_chunks(headers, rows):
    def text(value):
        value = readable(value)
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return neutralise(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([text(v) for v in headers])
    for row in rows:
        writer.writerow([text(v) for v in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


WIDTH_SAMPLE = 500  # rows looked at to size the XLSX columns
MAX_WIDTH = 60


def _widths(headers, rows):
    """Return each column's width in characters: its widest value among ``rows``, capped."""
    widths = [len(str(h)) for h in headers]
    for row in rows:
        for n, value in enumerate(row[: len(widths)]):
            value = readable(value)
            size = 19 if isinstance(value, datetime.datetime) else len(str(value))
            widths[n] = max(widths[n], size)
    return [min(MAX_WIDTH, w + 2) for w in widths]


def xlsx_response(headers, rows, filename, sheet_name) -> FileResponse:
    """Write ``rows`` to an XLSX download in openpyxl's write-only mode (rows go to disk)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)

    def cell(value):
        value = readable(value)
        if hasattr(value, "quantize"):
            return float(value)  # Decimals as numbers a spreadsheet can add up.
        if isinstance(value, datetime.datetime):
            dated = WriteOnlyCell(sheet, value)
            dated.number_format = "yyyy-mm-dd hh:mm:ss"
            return dated
        # openpyxl stores a text starting with "=" as a formula; neutralised, none does.
        return neutralise(value)

    headers = [readable(h) for h in headers]
    rows = iter(rows)
    first = list(islice(rows, WIDTH_SAMPLE))
    for n, width in enumerate(_widths(headers, first), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.append([cell(v) for v in headers])
    for row in chain(first, rows):
        sheet.append([cell(v) for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store, private"
    return response
