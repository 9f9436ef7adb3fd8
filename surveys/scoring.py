"""The SSQS score and star rating, exactly as domain.md section 1.2 states it.

Pure: an instrument spec and the respondents' answers in, a ``SchoolResult``
out. Exact fractions throughout; rounding happens once, at the end.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from ssqs_portal.numbers import round_half_up

from .instrument import CATEGORIES, InstrumentSpec

# "0-20 Basic 1, 21-40 Basic Plus 2, 41-60 Median 3, 61-80 Advance 4,
#  81-100 Advance Plus 5" (seed 000, "Petunjuk Skor").
BANDS = (
    (0, 20, "Basic", 1),
    (21, 40, "Basic Plus", 2),
    (41, 60, "Median", 3),
    (61, 80, "Advance", 4),
    (81, 100, "Advance Plus", 5),
)
PROVISIONAL, FINAL = "provisional", "final"


@dataclass(frozen=True)
class RespondentAnswers:
    category: str
    complete: bool
    answers: dict  # question code -> stored value


@dataclass(slots=True)
class Share:
    earned: int = 0
    possible: int = 0

    @property
    def percent(self):
        return Fraction(100 * self.earned, self.possible) if self.possible else None


@dataclass
class SchoolResult:
    indicators: dict  # code -> Fraction (0..100)
    exact_score: Fraction
    score: int
    band: str
    stars: int
    status: str
    finished: int
    required: int
    by_category: dict = field(default_factory=dict)  # indicator -> category -> Share
    by_domain: dict = field(default_factory=dict)  # domain -> category -> Share
    # category -> completed respondents, for every category on the roster: what
    # the small-cell rule of surveys.disclosure reads
    respondents: dict = field(default_factory=dict)


def band_for(score: int) -> tuple[str, int]:
    """Return (band, stars) of a whole-number school score 0..100."""
    for low, high, band, stars in BANDS:
        if low <= score <= high:
            return band, stars
    raise ValueError(f"score {score} is outside 0-100")


def empty_shares(spec: InstrumentSpec) -> tuple[dict, dict]:
    """Return (by_category, by_domain): a zero Share for every place points can be earned.

    by_category is indicator -> category -> Share, by_domain is domain ->
    category -> Share, with a category wherever a scored question is asked of it.
    """
    domain_indicator = {d.code: d.indicator for d in spec.domains}
    by_category = {i.code: {} for i in spec.indicators}
    by_domain = {}
    for question in spec.questions:
        if not spec.is_scored(question):
            continue
        for category in question.categories:
            by_category[domain_indicator[question.domain]].setdefault(category, Share())
            by_domain.setdefault(question.domain, {}).setdefault(category, Share())
    return by_category, by_domain


def fresh_shares(template: tuple[dict, dict]) -> tuple[dict, dict]:
    """Return a zeroed copy of ``empty_shares``'s result (cheap: no instrument walk)."""
    by_category, by_domain = template
    return (
        {key: {category: Share() for category in shares} for key, shares in by_category.items()},
        {key: {category: Share() for category in shares} for key, shares in by_domain.items()},
    )


def score_school(spec: InstrumentSpec, respondents: list[RespondentAnswers]) -> SchoolResult:
    """Return the school's indicator scores, score, band, stars and status.

    For each indicator and each respondent category its questions are asked
    of: 100 x points earned / points possible, summed over that category's
    completed respondents; the indicator score is the plain mean of those
    category figures. Points possible count every scored question asked of the
    respondent, answered or not. Only completed respondents count; a category
    with none is left out of the mean; an indicator with none at all scores 0.
    """
    completed = [r for r in respondents if r.complete]
    scored = [q for q in spec.questions if spec.is_scored(q)]
    domain_indicator = {d.code: d.indicator for d in spec.domains}
    by_category, by_domain = empty_shares(spec)
    for respondent in completed:
        for question in scored:
            if respondent.category not in question.categories:
                continue
            earned = question.points(respondent.answers.get(question.code))
            for share in (
                by_category[domain_indicator[question.domain]][respondent.category],
                by_domain[question.domain][respondent.category],
            ):
                share.earned += earned
                share.possible += question.maximum
    counts = {}
    for respondent in respondents:
        counts[respondent.category] = counts.get(respondent.category, 0) + respondent.complete
    return result_from_shares(
        spec, by_category, by_domain, len(completed), len(respondents), respondents=counts
    )


def result_from_shares(
    spec: InstrumentSpec,
    by_category: dict,
    by_domain: dict,
    finished: int,
    required: int,
    respondents: dict | None = None,
) -> SchoolResult:
    """Return the school's result from the points earned and possible per category.

    The second half of ``score_school``, shared with the national recompute,
    which adds up the points in the database instead. ``respondents`` is
    category -> completed respondents, kept with the result.
    """
    # The same arithmetic as Fractions, kept in integers until the end: a mean
    # of percents sum(100 e/p) / n is 100 sum(e D/p) / (n D) with D the least
    # common multiple of the p, and the weighted sum adds those exactly. A
    # national recompute does this for every school, and Fraction's
    # normalising at every step cost more than the rest of it.
    indicators = {}
    weights = spec.indicator_weights
    total_num, total_den = 0, 1
    for code, categories in by_category.items():
        terms = [
            (share.earned, share.possible)
            for category in CATEGORIES
            if (share := categories.get(category)) and share.possible
        ]
        if not terms:
            indicators[code] = Fraction(0)
            continue
        common = lcm(*(possible for _earned, possible in terms))
        num = 100 * sum(earned * (common // possible) for earned, possible in terms)
        den = len(terms) * common
        indicators[code] = Fraction(num, den)
        weight = weights[code]
        num, den = weight.numerator * num, weight.denominator * den
        total_num, total_den = total_num * den + num * total_den, total_den * den
    exact = Fraction(total_num, total_den * 100)
    score = round_half_up(exact)
    band, stars = band_for(score)
    status = FINAL if required and finished == required else PROVISIONAL
    return SchoolResult(
        indicators=indicators,
        exact_score=exact,
        score=score,
        band=band,
        stars=stars,
        status=status,
        finished=finished,
        required=required,
        by_category=by_category,
        by_domain=by_domain,
        respondents=dict(respondents or {}),
    )
