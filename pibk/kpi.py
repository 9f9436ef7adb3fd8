"""The two PIBK KPIs, exactly as seed 003 defines them. Pure: numbers in, numbers out.

KPI 1: "Peratus sekolah yang mendapat skor purata kehadiran ibu bapa dalam
6 aktiviti sebanyak 65% dan ke atas", with each school's average
    (A + B + C + D + E + F) / 6 x 100
where each letter is the activity's rate, attended / expected parents
(families, each counted once).
KPI 2: "Bilangan ibu bapa/penjaga murid yang terlibat secara sukarela ...
x 100 / Jumlah ibu/bapa/penjaga murid (bilangan keluarga)", each volunteer
counted once however many activities.
"Tidak termasuk sekolah-sekolah bukan di bawah KPM."
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ssqs_portal.numbers import two_decimals

THRESHOLD = Fraction(65)  # "65 peratus dan ke atas"
BASELINE_2015 = {"kpi1": Decimal("83.54"), "kpi2": Decimal("15.33")}
DEFAULT_TARGETS = {"kpi1": Decimal(85), "kpi2": Decimal(25), "kpi2_goal": Decimal(60)}
KPI2_GOAL_YEAR = 2020


@dataclass(frozen=True)
class ActivityFigures:
    code: str
    held: bool
    expected: int
    attended: int


@dataclass
class SchoolAverage:
    average: Fraction | None  # percent, exact; None when nothing can be counted yet
    rates: dict  # code -> Fraction 0..1 for the activities counted
    counted: tuple
    left_out: dict = field(default_factory=dict)  # code -> "not_held" | "no_expected"
    held: tuple = ()  # the activities held, counted or not

    @property
    def is_final(self):
        """All six held: "Pencapaian muktamad ... diukur selepas semua 6 aktiviti dijalankan".

        Held, not counted: an activity held with nobody expected (no award
        winners) is left out of the average, yet the school has run its six
        and its figure is final, not waiting for something that cannot come.
        """
        return len(self.held) == 6

    @property
    def reaches(self):
        return None if self.average is None else self.average >= THRESHOLD


def activity_rate(attended: int, expected: int) -> Fraction | None:
    """Return attended / expected, or None when nobody was expected.

    Refuses what cannot be: a negative number, or more attending than expected.
    """
    if attended < 0 or expected < 0:
        raise ValueError("negative count")
    if attended > expected:
        raise ValueError("attended more than expected")
    return Fraction(attended, expected) if expected else None


def school_average(activities) -> SchoolAverage:
    """Return the school's average attendance over the six activities, in percent.

    With all six held and each with parents expected this is exactly
    (A+B+C+D+E+F)/6 x 100. An activity not yet held is left out until it is
    (the average is then provisional), and so is one with no parent expected
    (e.g. no award winners): its rate is 0/0, and counting it as 0 or 100 %
    would move the average for a reason that has nothing to do with parents.
    The divisor is then the number of activities counted.
    """
    rates, left_out, held = {}, {}, []
    for activity in activities:
        if not activity.held:
            left_out[activity.code] = "not_held"
            continue
        held.append(activity.code)
        rate = activity_rate(activity.attended, activity.expected)
        if rate is None:
            left_out[activity.code] = "no_expected"
        else:
            rates[activity.code] = rate
    average = sum(rates.values(), Fraction(0)) / len(rates) * 100 if rates else None
    return SchoolAverage(average, rates, tuple(sorted(rates)), left_out, tuple(sorted(held)))


def kpi1(averages) -> Fraction | None:
    """Return the percent of schools whose average is 65 or more (None if no school counts).

    ``averages``: the averages (percent) of the KPM schools counted; None entries
    (schools with nothing to count yet) are not counted.
    """
    counted = [a for a in averages if a is not None]
    return share_reaching(sum(1 for a in counted if a >= THRESHOLD), len(counted))


def share_reaching(reaching: int, counted: int) -> Fraction | None:
    """Return KPI 1 from counts: reaching schools / counted schools x 100 (None if none)."""
    if reaching < 0 or reaching > counted:
        raise ValueError("reaching must be between 0 and the schools counted")
    return Fraction(100 * reaching, counted) if counted else None


def kpi2(volunteers: int, families: int) -> Fraction | None:
    """Return volunteering families / all families x 100 (None when there are no families).

    Summed over schools first ("seluruh negara"), not a mean of school rates.
    """
    if volunteers < 0 or families < 0:
        raise ValueError("negative count")
    if volunteers > families:
        raise ValueError("more volunteering families than families")
    return Fraction(100 * volunteers, families) if families else None


def two_places(value) -> Decimal | None:
    """Return a percent as a Decimal with two places, halves going up (None stays None)."""
    return None if value is None else two_decimals(value)
