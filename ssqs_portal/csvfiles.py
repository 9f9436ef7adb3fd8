"""Reading uploaded or imported CSV files: the pieces every importer shares.

PIBK's family register (``pibk.importing``) and the NOSS registry
(``skills.noss``) read CSV the same way: rows with their line numbers, a cap
on the lines read, a cell longer than ``csv``'s field limit named instead of
raised, and problems reported as a ``schools.importing.RowError`` (row,
column, message). Each importer keeps its own decoding policy: the register
accepts what spreadsheets save (UTF-16, Windows-1252), the registry only UTF-8.
"""

import csv
import io

from django.utils.translation import gettext as _


class FileProblem(ValueError):
    """The file cannot be read at all; the message is for the user."""


class RowProblem(Exception):
    """A problem that stops reading the file, at a row."""

    def __init__(self, row, column, message):
        from schools.importing import RowError

        super().__init__(message)
        self.error = RowError(row, column, message)


def too_big(size: int, limit: int) -> str:
    """Return the message for a file of ``size`` bytes over ``limit``."""
    return _("The file is %(size)s MB; at most %(limit)s MB is read.") % {
        "size": f"{size / 1e6:,.1f}",
        "limit": f"{limit / 1e6:,.0f}",
    }


def decode_utf8(data: bytes) -> str:
    """Return UTF-8 text (a byte order mark dropped); FileProblem naming the first bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            _("Line %(line)s is not UTF-8 text: save the file as CSV UTF-8 and try again.")
            % {"line": line}
        ) from exc


def csv_rows(text: str, *, max_lines: int, too_many, delimiter: str = ","):
    """Yield ``(line, cells)`` of a CSV text, ``line`` being the row's first line in the file.

    Raise RowProblem at the row that cannot be read, or once more than
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
