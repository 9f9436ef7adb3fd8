"""Read the ministry's "Senarai Sekolah" CSV into plain records.

Pure: text in, records and row-level errors out, no database. The service in
``schools.services`` writes the records only when there is no error at all.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import SCHOOL_CODE_REGEX, SKM_MAX_ENROLMENT

# The columns of SenaraiSekolahWeb_Julai2025.csv, in its order.
KNOWN_COLUMNS = (
    "NEGERI", "PPD", "PARLIMEN", "DUN", "PERINGKAT", "JENIS/LABEL", "KODSEKOLAH",
    "NAMASEKOLAH", "ALAMATSURAT", "POSKODSURAT", "BANDARSURAT", "NOTELEFON", "NOFAX",
    "EMAIL", "LOKASI", "GRED", "BANTUAN", "BILSESI", "SESI", "ENROLMEN PRASEKOLAH",
    "ENROLMEN", "ENROLMEN KHAS", "GURU", "PRASEKOLAH", "INTEGRASI", "KOORDINATXX",
    "KOORDINATYY", "SKM<=150",
)  # fmt: skip
REQUIRED_COLUMNS = ("NEGERI", "PPD", "PERINGKAT", "JENIS/LABEL", "KODSEKOLAH", "NAMASEKOLAH")

# NEGERI as the ministry writes it -> (code, name, ISO 3166-2), codes as in
# shared/data/schools/states.json.
STATES = {
    "JOHOR": ("JHR", "Johor", "MY-01"),
    "KEDAH": ("KDH", "Kedah", "MY-02"),
    "KELANTAN": ("KTN", "Kelantan", "MY-03"),
    "MELAKA": ("MLK", "Melaka", "MY-04"),
    "NEGERI SEMBILAN": ("NSN", "Negeri Sembilan", "MY-05"),
    "PAHANG": ("PHG", "Pahang", "MY-06"),
    "PULAU PINANG": ("PNG", "Pulau Pinang", "MY-07"),
    "PERAK": ("PRK", "Perak", "MY-08"),
    "PERLIS": ("PLS", "Perlis", "MY-09"),
    "SELANGOR": ("SGR", "Selangor", "MY-10"),
    "TERENGGANU": ("TRG", "Terengganu", "MY-11"),
    "SABAH": ("SBH", "Sabah", "MY-12"),
    "SARAWAK": ("SWK", "Sarawak", "MY-13"),
    "WILAYAH PERSEKUTUAN KUALA LUMPUR": ("KUL", "W.P. Kuala Lumpur", "MY-14"),
    "WILAYAH PERSEKUTUAN LABUAN": ("LBN", "W.P. Labuan", "MY-15"),
    "WILAYAH PERSEKUTUAN PUTRAJAYA": ("PJY", "W.P. Putrajaya", "MY-16"),
}
LEVELS = {"RENDAH": "primary", "MENENGAH": "secondary"}
NOT_GIVEN = {"", "-", "--", "TIADA", "N/A"}


@dataclass(frozen=True)
class RowError:
    row: int  # line number in the file; the header is line 1
    column: str
    message: str

    def __str__(self):
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class SchoolRecord:
    state_code: str
    state_name: str
    state_iso: str
    district_code: str
    district_name: str
    fields: dict = field(default_factory=dict)

    @property
    def code(self):
        return self.fields["code"]


@dataclass
class ParseResult:
    records: list[SchoolRecord]
    errors: list[RowError]


def district_code(state_code: str, district_name: str) -> str:
    """Return a stable code for a district: its state's code and its name."""
    name = re.sub(r"^PPD\s+", "", district_name.upper())
    return f"{state_code}-" + re.sub(r"[^A-Z0-9]+", "-", name).strip("-")


def _text(value, limit):
    value = (value or "").strip()
    return "" if value.upper() in NOT_GIVEN else value[:limit]


def parse_school_csv(text: str) -> ParseResult:
    """Return the records and every row-level error of a ministry CSV."""
    errors: list[RowError] = []
    records: list[SchoolRecord] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    for column in header:
        if column not in KNOWN_COLUMNS:
            errors.append(RowError(1, column, _("unknown column")))
    for column in REQUIRED_COLUMNS:
        if column not in header:
            errors.append(RowError(1, column, _("required column is missing")))
    if errors:
        return ParseResult([], errors)

    has_skm_column = "SKM<=150" in header
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        row_errors: list[RowError] = []

        def fail(column, message, line=line, row_errors=row_errors):
            row_errors.append(RowError(line, column, message))

        if None in row:
            fail("-", _("the row has more values than the header has columns"))
        code = (row.get("KODSEKOLAH") or "").strip().upper()
        if not re.match(SCHOOL_CODE_REGEX, code):
            fail(
                "KODSEKOLAH",
                _("'%(code)s' is not a school code (3 letters then 4 letters or digits)")
                % {"code": code},
            )
        elif code in seen:
            fail(
                "KODSEKOLAH",
                _("%(code)s already appears on row %(row)s") % {"code": code, "row": seen[code]},
            )
        else:
            seen[code] = line
        name = (row.get("NAMASEKOLAH") or "").strip()
        if not name:
            fail("NAMASEKOLAH", _("the school name is blank"))
        state_key = " ".join((row.get("NEGERI") or "").upper().split())
        state = STATES.get(state_key)
        if state is None:
            fail("NEGERI", _("'%(value)s' is not a known state") % {"value": state_key})
        district_name = " ".join((row.get("PPD") or "").upper().split())
        if not district_name:
            fail("PPD", _("the district (PPD) is blank"))
        level = LEVELS.get((row.get("PERINGKAT") or "").strip().upper())
        if level is None:
            fail(
                "PERINGKAT",
                _("'%(value)s' is neither Rendah nor Menengah")
                % {"value": row.get("PERINGKAT", "")},
            )
        school_type = (row.get("JENIS/LABEL") or "").strip().upper()
        if not school_type:
            fail("JENIS/LABEL", _("the school type is blank"))

        numbers = {}
        for column, key in (
            ("ENROLMEN", "enrolment"),
            ("ENROLMEN KHAS", "special_enrolment"),
            ("ENROLMEN PRASEKOLAH", "preschool_enrolment"),
            ("GURU", "teachers"),
        ):
            raw = (row.get(column) or "").strip()
            if raw == "":
                numbers[key] = None
            elif raw.isdigit():
                numbers[key] = int(raw)
            else:
                fail(column, _("'%(value)s' is not a whole number") % {"value": raw})

        coordinates = {}
        for column, key, bound in (
            ("KOORDINATXX", "longitude", 180),
            ("KOORDINATYY", "latitude", 90),
        ):
            raw = (row.get(column) or "").strip()
            if raw == "":
                coordinates[key] = None
                continue
            try:
                value = Decimal(raw).quantize(Decimal("0.00000001"))
            except InvalidOperation:
                fail(column, _("'%(value)s' is not a number") % {"value": raw})
                continue
            if not -bound <= value <= bound:
                fail(column, _("%(value)s is out of range") % {"value": raw})
            coordinates[key] = value

        integration = (row.get("INTEGRASI") or "").strip().upper()
        if integration not in ("ADA", "TIADA", ""):
            fail("INTEGRASI", _("'%(value)s' is neither ADA nor TIADA") % {"value": integration})
        skm_raw = (row.get("SKM<=150") or "").strip().upper()
        if skm_raw not in ("YA", "TIDAK", ""):
            fail("SKM<=150", _("'%(value)s' is neither YA nor blank") % {"value": skm_raw})

        if row_errors:
            errors.extend(row_errors)
            continue
        enrolment = numbers["enrolment"]
        if has_skm_column:
            is_skm = skm_raw == "YA"
        else:
            is_skm = level == "primary" and enrolment is not None and enrolment <= SKM_MAX_ENROLMENT
        records.append(
            SchoolRecord(
                state_code=state[0],
                state_name=state[1],
                state_iso=state[2],
                district_code=district_code(state[0], district_name),
                district_name=district_name,
                fields={
                    "code": code,
                    "name": name[:150],
                    "level": level,
                    "type": school_type[:20],
                    **numbers,
                    **coordinates,
                    "has_ppki": integration == "ADA",
                    "is_skm": is_skm,
                    "parliament": _text(row.get("PARLIMEN"), 80),
                    "dun": _text(row.get("DUN"), 80),
                    "location": _text(row.get("LOKASI"), 20),
                    "grade": _text(row.get("GRED"), 5),
                    "assistance": _text(row.get("BANTUAN"), 10),
                    "sessions": _text(
                        " / ".join(
                            filter(
                                None,
                                [
                                    (row.get("BILSESI") or "").strip(),
                                    (row.get("SESI") or "").strip(),
                                ],
                            )
                        ),
                        40,
                    ),
                    "address": _text(row.get("ALAMATSURAT"), 200),
                    "postcode": _text(row.get("POSKODSURAT"), 10),
                    "town": _text(row.get("BANDARSURAT"), 80),
                    "phone": _text(row.get("NOTELEFON"), 30),
                    "fax": _text(row.get("NOFAX"), 30),
                    "email": _text(row.get("EMAIL"), 120),
                },
            )
        )
    return ParseResult(records, errors)
