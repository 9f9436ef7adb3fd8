"""PIBK's calendar and who is expected at each activity (seed 003). Pure.

"Enam aktiviti utama": A Hari Pendaftaran, B Hari Penetapan Target,
C Mesyuarat Agung PIBG, D Hari Pelaporan, E Hari Sukan, F Hari Anugerah.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ACTIVITIES = {
    "A": _("Registration day (Hari Pendaftaran)"),
    "B": _("Target-setting day (Hari Penetapan Target)"),
    "C": _("PTA annual general meeting (Mesyuarat Agung PIBG)"),
    "D": _("Report day (Hari Pelaporan)"),
    "E": _("Sports day (Hari Sukan)"),
    "F": _("Awards day (Hari Anugerah)"),
}
CODES = tuple(ACTIVITIES)

# "Pengumpulan data bagi KPI 1 dilaksanakan sebanyak 3 kali setahun: sebelum
#  31 Mac - Hari Pendaftaran, Hari Penetapan Target; sebelum 31 Julai -
#  Mesyuarat Agung PIBG, Hari Pelaporan; sebelum 30 November - Hari Sukan dan
#  Hari Anugerah Kecemerlangan. KPI 2 ... sebelum 31 Mei dan 30 November."
WINDOWS = {
    "K1-MAR": ((3, 31), ("A", "B")),
    "K1-JUL": ((7, 31), ("C", "D")),
    "K1-NOV": ((11, 30), ("E", "F")),
    "K2-MAY": ((5, 31), ()),
    "K2-NOV": ((11, 30), ()),
}
WINDOW_NAMES = {
    "K1-MAR": _("KPI 1, by 31 March (A, B)"),
    "K1-JUL": _("KPI 1, by 31 July (C, D)"),
    "K1-NOV": _("KPI 1, by 30 November (E, F)"),
    "K2-MAY": _("KPI 2, by 31 May (volunteers)"),
    "K2-NOV": _("KPI 2, by 30 November (volunteers)"),
}
# What a column heading shows instead of the code (K1-MAR means nothing to a reader).
WINDOW_SHORT_NAMES = {
    "K1-MAR": _("KPI 1: A, B (31 Mar)"),
    "K1-JUL": _("KPI 1: C, D (31 Jul)"),
    "K1-NOV": _("KPI 1: E, F (30 Nov)"),
    "K2-MAY": _("KPI 2 (31 May)"),
    "K2-NOV": _("KPI 2 (30 Nov)"),
}
KPI2_WINDOWS = ("K2-MAY", "K2-NOV")

# The most families a school can have, the bound on every count a user types
# (families, volunteering families, parents expected or attending an activity).
# Malaysia's largest schools have about 5,000 pupils and a family has at least
# one pupil, so 20,000 leaves four times the room a real school needs, while a
# typing slip or a hostile form (2,147,483,647 families) is refused. Even
# every school of the country (about 10,000) at this limit sums to 200 million,
# far below what a 32-bit integer holds, so no roll-up can overflow.
MAX_FAMILIES = 20_000

# The first PIBK year (the 2015 baseline): no page is asked for, nor goal set, before it.
FIRST_YEAR = 2015
# The last year a goal may be set for: a typing slip (3020) is refused, a plan is not.
LAST_YEAR = 2100

# Year groups as the register stores them.
PRIMARY_GROUPS = ("PRA", "1", "2", "3", "4", "5", "6")
SECONDARY_GROUPS = ("PER", "T1", "T2", "T3", "T4", "T5", "T6")
# The order a school reads them in: preschool before Year 1, Peralihan before Form 1.
YEAR_GROUP_ORDER = {group: n for n, group in enumerate(PRIMARY_GROUPS + SECONDARY_GROUPS)}


def deadline(year: int, window: str) -> datetime.date:
    (month, day), _codes = WINDOWS[window]
    return datetime.date(year, month, day)


def window_of(code: str) -> str:
    """Return the KPI 1 window an activity's data is collected in."""
    for window, (_date, codes) in WINDOWS.items():
        if code in codes:
            return window
    raise KeyError(code)


def normalise_year_group(raw: str, level: str):
    """Return the stored year group for what a register says, or None if it is not one.

    Primary: PRA (preschool), 1-6 ("Tahun 1", "Year 1", "1"). Secondary:
    PER (Peralihan, the remove class), T1-T6 ("Tingkatan 1", "Form 1", "T1").
    """
    text = " ".join(str(raw or "").upper().replace(".", " ").split())
    for prefix in ("TAHUN ", "YEAR ", "DARJAH "):
        if level == "primary" and text.startswith(prefix):
            text = text[len(prefix) :]
    for prefix in ("TINGKATAN ", "FORM ", "TING ", "T "):
        if level == "secondary" and text.startswith(prefix):
            text = "T" + text[len(prefix) :]
    if level == "primary":
        if text in ("PRA", "PRASEKOLAH", "PRESCHOOL"):
            return "PRA"
        return text if text in PRIMARY_GROUPS else None
    if text in ("PER", "PERALIHAN", "REMOVE", "KELAS PERALIHAN"):
        return "PER"
    if text in ("1", "2", "3", "4", "5", "6"):
        text = "T" + text
    return text if text in SECONDARY_GROUPS else None


@dataclass(frozen=True)
class PupilFacts:
    family: object  # the family's key or id
    year_group: str
    sports: bool = False
    award: bool = False


def expected_condition(code: str, level: str) -> tuple:
    """Return (pupil field, accepted values) that makes a family expected at ``code``.

    ("any", None) means every family with a pupil. One table for Python
    (``is_expected``) and the database (``pibk.selectors``). Seed 003,
    "Bilangan ibu/bapa/penjaga yang sepatutnya hadir":
    a) Hari Pendaftaran: Tahun 1 (sekolah rendah); Tingkatan 1 dan Peralihan (menengah)
    b) Hari Penetapan Target: Tahun 6 (rendah); Tingkatan 5 (menengah)
    c) Mesyuarat Agung PIBG: jumlah keseluruhan ibu/bapa/penjaga di sekolah
    d) Hari Pelaporan: jumlah ibu/bapa/penjaga di sekolah
    e) Hari Sukan: ibu/bapa/penjaga murid yang mengambil bahagian
    f) Hari Anugerah: ibu/bapa/penjaga murid yang mendapat anugerah
    """
    primary = level == "primary"
    table = {
        "A": ("year_group", ("1",) if primary else ("T1", "PER")),
        "B": ("year_group", ("6",) if primary else ("T5",)),
        "C": ("any", None),
        "D": ("any", None),
        "E": ("sports", (True,)),
        "F": ("award", (True,)),
    }
    return table[code]


def is_expected(code: str, level: str, pupil: "PupilFacts") -> bool:
    """Return whether this pupil makes their family expected at activity ``code``."""
    name, values = expected_condition(code, level)
    return name == "any" or getattr(pupil, name) in values


def expected_families(level: str, pupils) -> dict:
    """Return activity code -> the set of families expected, each family once.

    "Jika ibu bapa mempunyai lebih daripada seorang anak maka pengiraan dikira
    sekali sahaja": siblings make one family, so sets, never counts of pupils.
    """
    expected = {code: set() for code in CODES}
    for pupil in pupils:
        for code in CODES:
            if is_expected(code, level, pupil):
                expected[code].add(pupil.family)
    return expected
