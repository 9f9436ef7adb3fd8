"""Read a school's family register (CSV or XLSX) into families and pupils.

Pure: bytes in, families and row-level errors out, no database. The service
writes the register only when there is no error at all. One row per pupil:

    ID_KELUARGA, NAMA_PENJAGA, NAMA_MURID, TAHUN (or TINGKATAN), KELAS, SUKAN, ANUGERAH

(English headers FAMILY_ID, GUARDIAN, PUPIL, YEAR/FORM, CLASS, SPORTS, AWARD
work too). Siblings share an ID_KELUARGA and so make one family.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from schools.importing import RowError
from ssqs_portal import tabular
from ssqs_portal.tabular import FileProblem, RowProblem

from .rules import normalise_year_group

COLUMNS = {
    "family": ("ID_KELUARGA", "KELUARGA", "NO_KELUARGA", "FAMILY_ID", "FAMILY"),
    "guardian": ("NAMA_PENJAGA", "PENJAGA", "IBU_BAPA_PENJAGA", "GUARDIAN", "PARENT"),
    "pupil": ("NAMA_MURID", "MURID", "PUPIL", "PUPIL_NAME", "NAME", "NAMA"),
    "year": ("TAHUN", "TINGKATAN", "TAHUN_TINGKATAN", "YEAR", "FORM", "YEAR_FORM"),
    "class": ("KELAS", "CLASS"),
    "sports": ("SUKAN", "SPORTS", "PESERTA_SUKAN"),
    "award": ("ANUGERAH", "AWARD", "PENERIMA_ANUGERAH"),
}
REQUIRED = ("family", "pupil", "year")
YES = {"YA", "Y", "YES", "1", "TRUE", "/", "X", "✓"}
NO = {"", "TIDAK", "T", "N", "NO", "0", "FALSE", "-"}
MAX_ROWS = 20_000  # pupils in one file: four times the largest school's
# Rows read at most, empty ones and the header included (a sheet "used" to
# row 1,048,576 would otherwise be read to its end).
MAX_LINES = MAX_ROWS + 5_000
MAX_COLUMNS = 50  # the register has 7; room for notes, not for a sheet to XFD
# The most an .xlsx may unpack to: a full register (MAX_ROWS pupils, every
# column filled) is about 9 MB; a zip bomb is hundreds of MB (issue 11).
MAX_UNCOMPRESSED = 25_000_000
MAX_MEMBERS = 200
MAX_CELLS = MAX_ROWS * 20  # a full register has 7 cells a row


@dataclass
class PupilRecord:
    name: str
    year_group: str
    class_name: str = ""
    sports: bool = False
    award: bool = False


@dataclass
class FamilyRecord:
    key: str
    guardian: str = ""
    pupils: list = field(default_factory=list)


@dataclass
class RegisterResult:
    families: list
    errors: list
    rows: int = 0


def _too_big(size, limit):
    return _(
        "This Excel file unpacks to %(size)s MB uncompressed; a register unpacks to at "
        "most %(limit)s MB. Keep only the register's sheet and columns, or save it as CSV."
    ) % {"size": size, "limit": limit}


def _too_many_columns(n, limit):
    return _(
        "The sheet has %(n)s columns; a register has at most %(limit)s. Delete the "
        "columns to the right of the register's."
    ) % {"n": n, "limit": limit}


def _too_many_cells():
    return _(
        "The file has more than %(n)s cells; a register has at most %(pupils)s pupils "
        "in 7 columns. Keep only the register's sheet and columns."
    ) % {"n": f"{MAX_CELLS:,}", "pupils": f"{MAX_ROWS:,}"}


def too_many_lines():
    return _(
        "the file has more than %(n)s rows, empty ones included; a register has at most "
        "%(pupils)s pupils. Delete the empty rows below the register."
    ) % {"n": f"{MAX_LINES:,}", "pupils": f"{MAX_ROWS:,}"}


LIMITS = tabular.Limits(
    max_lines=MAX_LINES,
    max_columns=MAX_COLUMNS,
    max_uncompressed=MAX_UNCOMPRESSED,
    max_members=MAX_MEMBERS,
    max_cells=MAX_CELLS,
    too_many_lines=too_many_lines,
    too_big=_too_big,
    too_many_columns=_too_many_columns,
    too_many_cells=_too_many_cells,
)


def _flag(value, line, column, errors):
    text = str(value or "").strip().upper()
    if text in YES:
        return True
    if text in NO:
        return False
    errors.append(RowError(line, column, _("'%(value)s' is not YA or TIDAK") % {"value": value}))
    return False


def parse_register(data: bytes, filename: str, level: str) -> RegisterResult:
    """Return the register's families and every row-level error; nothing is half-read."""
    rows = iter(tabular.rows_from_bytes(data, filename, LIMITS))
    try:
        header = next(rows, None)
    except FileProblem as exc:
        return RegisterResult([], [RowError(1, _("file"), str(exc))])
    except RowProblem as exc:
        return RegisterResult([], [exc.error])
    try:
        return _parse_rows(header, rows, level)
    except FileProblem as exc:
        return RegisterResult([], [RowError(1, _("file"), str(exc))])
    except RowProblem as exc:
        return RegisterResult([], [exc.error])


def _parse_rows(header, rows, level) -> RegisterResult:
    errors: list = []
    if not header or not any(str(h).strip() for h in header):
        return RegisterResult([], [RowError(1, _("file"), _("the file is empty"))])
    positions = {}
    for index, raw in enumerate(header):
        name = tabular.header_key(raw)
        if not name:
            continue
        field_name = next((f for f, aliases in COLUMNS.items() if name in aliases), None)
        if field_name is None:
            errors.append(RowError(1, str(raw), _("unknown column")))
        elif field_name in positions:
            errors.append(RowError(1, str(raw), _("the column appears twice")))
        else:
            positions[field_name] = index
    for field_name in REQUIRED:
        if field_name not in positions:
            errors.append(RowError(1, COLUMNS[field_name][0], _("required column is missing")))
    if errors:
        return RegisterResult([], errors)

    families: dict[str, FamilyRecord] = {}
    seen_pupils: dict[tuple, int] = {}
    count = 0
    for line, row in enumerate(rows, start=2):
        cells = {f: (row[i] if i < len(row) else "") for f, i in positions.items()}
        cells = {f: str(v or "").strip() for f, v in cells.items()}
        if not any(cells.values()):
            continue  # a blank line
        nul = [f for f, value in cells.items() if "\x00" in value]
        if nul:  # no database text can hold it (PostgreSQL refuses the row)
            errors.extend(
                RowError(line, COLUMNS[f][0], _("the cell has a NUL character: retype it"))
                for f in nul
            )
            continue
        count += 1
        if count > MAX_ROWS:
            errors.append(
                RowError(line, _("file"), _("more than %(n)s pupils in one file") % {"n": MAX_ROWS})
            )
            break
        before = len(errors)
        key = cells["family"].upper()[:40]
        if not key:
            errors.append(RowError(line, COLUMNS["family"][0], _("the family identifier is blank")))
        name = cells["pupil"][:120]
        if not name:
            errors.append(RowError(line, COLUMNS["pupil"][0], _("the pupil's name is blank")))
        year_group = normalise_year_group(cells["year"], level)
        if year_group is None:
            errors.append(
                RowError(
                    line,
                    COLUMNS["year"][0],
                    (
                        _("'%(value)s' is not a year of a primary school (PRA, 1-6)")
                        if level == "primary"
                        else _("'%(value)s' is not a form of a secondary school (Peralihan, T1-T6)")
                    )
                    % {"value": cells["year"]},
                )
            )
        sports = _flag(cells.get("sports"), line, COLUMNS["sports"][0], errors)
        award = _flag(cells.get("award"), line, COLUMNS["award"][0], errors)
        guardian = cells.get("guardian", "")[:120]
        if len(errors) > before:
            continue
        family = families.setdefault(key, FamilyRecord(key, guardian))
        if guardian and family.guardian and guardian.upper() != family.guardian.upper():
            errors.append(
                RowError(
                    line,
                    COLUMNS["guardian"][0],
                    _("family %(key)s is also given as '%(other)s'")
                    % {"key": key, "other": family.guardian},
                )
            )
            continue
        family.guardian = family.guardian or guardian
        twin = (key, name.upper(), year_group)
        if twin in seen_pupils:
            errors.append(
                RowError(
                    line,
                    COLUMNS["pupil"][0],
                    _("the same pupil is already on row %(row)s") % {"row": seen_pupils[twin]},
                )
            )
            continue
        seen_pupils[twin] = line
        family.pupils.append(
            PupilRecord(name, year_group, cells.get("class", "")[:40], sports, award)
        )
    if not errors and not families:
        errors.append(RowError(2, _("file"), _("the file has no pupils")))
    return RegisterResult([] if errors else list(families.values()), errors, count)
