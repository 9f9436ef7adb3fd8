"""Spreadsheet downloads of a table: CSV streamed, XLSX written row by row. Memory stays flat."""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse

# Rows are sent in chunks of about this many characters: one chunk a row made
# the national respondent export (635,000 rows) spend most of its time passing
# chunks along, and a server would make one socket write for each.
CHUNK = 64 * 1024


def csv_response(headers, rows, filename) -> StreamingHttpResponse:
    """Stream ``rows`` (an iterator of lists) as a CSV download with a BOM for Excel."""

    def stream():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(row)
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(headers, rows, filename, sheet_name) -> FileResponse:
    """Write ``rows`` to an XLSX download in openpyxl's write-only mode (rows go to disk)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(headers)
    for row in rows:
        # Decimals as numbers a spreadsheet can add up.
        sheet.append([float(v) if hasattr(v, "quantize") else v for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
