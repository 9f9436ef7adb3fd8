"""Read a school's PASR candidate list (CSV or XLSX) into registration forms' data.

Pure: bytes in, one dict per row (the registration form's field names) and
the file's problems out, no database; the service checks every row with the
form and the rules and saves only when every row passes. The columns are the
form's field names (interfaces.md, PASR), in any order:

    name, id_number, date_of_birth, class_name, programme, curriculum, tahap,
    final_year, medical, mainstream_exam, kh_component, private_candidate

Malay headings work too (NAMA, NO_KP, TARIKH_LAHIR, KELAS, PROGRAM, KURIKULUM,
TAHAP, TAHUN_AKHIR, PENGESAHAN_PERUBATAN, PEPERIKSAAN_ARUS_PERDANA,
KOMPONEN_KH, CALON_PERSENDIRIAN), and YA/TIDAK for yes/no. The safeguards of
every import (size, zip bombs, rows and cells) are ``ssqs_portal.tabular``'s.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from schools.importing import RowError
from ssqs_portal import tabular
from ssqs_portal.tabular import FileProblem, RowProblem

COLUMNS = {
    "name": ("NAME", "NAMA", "NAMA_CALON"),
    "id_number": ("ID_NUMBER", "NO_KP", "MYKID", "NO_MYKID", "NO_PENGENALAN", "KAD_PENGENALAN"),
    "date_of_birth": ("DATE_OF_BIRTH", "TARIKH_LAHIR"),
    "class_name": ("CLASS_NAME", "CLASS", "KELAS"),
    "programme": ("PROGRAMME", "PROGRAM"),
    "curriculum": ("CURRICULUM", "KURIKULUM"),
    "tahap": ("TAHAP", "LEVEL"),
    "final_year": ("FINAL_YEAR", "TAHUN_AKHIR"),
    "medical": ("MEDICAL", "PENGESAHAN_PERUBATAN", "PERUBATAN"),
    "mainstream_exam": ("MAINSTREAM_EXAM", "PEPERIKSAAN_ARUS_PERDANA", "UPSR"),
    "kh_component": ("KH_COMPONENT", "KOMPONEN_KH", "KOMPONEN"),
    "private_candidate": ("PRIVATE_CANDIDATE", "CALON_PERSENDIRIAN"),
}
REQUIRED = (
    "name", "id_number", "date_of_birth", "programme", "curriculum", "tahap", "final_year",
    "medical", "mainstream_exam", "kh_component",
)  # fmt: skip
FLAGS = ("final_year", "mainstream_exam", "private_candidate")
YES = {"YA", "Y", "YES", "1", "TRUE"}
NO = {"TIDAK", "T", "N", "NO", "0", "FALSE"}
MAX_ROWS = 2_000  # candidates in one file: far more than any school registers
MAX_LINES = MAX_ROWS + 500  # rows read at most, empty ones and the header included
MAX_COLUMNS = 40  # the list has 12 columns; room for notes
MAX_UNCOMPRESSED = 10_000_000  # a full list unpacks to well under 1 MB
MAX_MEMBERS = 200
MAX_CELLS = MAX_ROWS * 20
MAX_UPLOAD = 2 * 1024 * 1024  # bytes of the uploaded file, checked before it is read


def _too_many_lines():
    return _(
        "the file has more than %(n)s rows, empty ones included; a candidate list has at most "
        "%(candidates)s candidates. Delete the empty rows below the list."
    ) % {"n": f"{MAX_LINES:,}", "candidates": f"{MAX_ROWS:,}"}


def _too_big(size, limit):
    return _(
        "This Excel file unpacks to %(size)s MB uncompressed; a candidate list unpacks to at "
        "most %(limit)s MB. Keep only the list's sheet and columns, or save it as CSV."
    ) % {"size": size, "limit": limit}


def _too_many_columns(n, limit):
    return _(
        "The sheet has %(n)s columns; a candidate list has at most %(limit)s. Delete the "
        "columns to the right of the list's."
    ) % {"n": n, "limit": limit}


def _too_many_cells():
    return _(
        "The file has more than %(n)s cells; a candidate list has at most %(candidates)s "
        "candidates in 12 columns. Keep only the list's sheet and columns."
    ) % {"n": f"{MAX_CELLS:,}", "candidates": f"{MAX_ROWS:,}"}


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


@dataclass
class ParsedList:
    rows: list = field(default_factory=list)  # (line, {field: text})
    errors: list = field(default_factory=list)  # RowError


def _value(field_name: str, text: str) -> str:
    """Return a cell as the form expects it: choices in lower case, YA/TIDAK as yes/no."""
    text = text.strip()
    if field_name in FLAGS:
        upper = text.upper()
        if upper in YES:
            return "yes"
        if upper in NO:
            return "no"
        return text
    if field_name in ("programme", "curriculum", "medical", "kh_component"):
        return text.lower()
    return text


def parse_candidates(data: bytes, filename: str) -> ParsedList:
    """Return each row's data for the registration form, or the problems of the file itself."""
    rows = iter(tabular.rows_from_bytes(data, filename, LIMITS))
    try:
        header = next(rows, None)
        return _parse(header, rows)
    except FileProblem as exc:
        return ParsedList([], [RowError(1, _("file"), str(exc))])
    except RowProblem as exc:
        return ParsedList([], [exc.error])


def _parse(header, rows) -> ParsedList:
    if not header or not any(str(h).strip() for h in header):
        return ParsedList([], [RowError(1, _("file"), _("the file is empty"))])
    errors, positions = [], {}
    for index, raw in enumerate(header):
        key = tabular.header_key(raw)
        if not key:
            continue
        name = next((f for f, aliases in COLUMNS.items() if key in aliases), None)
        if name is None:
            errors.append(RowError(1, str(raw)[:40], _("unknown column")))
        elif name in positions:
            errors.append(RowError(1, str(raw)[:40], _("the column appears twice")))
        else:
            positions[name] = index
    for name in REQUIRED:
        if name not in positions:
            errors.append(RowError(1, name, _("required column is missing")))
    if errors:
        return ParsedList([], errors)
    parsed = []
    for line, row in enumerate(rows, start=2):
        cells = {f: str(row[i] if i < len(row) else "") for f, i in positions.items()}
        if not any(v.strip() for v in cells.values()):
            continue  # a blank line
        if len(parsed) >= MAX_ROWS:
            errors.append(
                RowError(line, _("file"), _("more than %(n)s candidates in one file") % {
                    "n": MAX_ROWS
                })
            )  # fmt: skip
            break
        parsed.append((line, {f: _value(f, v) for f, v in cells.items()}))
    if not errors and not parsed:
        errors.append(RowError(2, _("file"), _("the file has no candidates")))
    return ParsedList([] if errors else parsed, errors)


def template_rows(year: int) -> list[list[str]]:
    """Return the template's header and two example rows (one eligible in ``year``)."""
    header = list(COLUMNS)
    return [
        header,
        ["Nur Aisyah binti Ahmad", f"{year - 12 - 2000:02d}0315-10-1234",
         f"{year - 12}-03-15", "6 Bestari", "ppki", "kssr_pk_mp", "2", "yes", "oku_card", "no",
         "masakan", "no"],
        ["Muhammad Irfan bin Ali", f"{year - 13 - 2000:02d}1102-14-5678",
         f"{year - 13}-11-02", "6 Bestari", "inclusive", "kssr_pk_mp", "2", "yes",
         "gov_hospital", "no", "perkebunan", "no"],
    ]  # fmt: skip
