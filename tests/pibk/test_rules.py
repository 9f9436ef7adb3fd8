"""Who is expected at each activity, the windows and year groups (pibk.rules, pure)."""

import datetime

import pytest

from pibk.rules import (
    PupilFacts,
    deadline,
    expected_families,
    is_expected,
    normalise_year_group,
    window_of,
)

# "a) Hari Pendaftaran: Tahun 1 (sekolah rendah) ... Tingkatan 1 dan Peralihan (menengah)
#  b) Hari Penetapan Target: Tahun 6 (rendah) ... Tingkatan 5 (menengah)
#  c, d) jumlah keseluruhan ibu/bapa/penjaga di sekolah
#  e) murid yang mengambil bahagian (sukan)  f) murid yang mendapat anugerah"
EXPECTED = [
    # level, activity, year group, sports, award, expected?
    ("primary", "A", "1", False, False, True),
    ("primary", "A", "2", False, False, False),
    ("primary", "A", "PRA", False, False, False),
    ("primary", "B", "6", False, False, True),
    ("primary", "B", "5", False, False, False),
    ("secondary", "A", "T1", False, False, True),
    ("secondary", "A", "PER", False, False, True),
    ("secondary", "A", "T2", False, False, False),
    ("secondary", "B", "T5", False, False, True),
    ("secondary", "B", "T6", False, False, False),
    ("primary", "C", "3", False, False, True),
    ("secondary", "D", "T4", False, False, True),
    ("primary", "E", "4", True, False, True),
    ("primary", "E", "4", False, True, False),
    ("secondary", "F", "T3", False, True, True),
    ("secondary", "F", "T3", True, False, False),
]


@pytest.mark.parametrize(("level", "code", "group", "sports", "award", "expected"), EXPECTED)
def test_the_expected_parents_of_each_activity(level, code, group, sports, award, expected):
    assert is_expected(code, level, PupilFacts("K1", group, sports, award)) is expected


def test_siblings_make_one_expected_family():
    # "Jika ibu bapa mempunyai lebih daripada seorang anak maka pengiraan dikira sekali sahaja"
    pupils = [
        PupilFacts("K1", "1"),
        PupilFacts("K1", "6", sports=True),
        PupilFacts("K1", "3", sports=True, award=True),
        PupilFacts("K2", "1"),
    ]
    expected = expected_families("primary", pupils)
    assert {code: len(families) for code, families in expected.items()} == {
        "A": 2, "B": 1, "C": 2, "D": 2, "E": 1, "F": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "level", "stored"),
    [
        ("1", "primary", "1"), ("Tahun 6", "primary", "6"), ("year 3", "primary", "3"),
        ("Prasekolah", "primary", "PRA"), ("7", "primary", None), ("T1", "primary", None),
        ("Tingkatan 1", "secondary", "T1"), ("Form 5", "secondary", "T5"),
        ("t5", "secondary", "T5"),
        ("Peralihan", "secondary", "PER"), ("remove", "secondary", "PER"), ("3", "secondary", "T3"),
        ("Tahun 1", "secondary", None), ("", "primary", None),
    ],
)  # fmt: skip
def test_year_groups_as_registers_write_them(raw, level, stored):
    assert normalise_year_group(raw, level) == stored


def test_windows_follow_the_seed_dates():
    # "sebelum 31 Mac - A, B; sebelum 31 Julai - C, D; sebelum 30 November - E, F;
    #  KPI 2 ... sebelum 31 Mei dan 30 November"
    assert [deadline(2026, w) for w in ("K1-MAR", "K1-JUL", "K1-NOV", "K2-MAY", "K2-NOV")] == [
        datetime.date(2026, 3, 31), datetime.date(2026, 7, 31), datetime.date(2026, 11, 30),
        datetime.date(2026, 5, 31), datetime.date(2026, 11, 30),
    ]  # fmt: skip
    assert [window_of(c) for c in "ABCDEF"] == ["K1-MAR"] * 2 + ["K1-JUL"] * 2 + ["K1-NOV"] * 2


D = datetime.date


@pytest.mark.parametrize(
    ("today", "verified", "reopened", "state"),
    [
        (D(2026, 3, 31), False, None, (True, "open")),  # the deadline day itself is open
        (D(2026, 4, 1), False, None, (False, "closed")),
        (D(2026, 4, 1), False, D(2026, 4, 10), (True, "reopened")),
        (D(2026, 4, 10), False, D(2026, 4, 10), (True, "reopened")),
        (D(2026, 4, 11), False, D(2026, 4, 10), (False, "closed")),
        (D(2026, 2, 1), True, None, (False, "verified")),  # verified data is locked
        (D(2026, 4, 1), True, D(2026, 4, 10), (False, "verified")),
    ],
)
def test_after_a_deadline_data_is_locked_unless_reopened(today, verified, reopened, state):
    """PIBK's windows through the shared rule (core.review.rules), with the seed's deadline."""
    from core.review.rules import entry_state

    result = entry_state(
        today=today,
        closes_on=deadline(2026, "K1-MAR"),
        state="verified" if verified else "open",
        reopened_until=reopened,
    )
    assert (result.open, result.reason) == state
