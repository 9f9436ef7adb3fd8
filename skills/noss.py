"""Read a NOSS registry CSV into standards and their competency units (CU).

Pure: bytes in, records and every row-level error out, no database (the codes
of the standards already stored are passed in, for ``supersedes``). The
service ``skills.services.registry.noss_import`` writes only when there is no
error at all. One row per CU, the standard's columns repeated on each:

    standard_code, standard_title_ms, standard_title_en, sector_code,
    sector_name_ms, sector_name_en, level, version, supersedes,
    cu_code, cu_title_ms, cu_title_en, cu_hours

Lines starting with ``#`` before the header are comments (the demo file says
there that it is demo data).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from schools.importing import RowError
from ssqs_portal.tabular import FileProblem, RowProblem, csv_rows, decode_utf8, too_big

from . import rules

COLUMNS = (
    "standard_code", "standard_title_ms", "standard_title_en", "sector_code",
    "sector_name_ms", "sector_name_en", "level", "version", "supersedes",
    "cu_code", "cu_title_ms", "cu_title_en", "cu_hours",
)  # fmt: skip
# Columns that may be blank: a first version supersedes nothing.
OPTIONAL = {"version", "supersedes"}
# The columns that describe the standard (or its sector): the same on each of its rows.
STANDARD_COLUMNS = COLUMNS[:9]
# The model's lengths (skills.models): a longer value is named, not cut.
LENGTHS = {
    "standard_code": 30, "standard_title_ms": 250, "standard_title_en": 250, "sector_code": 10,
    "sector_name_ms": 150, "sector_name_en": 150, "version": 10, "supersedes": 30,
    "cu_code": 40, "cu_title_ms": 250, "cu_title_en": 250,
}  # fmt: skip
MAX_BYTES = 10_000_000  # the official registry (about 2,000 standards) is a few MB
MAX_LINES = 100_000
MAX_CU_HOURS = 10_000  # a CU is tens to a few hundred hours


@dataclass
class UnitRecord:
    code: str
    title_ms: str
    title_en: str
    hours: int
    order: int


@dataclass
class StandardRecord:
    code: str
    title_ms: str
    title_en: str
    sector_code: str
    sector_name_ms: str
    sector_name_en: str
    level: int
    version: str
    supersedes: str
    line: int  # its first row
    units: list = field(default_factory=list)


@dataclass
class NossFile:
    standards: list
    errors: list
    rows: int = 0


def too_many_lines():
    return _("the file has more than %(n)s lines") % {"n": f"{MAX_LINES:,}"}


def parse_noss(data: bytes, existing_codes=frozenset()) -> NossFile:
    """Return the file's standards and every row-level error (then no standard at all)."""
    if len(data) > MAX_BYTES:
        return NossFile([], [RowError(1, _("file"), too_big(len(data), MAX_BYTES))])
    try:
        text = decode_utf8(data)
    except FileProblem as exc:
        return NossFile([], [RowError(1, _("file"), str(exc))])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return NossFile([], [RowError(line, _("file"), _("the file has a NUL character"))])
    try:
        return _parse(csv_rows(text, max_lines=MAX_LINES, too_many=too_many_lines),
                      existing_codes)  # fmt: skip
    except RowProblem as exc:
        return NossFile([], [exc.error])


def _header(rows):
    """Return (line, header cells) after the leading comments and blank lines, or None."""
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        return line, row
    return None


def _parse(rows, existing_codes) -> NossFile:
    rows = iter(rows)
    found = _header(rows)
    if found is None:
        return NossFile([], [RowError(1, _("file"), _("the file is empty"))])
    header_line, header = found
    errors: list[RowError] = []
    positions = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in COLUMNS:
            errors.append(RowError(header_line, raw.strip()[:40], _("unknown column")))
        elif name in positions:
            errors.append(RowError(header_line, name, _("the column appears twice")))
        else:
            positions[name] = index
    for name in COLUMNS:
        if name not in positions:
            errors.append(RowError(header_line, name, _("required column is missing")))
    if errors:
        return NossFile([], errors)

    standards: dict[str, StandardRecord] = {}
    sectors: dict[str, tuple] = {}  # code -> (names, line)
    unit_lines: dict[tuple, int] = {}
    count = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        cells = {n: (row[i].strip() if i < len(row) else "") for n, i in positions.items()}
        row_errors = _check_row(line, cells, len(row) > len(header))
        if row_errors:
            errors.extend(row_errors)
            continue
        code = cells["standard_code"]
        standard = standards.get(code)
        if standard is None:
            standard = standards[code] = StandardRecord(
                code=code, title_ms=cells["standard_title_ms"],
                title_en=cells["standard_title_en"], sector_code=cells["sector_code"],
                sector_name_ms=cells["sector_name_ms"], sector_name_en=cells["sector_name_en"],
                level=int(cells["level"]), version=cells["version"],
                supersedes=cells["supersedes"], line=line,
            )  # fmt: skip
        else:
            errors.extend(_differences(line, standard, cells))
        names = (cells["sector_name_ms"], cells["sector_name_en"])
        sector = sectors.setdefault(cells["sector_code"], (names, line))
        if sector[0] != names:
            errors.append(
                RowError(line, "sector_name_ms",
                         _("sector %(code)s is named differently on row %(row)s")
                         % {"code": cells["sector_code"], "row": sector[1]})
            )  # fmt: skip
        key = (code, cells["cu_code"])
        if key in unit_lines:
            errors.append(
                RowError(line, "cu_code",
                         _("%(cu)s is already a CU of %(standard)s on row %(row)s")
                         % {"cu": cells["cu_code"], "standard": code, "row": unit_lines[key]})
            )  # fmt: skip
            continue
        unit_lines[key] = line
        standard.units.append(
            UnitRecord(cells["cu_code"], cells["cu_title_ms"], cells["cu_title_en"],
                       int(cells["cu_hours"]), len(standard.units) + 1)
        )  # fmt: skip
    errors.extend(_supersedes_errors(standards, existing_codes))
    if not errors and not standards:
        errors.append(RowError(header_line + 1, _("file"), _("the file has no standard")))
    errors.sort(key=lambda e: e.row)
    return NossFile([] if errors else list(standards.values()), errors, count)


def _check_row(line, cells, extra_cells) -> list[RowError]:
    errors = []

    def fail(column, message):
        errors.append(RowError(line, column, message))

    if extra_cells:
        fail(_("file"), _("the row has more values than the header has columns"))
    for name in COLUMNS:
        value = cells[name]
        if not value and name not in OPTIONAL:
            fail(name, _("the value is blank"))
        elif name in LENGTHS and len(value) > LENGTHS[name]:
            fail(name, _("longer than %(n)s characters") % {"n": LENGTHS[name]})
    code = cells["standard_code"]
    code_level = rules.standard_code_level(code)
    if code and len(code) <= LENGTHS["standard_code"] and code_level is None:
        fail("standard_code",
             _("'%(code)s' is not a NOSS code (e.g. IT-010-3:2016 or A011-001-2:2018)")
             % {"code": code})  # fmt: skip
    level = cells["level"]
    if level:
        if not (level.isascii() and level.isdigit() and 1 <= int(level) <= 5):
            fail("level", _("'%(value)s' is not a level from 1 to 5") % {"value": level[:20]})
        elif code_level is not None and int(level) != code_level:
            fail("level", _("level %(level)s, but the code %(code)s says level %(code_level)s")
                 % {"level": level, "code": code, "code_level": code_level})  # fmt: skip
    hours = cells["cu_hours"]
    if hours and not (hours.isascii() and hours.isdigit() and 0 < int(hours) <= MAX_CU_HOURS):
        fail("cu_hours",
             _("'%(value)s' is not a whole number of hours from 1 to %(max)s")
             % {"value": hours[:20], "max": f"{MAX_CU_HOURS:,}"})  # fmt: skip
    supersedes = cells["supersedes"]
    if supersedes and len(supersedes) <= LENGTHS["supersedes"]:
        if rules.standard_code_level(supersedes) is None:
            fail("supersedes", _("'%(code)s' is not a NOSS code") % {"code": supersedes})
        elif supersedes == code:
            fail("supersedes", _("a standard cannot supersede itself"))
    return errors


def _differences(line, standard: StandardRecord, cells) -> list[RowError]:
    """The standard's columns that differ from its first row."""
    first = {
        "standard_title_ms": standard.title_ms, "standard_title_en": standard.title_en,
        "sector_code": standard.sector_code, "sector_name_ms": standard.sector_name_ms,
        "sector_name_en": standard.sector_name_en, "level": str(standard.level),
        "version": standard.version, "supersedes": standard.supersedes,
    }  # fmt: skip
    return [
        RowError(line, name,
                 _("differs from row %(row)s of %(code)s ('%(value)s')")
                 % {"row": standard.line, "code": standard.code, "value": value[:60]})
        for name, value in first.items()
        if cells[name] != value
    ]  # fmt: skip


def _supersedes_errors(standards: dict, existing_codes) -> list[RowError]:
    errors = []
    for standard in standards.values():
        target = standard.supersedes
        if not target:
            continue
        if target not in standards and target not in existing_codes:
            errors.append(
                RowError(standard.line, "supersedes",
                         _("%(code)s is neither in the file nor in the registry")
                         % {"code": target})
            )  # fmt: skip
            continue
        # A chain within the file that comes back to this standard.
        seen, current = {standard.code}, target
        while current in standards and standards[current].supersedes:
            if current in seen:
                break
            seen.add(current)
            current = standards[current].supersedes
            if current == standard.code:
                errors.append(
                    RowError(standard.line, "supersedes",
                             _("%(code)s supersedes a standard that supersedes it")
                             % {"code": standard.code})
                )  # fmt: skip
                break
    return errors
