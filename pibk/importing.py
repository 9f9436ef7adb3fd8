"""Read a school's family register (CSV or XLSX) into families and pupils.

Pure: bytes in, families and row-level errors out, no database. The service
writes the register only when there is no error at all. One row per pupil:

    ID_KELUARGA, NAMA_PENJAGA, NAMA_MURID, TAHUN (or TINGKATAN), KELAS, SUKAN, ANUGERAH

(English headers FAMILY_ID, GUARDIAN, PUPIL, YEAR/FORM, CLASS, SPORTS, AWARD
work too). Siblings share an ID_KELUARGA and so make one family.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from schools.importing import RowError

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
MAX_ROWS = 20_000


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


def _header_key(text):
    return "_".join(str(text or "").strip().upper().replace("/", " ").replace("-", " ").split())


def _rows_from_bytes(data: bytes, filename: str):
    """Yield lists of cells, the header first, from a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets one message
            raise ValueError(_("This is not an Excel (.xlsx) file that can be read.")) from exc
        for row in sheet.iter_rows(values_only=True):
            yield ["" if cell is None else str(cell) for cell in row]
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


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
    errors: list = []
    try:
        rows = iter(_rows_from_bytes(data, filename))
        header = next(rows, None)
    except ValueError as exc:
        return RegisterResult([], [RowError(1, _("file"), str(exc))])
    if not header or not any(str(h).strip() for h in header):
        return RegisterResult([], [RowError(1, _("file"), _("the file is empty"))])
    positions = {}
    for index, raw in enumerate(header):
        name = _header_key(raw)
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
