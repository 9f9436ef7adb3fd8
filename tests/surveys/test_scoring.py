"""domain.md 1.2, seed 000 "Petunjuk Skor": the score, the bands and the stars."""

from decimal import Decimal
from fractions import Fraction

import pytest

from surveys.instrument import parse_instrument
from surveys.scoring import RespondentAnswers, band_for, round_half_up, score_school
from tests.surveys.instruments import mini

SPEC = parse_instrument(mini())


def r(category, complete=True, **answers):
    return RespondentAnswers(
        category, complete, {k.replace("_", "-"): v for k, v in answers.items()}
    )


@pytest.mark.parametrize(
    ("exact", "score", "band", "stars"),
    [
        # "Round the school score half-up to a whole number, then band it"
        (0, 0, "Basic", 1),
        (20, 20, "Basic", 1),  # "0-20 Basic, 1 star"
        (Fraction(41, 2), 21, "Basic Plus", 2),  # 20.5 rounds up into 21-40
        (21, 21, "Basic Plus", 2),
        (Fraction(4049, 100), 40, "Basic Plus", 2),  # 40.49 rounds down
        (Fraction(81, 2), 41, "Median", 3),  # 40.5 rounds up into 41-60
        (60, 60, "Median", 3),
        (61, 61, "Advance", 4),  # "61-80 Advance, 4 stars"
        (80, 80, "Advance", 4),
        (Fraction(161, 2), 81, "Advance Plus", 5),  # 80.5 -> 81, "81-100 Advance Plus"
        (100, 100, "Advance Plus", 5),
    ],
)
def test_score_is_rounded_half_up_then_banded(exact, score, band, stars):
    assert round_half_up(exact) == score
    assert band_for(score) == (band, stars)


def test_a_score_outside_0_100_has_no_band():
    with pytest.raises(ValueError):
        band_for(101)


def test_school_score_weighs_usage_and_human_capital_40_apps_and_infra_10():
    # "School score = 0.4 U + 0.4 H + 0.1 A + 0.1 I"
    result = score_school(
        SPEC,
        [
            r("teacher", U1_01="4", U1_02="ya"),  # usage teacher 5/5
            r("pupil", U1_01="2"),  # usage pupil 2/4
            r("administrator", H1_01=["a"]),  # human capital 1/2
            r("coordinator", A1_01="7", I1_01="tidak"),  # apps 2/4, infra 0/1
        ],
    )
    assert result.indicators == {
        "usage": Fraction(75),
        "human_capital": Fraction(50),
        "applications": Fraction(50),
        "infrastructure": Fraction(0),
    }
    assert result.exact_score == Fraction(4 * 75 + 4 * 50 + 50 + 0, 10)  # 55
    assert (result.score, result.band, result.stars) == (55, "Median", 3)


def test_indicator_is_the_plain_mean_of_category_figures():
    # "So one administrator weighs as much as thirty teachers": 30 teachers at
    # 100% and 1 pupil at 0% give usage 50, not 30/31.
    teachers = [r("teacher", U1_01="4", U1_02="ya") for _ in range(30)]
    result = score_school(SPEC, [*teachers, r("pupil", U1_01="0")])
    assert result.indicators["usage"] == 50


def test_category_figure_sums_points_over_its_completed_respondents():
    # "100 x (points earned / points possible) summed over that category's
    # completed respondents": 5/5 and 1/5 give 60, not the mean of 100 and 20.
    result = score_school(SPEC, [r("teacher", U1_01="4", U1_02="ya"), r("teacher", U1_01="1")])
    assert result.indicators["usage"] == 60


def test_skipping_an_optional_question_never_raises_a_score():
    # "Points possible count every scored question asked ... answered or not"
    answered_no = score_school(SPEC, [r("teacher", U1_01="4", U1_02="tidak")])
    skipped = score_school(SPEC, [r("teacher", U1_01="4")])
    assert skipped.indicators["usage"] == answered_no.indicators["usage"] == 80


def test_multiple_choice_is_capped_by_max_points():
    # "multiple choice, the sum of its positive options unless the question
    # caps it (max_points), and the earned points are capped the same way"
    assert SPEC.questions[4].maximum == 2
    result = score_school(SPEC, [r("administrator", H1_01=["a", "b", "c"])])
    assert result.indicators["human_capital"] == 100


@pytest.mark.parametrize(
    ("value", "points"), [("0", 0), ("4", 0), ("5", 2), ("9.5", 2), ("10", 4), ("99", 4), (None, 0)]
)
def test_a_number_earns_its_highest_threshold_reached(value, points):
    question = next(q for q in SPEC.questions if q.code == "A1-01")
    assert question.maximum == 4
    assert question.points(value) == points


def test_short_text_is_not_scored():
    question = next(q for q in SPEC.questions if q.code == "U1-03")
    assert question.maximum == 0 and not SPEC.is_scored(question)


def test_only_completed_respondents_count():
    result = score_school(
        SPEC, [r("teacher", U1_01="4", U1_02="ya"), r("teacher", complete=False, U1_01="0")]
    )
    assert result.indicators["usage"] == 100


def test_a_category_with_nobody_finished_is_left_out_of_the_mean():
    # pupils are asked usage questions but none has finished: usage = teachers
    result = score_school(
        SPEC, [r("teacher", U1_01="2", U1_02="tidak"), r("pupil", complete=False, U1_01="4")]
    )
    assert result.indicators["usage"] == 40


def test_an_indicator_with_nobody_finished_scores_0():
    result = score_school(SPEC, [r("teacher", U1_01="4", U1_02="ya")])
    assert result.indicators["human_capital"] == 0
    assert result.indicators["infrastructure"] == 0
    assert result.exact_score == 40  # 0.4 x 100


def test_provisional_until_every_respondent_has_finished():
    # "A rating is provisional until every required respondent has completed"
    partial = score_school(SPEC, [r("teacher", U1_01="4"), r("pupil", complete=False)])
    assert (partial.status, partial.finished, partial.required) == ("provisional", 1, 2)
    done = score_school(SPEC, [r("teacher", U1_01="4"), r("pupil", U1_01="4")])
    assert done.status == "final"
    assert score_school(SPEC, []).status == "provisional"


def test_a_small_school_with_extra_respondents_weighs_categories_equally():
    # SKM: 1 administrator, 1 coordinator, at least 6 teachers and 6 pupils.
    # Two extra teachers (8) change the teachers' figure, not the weighting.
    teachers = [r("teacher", U1_01="4", U1_02="ya") for _ in range(6)]
    teachers += [r("teacher", U1_01="0", U1_02="tidak") for _ in range(2)]  # the extras
    pupils = [r("pupil", U1_01="2") for _ in range(6)]
    others = [r("administrator", H1_01=["a", "b"]), r("coordinator", A1_01="10", I1_01="ya")]
    result = score_school(SPEC, [*teachers, *pupils, *others])
    assert result.indicators["usage"] == (Fraction(100 * 30, 40) + 50) / 2  # (75 + 50) / 2
    assert result.indicators == {
        "usage": Fraction(125, 2),
        "human_capital": 100,
        "applications": 100,
        "infrastructure": 100,
    }
    assert result.exact_score == Fraction(4 * 125, 20) + 40 + 20  # 25 + 40 + 20 = 85
    assert (result.score, result.stars, result.status, result.required) == (85, 5, "final", 16)


def test_breakdown_shows_points_lost_by_category_and_domain():
    result = score_school(SPEC, [r("teacher", U1_01="3"), r("pupil", U1_01="1")])
    teacher = result.by_category["usage"]["teacher"]
    assert (teacher.earned, teacher.possible) == (3, 5)
    assert (result.by_domain["U1"]["pupil"].earned, result.by_domain["U1"]["pupil"].possible) == (
        1,
        4,
    )


def _rule_in_fractions(spec, by_category):
    """domain.md 1.2 written plainly in Fractions: the reference for the integer arithmetic."""
    from surveys.instrument import CATEGORIES

    indicators = {}
    for code, categories in by_category.items():
        figures = [
            Fraction(100 * s.earned, s.possible)
            for c in CATEGORIES
            if (s := categories.get(c)) and s.possible
        ]
        indicators[code] = sum(figures, Fraction(0)) / len(figures) if figures else Fraction(0)
    weights = {i.code: Fraction(str(i.weight)) for i in spec.indicators}
    exact = sum((weights[c] * v for c, v in indicators.items()), Fraction(0)) / 100
    return indicators, exact


@pytest.mark.parametrize("seed", range(5))
def test_the_integer_arithmetic_gives_exactly_the_fractions_of_the_rule(seed):
    import random

    from surveys.scoring import Share, result_from_shares

    rng = random.Random(seed)
    data = mini()
    data["indicators"][0]["weight"] = 37.5  # weights need not be whole numbers
    data["indicators"][2]["weight"] = 12.5
    spec = parse_instrument(data)
    categories = ["administrator", "coordinator", "teacher", "pupil"]

    def share():
        possible = rng.choice([0, rng.randint(1, 400)])  # 0: nobody in it finished
        return Share(rng.randint(0, possible), possible)

    for _ in range(300):
        by_category = {
            i.code: {c: share() for c in rng.sample(categories, rng.randint(0, 4))}
            for i in spec.indicators
        }
        result = result_from_shares(spec, by_category, {}, 1, 2)
        indicators, exact = _rule_in_fractions(spec, by_category)
        assert (result.indicators, result.exact_score) == (indicators, exact)
        assert result.score == round_half_up(exact) == int(exact + Fraction(1, 2))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 8), "0.13"),  # 0.125: the half goes up
        (Fraction(1, 3) * 100, "33.33"),
        (Fraction(2, 3) * 100, "66.67"),
        (Fraction(4049, 100), "40.49"),
        (Fraction(80499, 1000), "80.50"),
        (Fraction(0), "0.00"),
        (Fraction(100), "100.00"),
        (Fraction(-1, 8), "-0.13"),
        (7, "7.00"),  # not a Fraction: taken exactly as one
        (Decimal("40.495"), "40.50"),
    ],
)
def test_indicator_scores_are_kept_to_two_places_halves_up(value, text):
    from decimal import Decimal

    from ssqs_portal.numbers import two_decimals

    assert two_decimals(value) == Decimal(text) and str(two_decimals(value)) == text
