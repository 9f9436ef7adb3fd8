"""Exact rounding of fractions, as the programmes' rules state it ("halves going up"). Pure.

In integers, so a Fraction is rounded exactly, never through a float or a
Decimal division. SSQS scores (surveys.scoring) and PIBK KPIs (pibk.kpi) both
round with these.
"""

from decimal import Decimal
from fractions import Fraction


def round_half_up(value) -> int:
    """Return ``value`` rounded to a whole number, halves going up (20.5 -> 21).

    floor(value + 1/2), in integers: floor((2n + d) / 2d) for value = n/d.
    """
    if not isinstance(value, Fraction):
        value = Fraction(value)
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def two_decimals(value: Fraction) -> Decimal:
    """Return a Fraction as a Decimal with two places, halves going up (away from zero).

    In integers, so exact: hundredths = floor((200 n + d) / 2d) for |value| = n/d.
    """
    if not isinstance(value, Fraction):
        value = Fraction(value)
    numerator, denominator = abs(value.numerator), value.denominator
    hundredths = (200 * numerator + denominator) // (2 * denominator)
    return Decimal(-hundredths if value.numerator < 0 else hundredths).scaleb(-2)
