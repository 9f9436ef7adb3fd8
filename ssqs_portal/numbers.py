"""Exact rounding of fractions, as the programmes' rules state it ("halves going up"). Pure.

In integers, so a Fraction is rounded exactly, never through a float or a
Decimal division. SSQS scores (surveys.scoring) and PIBK KPIs (pibk.kpi) both
round with these, and every figure a page, a PDF or an export shows is
written by ``fixed`` (the template filter ``figure``): one rule everywhere.
"""

from decimal import Decimal
from fractions import Fraction

NONE_SHOWN = "–"  # what a page shows for a figure that does not exist (yet)


def exact(value) -> Fraction:
    """Return ``value`` as an exact Fraction.

    A float is read as the decimal it prints as (15.625 -> 125/8, 0.1 -> 1/10),
    not as its binary approximation, so a figure that went through a float
    (JSON, SQLite) rounds as the figure a person reads.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def round_half_up(value) -> int:
    """Return ``value`` rounded to a whole number, halves going up (20.5 -> 21).

    floor(value + 1/2), in integers: floor((2n + d) / 2d) for value = n/d.
    """
    value = exact(value)
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def round_places(value, places: int = 2) -> Decimal:
    """Return ``value`` as a Decimal with ``places`` places, halves going up (away from zero).

    In integers, so exact: units = floor((2 n 10^p + d) / 2d) for |value| = n/d.
    """
    value = exact(value)
    scale = 10**places
    numerator, denominator = abs(value.numerator), value.denominator
    units = (2 * scale * numerator + denominator) // (2 * denominator)
    return Decimal(-units if value.numerator < 0 else units).scaleb(-places)


def two_decimals(value) -> Decimal:
    """Return a Fraction as a Decimal with two places, halves going up (away from zero)."""
    return round_places(value, 2)


def fixed(value, places: int = 2) -> str:
    """Return a figure as text with ``places`` decimals, halves up; an en dash for none.

    15.625 -> "15.63"; Fraction(159, 2) -> "79.50"; None -> "–". Negative
    ``places`` drop the decimals of a whole number (85 -> "85", 25.5 -> "25.50"
    with -2), as Django's floatformat does. Text that is not a number (a
    marker, an empty cell) is shown as it is.
    """
    if value is None or value == "":
        return NONE_SHOWN
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        return str(value)
    rounded = round_places(value, abs(places))
    if places < 0 and rounded == rounded.to_integral_value():
        return str(rounded.quantize(Decimal(1)))
    return str(rounded)


def whole_percent(part: int, whole: int, *, empty: int = 0) -> int:
    """Return part / whole as a whole percent, halves up (1 of 8 -> 13); ``empty`` if whole is 0."""
    return round_half_up(Fraction(100 * part, whole)) if whole else empty
