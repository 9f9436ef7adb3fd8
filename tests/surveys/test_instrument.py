from pathlib import Path

import pytest
import yaml

from surveys.instrument import InstrumentError, parse_instrument
from tests.surveys.instruments import mini

DEFAULT = Path(__file__).resolve().parents[2] / "surveys" / "instruments" / "ssqs-2026.yaml"


def errors_of(data):
    with pytest.raises(InstrumentError) as info:
        parse_instrument(data)
    return info.value.errors


def test_the_default_instrument_is_valid_and_realistic():
    spec = parse_instrument(yaml.safe_load(DEFAULT.read_text()))
    assert spec.year == 2026
    assert 60 <= len(spec.questions) <= 100
    assert [(i.code, int(i.weight)) for i in spec.indicators] == [
        ("usage", 40),
        ("human_capital", 40),
        ("applications", 10),
        ("infrastructure", 10),
    ]
    assert [d.code for d in spec.profile_domains] == ["L1"]
    assert spec.profile_domains[0].name["ms"] == "Lain-lain"
    for category in ("administrator", "coordinator", "teacher", "pupil"):
        assert spec.domains_for(category), category
    assert all(q.text.get("ms") and q.text.get("en") for q in spec.questions)


def test_weights_must_sum_to_100():
    data = mini()
    data["indicators"][0]["weight"] = 45
    assert "indicators: the weights sum to 105, not 100" in errors_of(data)


def test_duplicate_codes_are_named():
    data = mini()
    data["questions"].append(dict(data["questions"][1]))
    data["domains"].append(dict(data["domains"][1]))
    errors = errors_of(data)
    assert "questions[7] (U1-01): duplicate question code 'U1-01'" in errors
    assert "domains[5] (U1): duplicate domain code 'U1'" in errors


def test_an_indicator_with_no_scored_question_is_refused():
    data = mini()
    data["questions"] = [q for q in data["questions"] if q["domain"] != "I1"]
    data["domains"] = [d for d in data["domains"] if d["code"] != "I1"]
    assert "indicators: 'infrastructure' has no scored question" in errors_of(data)


def test_a_mandatory_question_nobody_answers_is_refused():
    data = mini()
    data["questions"][1]["categories"] = []
    assert (
        "questions[1] (U1-01): no respondent category answers it but it is mandatory"
        in errors_of(data)
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["indicators"].pop(), "indicators: 'infrastructure' must appear exactly once"),
        (lambda d: d["questions"][1].update(type="slider"), "type 'slider' is not one of"),
        (lambda d: d["questions"][1].update(domain="Z9"), "domain 'Z9' is not defined"),
        (lambda d: d["questions"][1].update(categories=["parent"]), "unknown categories parent"),
        (lambda d: d["questions"][0].update(min=10, max=1), "min 10 is above max 1"),
        (lambda d: d["questions"][1].update(code="_initial"), "'_initial' is reserved"),
    ],
)
def test_other_mistakes_are_named(change, message):
    data = mini()
    change(data)
    assert any(message in error for error in errors_of(data)), errors_of(data)
