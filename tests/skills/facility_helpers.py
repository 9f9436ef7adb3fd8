"""Facilities declarations made for tests (Kemudahan), built on ``skills_world``."""

import datetime

from skills.services import facilities as services

CODES = ["RUANG", "KULIAH", "PERALATAN", "NISBAH", "SELENGGARA", "BOMBA", "PPE",
         "PERTOLONGAN", "KECEMASAN", "OKU", "REKOD"]  # fmt: skip


def answers(*, absent=("OKU",)):
    """Every item in place (with how) but ``absent``."""
    return {c: (c not in absent, "" if c in absent else f"{c}: ada, disemak 2026")
            for c in CODES}  # fmt: skip


def declaration_form(*, absent=("OKU",)):
    """The declaration form as the centre's administrator sends it."""
    data = {}
    for code, (in_place, how) in answers(absent=absent).items():
        data[f"in_place-{code}"] = "yes" if in_place else "no"
        data[f"how-{code}"] = how
    return data


def declare(sw, centre=None, *, year=None, absent=("OKU",)):
    return services.facilities_declare(
        centre=centre or sw.centre_a, year=year or sw.today.year, answers=answers(absent=absent),
        by=sw.users["centre_admin_a"],
    )  # fmt: skip


def findings(*, rejected=("NISBAH",), absent=("OKU",)):
    return {c: ("rejected", "Hanya 6 set bagi 20 pelatih") if c in rejected else ("confirmed", "")
            for c in CODES if c not in absent}  # fmt: skip


def check_form(sw, *, rejected=("NISBAH",), absent=("OKU",)):
    data = {"visited_on": sw.today.isoformat(), "note": "Lawatan pemantauan tahunan"}
    for code, (finding, note) in findings(rejected=rejected, absent=absent).items():
        data[f"finding-{code}"] = finding
        data[f"finding_note-{code}"] = note
    return data


def check(sw, declaration, *, rejected=("NISBAH",), visited_on=None):
    return services.facilities_check(
        declaration=declaration, findings=findings(rejected=rejected),
        visited_on=visited_on or sw.today, note="Lawatan", by=sw.users["cert_officer"],
    )  # fmt: skip


def yesterday(sw):
    return sw.today - datetime.timedelta(days=1)
