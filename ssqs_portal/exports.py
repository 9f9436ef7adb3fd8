"""Spreadsheet downloads of a table: CSV streamed, XLSX written row by row. Memory stays flat.

Every value a user could have typed (a school's name, a comment) is made inert
here, once, for every export: a text starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would be read by Excel or LibreOffice as a formula
(``=HYPERLINK(...)``, ``=cmd|...``), so it gets a leading apostrophe, as OWASP
recommends. Numbers stay numbers.
"""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse

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


def csv_response(headers, rows, filename) -> StreamingHttpResponse:
    """Stream ``rows`` (an iterator of lists) as a CSV download with a BOM for Excel."""

    def stream():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow([neutralise(v) for v in headers])
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def xlsx_response(headers, rows, filename, sheet_name) -> FileResponse:
    """Write ``rows`` to an XLSX download in openpyxl's write-only mode (rows go to disk)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)

    def cell(value):
        if hasattr(value, "quantize"):
            return float(value)  # Decimals as numbers a spreadsheet can add up.
        # openpyxl stores a text starting with "=" as a formula; neutralised, none does.
        return neutralise(value)

    sheet.append([cell(v) for v in headers])
    for row in rows:
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
