"""Read an uploaded table (CSV or XLSX) safely: shared by every import of the portal.

Pure: bytes in, rows of text out, no database. What the bytes are decides,
not the file's name (an Excel file renamed .csv is read as Excel). Every
limit is checked before the expensive step it protects: the upload's size
before it is read (``upload_refusal``), an XLSX's declared uncompressed size
and its rows and cells before openpyxl opens it (a zip bomb, a sheet "used"
to row 1,048,576), a CSV's rows while it is read. Each import gives its own
``Limits`` with messages in its own words (a register, a candidate list).

First written for the PIBK family register (issue 11), moved here when PASR's
candidate import needed the same safeguards.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from schools.importing import RowError

SHEETS = "xl/worksheets/"
# How a row's and a cell's start tag begin, with or without a namespace prefix.
ROW_TAGS = (b"<row ", b"<row>", b"<row/", b":row ", b":row>", b":row/")
CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Excel 97-2003 (.xls)


class FileProblem(ValueError):
    """The file cannot be read at all; the message is for the user."""


class RowProblem(Exception):
    """A problem that stops reading the file, at a row."""

    def __init__(self, row, column, message):
        super().__init__(message)
        self.error = RowError(row, column, message)


@dataclass(frozen=True)
class Limits:
    """How much one import reads, and how it says a file is too big.

    ``too_many_lines()``, ``too_big(size_mb, limit_mb)``, ``too_many_columns(n, limit)``
    and ``too_many_cells()`` return the user's message.
    """

    max_lines: int  # rows read at most, empty ones and the header included
    max_columns: int
    max_uncompressed: int  # bytes an .xlsx may unpack to
    max_members: int
    max_cells: int
    too_many_lines: Callable[[], str]
    too_big: Callable[[str, int], str]
    too_many_columns: Callable[[int, int], str]
    too_many_cells: Callable[[], str]


def upload_refusal(upload, *, max_bytes: int, extensions=(".csv", ".xlsx", ".txt")):
    """Why an uploaded table is refused before it is read (a message), or None.

    The size the upload handler counted is checked, so nothing is read into
    memory when it is too big.
    """
    if not (upload.name or "").lower().endswith(tuple(extensions)):
        return _("Upload a .csv or .xlsx file.")
    if upload.size > max_bytes:
        return _("The file is larger than %(n)s MB.") % {"n": max_bytes // (1024 * 1024)}
    return None


def rows_from_bytes(data: bytes, filename: str, limits: Limits):
    """Yield lists of cells, the header first, from a CSV or XLSX file.

    Raises FileProblem with a message for the user when the file cannot be
    read at all; RowProblem for a problem at one row that stops the reading.
    """
    if data.startswith(ZIP_MAGIC):
        yield from _xlsx_rows(data, limits)
        return
    if data.startswith(OLE_MAGIC):
        raise FileProblem(
            _(
                "This is an old Excel (.xls) file: save it as Excel (.xlsx) or as CSV UTF-8 "
                "and upload that."
            )
        )
    if filename.lower().endswith(".xlsx"):
        raise FileProblem(_("This is not an Excel (.xlsx) file that can be read."))
    yield from _csv_rows(data, limits)


def _xlsx_rows(data: bytes, limits: Limits):
    """Yield an Excel file's rows, after refusing what would take a server's memory or minutes.

    A zip declares each member's uncompressed size and zipfile never inflates
    a member beyond it, so the sum is checked before openpyxl reads anything
    (it loads the shared strings whole). The sheet is then streamed and stops
    at ``max_lines`` rows and ``max_columns`` columns.
    """
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise FileProblem(_("This is not an Excel (.xlsx) file that can be read.")) from exc
    size = sum(member.file_size for member in members)
    if len(members) > limits.max_members or size > limits.max_uncompressed:
        raise FileProblem(
            limits.too_big(f"{size / 1e6:,.0f}", limits.max_uncompressed // 1_000_000)
        )
    try:
        _count_rows_and_cells(
            data, [m.filename for m in members if m.filename.startswith(SHEETS)], limits
        )
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        if sheet is None:
            raise FileProblem(_("This is not an Excel (.xlsx) file that can be read."))
        if (sheet.max_column or 0) > limits.max_columns:
            raise FileProblem(limits.too_many_columns(sheet.max_column, limits.max_columns))
        for line, row in enumerate(
            sheet.iter_rows(
                max_col=limits.max_columns, max_row=limits.max_lines + 1, values_only=True
            ),
            1,
        ):
            if line > limits.max_lines:
                raise RowProblem(line, _("file"), limits.too_many_lines())
            yield ["" if cell is None else _cell_text(cell) for cell in row]
    except (FileProblem, RowProblem):
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets one message
        raise FileProblem(_("This is not an Excel (.xlsx) file that can be read.")) from exc


def _cell_text(cell) -> str:
    """Return a cell as text; a date typed in Excel reads as YYYY-MM-DD, not with a time."""
    import datetime

    if isinstance(cell, datetime.datetime) and cell.time() == datetime.time(0):
        return cell.date().isoformat()
    return str(cell)


def _count_rows_and_cells(data: bytes, names, limits: Limits):
    """Refuse sheets with more rows or cells than the limits, from their XML, in one pass.

    openpyxl reads every sheet to its end when it has no <dimension>, so a
    sheet of empty rows would take it seconds per million; counting the
    tags of the inflated stream (at most ``max_uncompressed``) takes milliseconds.
    """
    rows = cells = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in names:
            tail = b""
            with archive.open(name) as member:
                while chunk := member.read(1 << 20):
                    text = tail + chunk
                    rows += sum(text.count(tag) for tag in ROW_TAGS)
                    cells += sum(text.count(tag) for tag in CELL_TAGS)
                    # Too short to hold a whole tag (5 bytes), long enough to
                    # start one that the next chunk ends: counted once, then.
                    tail = text[-4:]
    if rows > limits.max_lines:
        raise FileProblem(limits.too_many_lines())
    if cells > limits.max_cells:
        raise FileProblem(limits.too_many_cells())


def decode(data: bytes) -> str:
    """Return a CSV's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileProblem(_("This UTF-16 file cannot be read: save it as CSV UTF-8.")) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes, limits: Limits):
    text = decode(data)
    first = text.split("\n", 1)[0]
    if "\x00" in first:
        raise FileProblem(
            _(
                "The file has NUL characters, as UTF-16 text without a byte order mark has: "
                "save it as CSV UTF-8 and upload that."
            )
        )
    delimiter = max((",", ";", "\t"), key=first.count)
    for _line, row in csv_rows(text, max_lines=limits.max_lines, too_many=limits.too_many_lines,
                               delimiter=delimiter):  # fmt: skip
        yield row


def csv_rows(text: str, *, max_lines: int, too_many, delimiter: str = ","):
    """Yield ``(line, cells)`` of a CSV text, ``line`` being the row's first line in the file.

    Raise RowProblem at the row that cannot be read (a cell longer than
    ``csv``'s field limit is named, not raised), or once more than
    ``max_lines`` lines are read (``too_many()`` gives the message).
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                message = _("a cell is longer than %(n)s characters") % {
                    "n": f"{csv.field_size_limit():,}"
                }
            else:
                message = _("the CSV cannot be read here (%(error)s)") % {"error": exc}
            raise RowProblem(line, _("file"), message) from exc
        if reader.line_num > max_lines:
            raise RowProblem(reader.line_num, _("file"), too_many())
        yield line, row


def decode_utf8(data: bytes) -> str:
    """Return UTF-8 text (a byte order mark dropped); FileProblem naming the first bad line.

    For files the portal's own people prepare (the NOSS registry); uploads from
    schools go through ``decode``, which also takes what spreadsheets save.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            _("Line %(line)s is not UTF-8 text: save the file as CSV UTF-8 and try again.")
            % {"line": line}
        ) from exc


def too_big(size: int, limit: int) -> str:
    """Return the message for a file of ``size`` bytes over ``limit``."""
    return _("The file is %(size)s MB; at most %(limit)s MB is read.") % {
        "size": f"{size / 1e6:,.1f}",
        "limit": f"{limit / 1e6:,.0f}",
    }


def header_key(text) -> str:
    """Return a column heading as a key: "Tarikh lahir" and "TARIKH-LAHIR" give TARIKH_LAHIR."""
    return "_".join(str(text or "").strip().upper().replace("/", " ").replace("-", " ").split())
