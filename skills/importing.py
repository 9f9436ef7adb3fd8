"""Read an intake's trainee list (CSV or XLSX) into records and row-level errors.

Pure: bytes in, records out, no database. The service enrols them only when
the whole file is free of errors. Columns (a header row, any order):

    id_number, name, email        (also NO_KP / NAMA / EMEL)

The reading itself (size and zip-bomb limits, decoding) is the portal's
shared ``ssqs_portal.tabular``.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from schools.importing import RowError
from ssqs_portal import tabular

from .rules import normalise_id

COLUMNS = {
    "id_number": ("ID_NUMBER", "NO_KP", "NO_MYKAD", "MYKAD", "IC", "NO_PENGENALAN", "IDENTITY"),
    "name": ("NAME", "NAMA", "NAMA_PELATIH", "TRAINEE"),
    "email": ("EMAIL", "E_MAIL", "EMEL"),
}
REQUIRED = ("id_number", "name")
MAX_ROWS = 1_000  # trainees in one file: an intake has tens
MAX_LINES = MAX_ROWS + 500  # empty rows and the header included
MAX_COLUMNS = 20
MAX_UNCOMPRESSED = 5_000_000  # a full list (1,000 rows) unpacks to well under 1 MB
MAX_MEMBERS = 100
MAX_CELLS = MAX_ROWS * 10
MAX_NAME = 200  # Trainee.name
MAX_EMAIL = 254


@dataclass(frozen=True)
class TraineeRecord:
    line: int
    id_number: str
    name: str
    email: str = ""


@dataclass
class ListResult:
    records: list
    errors: list


def _too_many_lines():
    return _(
        "the file has more than %(n)s rows, empty ones included; a trainee list has at most "
        "%(max)s trainees. Delete the empty rows below the list."
    ) % {"n": f"{MAX_LINES:,}", "max": f"{MAX_ROWS:,}"}


def _too_big(size, limit):
    return _(
        "This Excel file unpacks to %(size)s MB uncompressed; a trainee list unpacks to at most "
        "%(limit)s MB. Keep only the list's sheet and columns, or save it as CSV."
    ) % {"size": size, "limit": limit}


def _too_many_columns(n, limit):
    return _(
        "The sheet has %(n)s columns; a trainee list has at most %(limit)s. Delete the columns "
        "to the right of the list's."
    ) % {"n": n, "limit": limit}


def _too_many_cells():
    return _(
        "The file has more than %(n)s cells; a trainee list has at most %(max)s trainees in 3 "
        "columns. Keep only the list's sheet and columns."
    ) % {"n": f"{MAX_CELLS:,}", "max": f"{MAX_ROWS:,}"}


LIMITS = tabular.Limits(
    max_lines=MAX_LINES,
    max_columns=MAX_COLUMNS,
    max_uncompressed=MAX_UNCOMPRESSED,
    max_members=MAX_MEMBERS,
    max_cells=MAX_CELLS,
    too_many_lines=_too_many_lines,
    too_big=_too_big,
    too_many_columns=_too_many_columns,
    too_many_cells=_too_many_cells,
)


def parse_trainees(data: bytes, filename: str) -> ListResult:
    """Return the file's trainees and every row-level error; no record if there is any error."""
    rows = iter(tabular.rows_from_bytes(data, filename, LIMITS))
    try:
        header = next(rows, None)
        return _parse_rows(header, rows)
    except tabular.FileProblem as exc:
        return ListResult([], [RowError(1, _("file"), str(exc))])
    except tabular.RowProblem as exc:
        return ListResult([], [exc.error])


def _parse_rows(header, rows) -> ListResult:
    errors: list = []
    if not header or not any(str(h).strip() for h in header):
        return ListResult([], [RowError(1, _("file"), _("the file is empty"))])
    positions = {}
    for index, raw in enumerate(header):
        name = tabular.header_key(raw)
        if not name:
            continue
        field_name = next((f for f, aliases in COLUMNS.items() if name in aliases), None)
        if field_name is None:
            errors.append(RowError(1, str(raw)[:40], _("unknown column")))
        elif field_name in positions:
            errors.append(RowError(1, str(raw)[:40], _("the column appears twice")))
        else:
            positions[field_name] = index
    for field_name in REQUIRED:
        if field_name not in positions:
            errors.append(
                RowError(1, COLUMNS[field_name][0].lower(), _("required column is missing"))
            )
    if errors:
        return ListResult([], errors)

    records: list[TraineeRecord] = []
    seen: dict[str, int] = {}
    count = 0
    for line, row in enumerate(rows, start=2):
        cells = {f: str(row[i] if i < len(row) else "").strip() for f, i in positions.items()}
        if not any(cells.values()):
            continue  # a blank line
        nul = [f for f, value in cells.items() if "\x00" in value]
        if nul:  # no database text can hold it
            errors.extend(
                RowError(line, f, _("the cell has a NUL character: retype it")) for f in nul
            )
            continue
        count += 1
        if count > MAX_ROWS:
            errors.append(
                RowError(
                    line, _("file"), _("more than %(n)s trainees in one file") % {"n": MAX_ROWS}
                )
            )
            break
        before = len(errors)
        digits = normalise_id(cells["id_number"])
        if digits is None:
            message = _("'%(value)s' is not a 12-digit identity number") % {
                "value": cells["id_number"][:30]
            }
            if cells["id_number"].isdecimal() and len(cells["id_number"]) < 12:
                message += " " + _("(Excel drops leading zeros: format the column as text)")
            errors.append(RowError(line, "id_number", message))
        name = " ".join(cells["name"].split())
        if not name:
            errors.append(RowError(line, "name", _("the name is blank")))
        elif len(name) > MAX_NAME:
            errors.append(
                RowError(
                    line, "name", _("the name is longer than %(n)s characters") % {"n": MAX_NAME}
                )
            )
        email = cells.get("email", "")
        if email:
            try:
                if len(email) > MAX_EMAIL:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(line, "email", _("'%(value)s' is not an e-mail address")
                             % {"value": email[:60]})
                )  # fmt: skip
        if len(errors) > before:
            continue
        if digits in seen:
            errors.append(
                RowError(line, "id_number", _("the same identity number is already on row %(row)s")
                         % {"row": seen[digits]})
            )  # fmt: skip
            continue
        seen[digits] = line
        records.append(TraineeRecord(line, digits, name, email))
    if not errors and not records:
        errors.append(RowError(2, _("file"), _("the file has no trainees")))
    return ListResult([] if errors else records, errors)
