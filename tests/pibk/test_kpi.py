"""The PIBK KPIs exactly as seed 003 defines them (pibk.kpi, pure)."""

from decimal import Decimal
from fractions import Fraction as F

import pytest

from pibk.kpi import ActivityFigures, activity_rate, kpi1, kpi2, school_average, two_places


def six(*pairs, held=True):
    return [ActivityFigures(code, held, e, a) for code, (e, a) in zip("ABCDEF", pairs, strict=True)]


# "Purata Peratus kehadiran ibu bapa dalam 6 aktiviti utama = (A+B+C+D+E+F)/6 x 100"
AVERAGES = [
    # (expected, attended) for A..F, the exact average in percent
    ([(10, 10)] * 6, F(100)),
    ([(10, 0)] * 6, F(0)),
    ([(20, 13)] * 6, F(65)),  # exactly 65: "65 peratus dan ke atas" reaches
    ([(10, 5), (10, 6), (10, 7), (10, 8), (10, 9), (10, 10)], F(75)),
    (
        [(3, 1), (3, 2), (3, 3), (7, 7), (9, 0), (1, 1)],
        (F(1, 3) + F(2, 3) + 1 + 1 + 0 + 1) / 6 * 100,
    ),
]


@pytest.mark.parametrize(("pairs", "average"), AVERAGES)
def test_school_average_is_the_mean_of_the_six_rates_times_100(pairs, average):
    result = school_average(six(*pairs))
    assert result.average == average
    assert result.is_final and result.counted == tuple("ABCDEF")


@pytest.mark.parametrize(
    ("average", "reaches"),
    [(F(65), True), (F(6499, 100), False), (F(130, 2), True), (F(100), True), (F(0), False)],
)
def test_a_school_reaches_the_kpi_at_65_percent_or_more(average, reaches):
    # "Peratus kehadiran 65 peratus ke atas ... mencapai sasaran 65% ke atas bagi setiap sekolah"
    result = school_average([])
    result.average = average
    assert result.reaches is reaches


def test_an_activity_not_held_yet_is_left_out_and_the_average_is_provisional():
    # "Pencapaian muktamad ... akan diukur selepas semua 6 aktiviti dijalankan"
    activities = six((10, 8), (10, 6), (10, 7), (10, 9), (10, 0), (10, 0))
    activities[4] = ActivityFigures("E", False, 10, 0)
    activities[5] = ActivityFigures("F", False, 10, 0)
    result = school_average(activities)
    assert result.average == F(8 + 6 + 7 + 9, 4) * 10
    assert result.left_out == {"E": "not_held", "F": "not_held"}
    assert not result.is_final


def test_an_activity_with_no_parent_expected_is_left_out_not_counted_as_zero():
    result = school_average(six((10, 7), (10, 7), (10, 7), (10, 7), (10, 7), (0, 0)))
    assert result.average == 70
    assert result.left_out == {"F": "no_expected"}


def test_a_school_whose_six_are_held_is_final_even_when_one_had_nobody_expected():
    # Seed 003: "Pencapaian muktamad kehadiran ibu atau bapa atau penjaga akan
    # diukur selepas semua 6 aktiviti dijalankan oleh pihak sekolah": held, the
    # six; F with no award winner is left out of the average, not waited for.
    result = school_average(six((10, 7), (10, 7), (10, 7), (10, 7), (10, 7), (0, 0)))
    assert result.held == tuple("ABCDEF") and result.counted == tuple("ABCDE")
    assert result.is_final and result.average == 70


def test_five_held_and_one_to_come_stays_provisional_whatever_was_expected():
    activities = six((10, 7), (10, 7), (10, 7), (10, 7), (0, 0), (10, 7))
    activities[5] = ActivityFigures("F", False, 10, 0)
    result = school_average(activities)
    assert result.left_out == {"E": "no_expected", "F": "not_held"}
    assert not result.is_final


def test_nothing_to_count_gives_no_average():
    assert school_average(six(*[(0, 0)] * 6)).average is None
    assert school_average(six(*[(5, 1)] * 6, held=False)).reaches is None


@pytest.mark.parametrize(
    ("attended", "expected", "rate"), [(0, 5, F(0)), (5, 5, F(1)), (2, 3, F(2, 3)), (0, 0, None)]
)
def test_an_activity_rate_is_attended_over_expected(attended, expected, rate):
    assert activity_rate(attended, expected) == rate


@pytest.mark.parametrize(("attended", "expected"), [(6, 5), (-1, 5), (1, -5)])
def test_impossible_counts_are_refused(attended, expected):
    with pytest.raises(ValueError):
        activity_rate(attended, expected)


# KPI 1: "Peratus sekolah yang mendapat skor purata kehadiran ibu bapa dalam 6 aktiviti
# sebanyak 65% dan ke atas"
@pytest.mark.parametrize(
    ("averages", "expected"),
    [
        ([F(65), F(64), F(90), F(10)], F(50)),
        ([F(65)] * 3, F(100)),
        ([F(6499, 100)], F(0)),
        ([F(80), None, F(20)], F(50)),  # a school with nothing to count is not counted
        ([], None),
        ([None], None),
    ],
)
def test_kpi1_is_the_share_of_schools_reaching_65(averages, expected):
    assert kpi1(averages) == expected


# KPI 2: "Bilangan ibu bapa/penjaga ... terlibat secara sukarela ... x 100 / Jumlah
# ibu/bapa/penjaga (bilangan keluarga)"
@pytest.mark.parametrize(
    ("volunteers", "families", "expected"),
    [(25, 100, F(25)), (0, 40, F(0)), (60, 60, F(100)), (1, 3, F(100, 3)), (0, 0, None)],
)
def test_kpi2_is_volunteering_families_over_all_families(volunteers, families, expected):
    assert kpi2(volunteers, families) == expected


def test_kpi2_sums_the_schools_before_dividing_not_a_mean_of_school_rates():
    schools = [(1, 10), (90, 100)]  # 10% and 90%: the mean of rates would be 50%
    assert kpi2(sum(v for v, _f in schools), sum(f for _v, f in schools)) == F(9100, 110)


def test_more_volunteers_than_families_is_refused():
    with pytest.raises(ValueError):
        kpi2(11, 10)


@pytest.mark.parametrize(
    ("value", "text"),
    [(F(2, 3) * 100, "66.67"), (F(13045, 200), "65.23"), (F(1, 200), "0.01"), (None, None)],
)
def test_two_places_rounds_half_up(value, text):
    assert two_places(value) == (Decimal(text) if text else None)


@pytest.mark.parametrize(
    ("reaching", "counted", "expected"),
    [(2, 4, F(50)), (0, 3, F(0)), (3, 3, F(100)), (1, 3, F(100, 3)), (0, 0, None)],
)
def test_kpi1_from_counts_is_the_same_share(reaching, counted, expected):
    from pibk.kpi import share_reaching

    assert share_reaching(reaching, counted) == expected


@pytest.mark.parametrize(("reaching", "counted"), [(4, 3), (-1, 3)])
def test_kpi1_from_impossible_counts_is_refused(reaching, counted):
    from pibk.kpi import share_reaching

    with pytest.raises(ValueError):
        share_reaching(reaching, counted)
