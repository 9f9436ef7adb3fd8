"""The national recompute (points added up in PostgreSQL) gives exactly the ratings
of the one-school recompute, breakdowns included, on varied and awkward answers."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from surveys.bulk import answer_points, points_refresh, possible_per_respondent, question_rows
from surveys.models import Answer, Rating, Respondent
from surveys.rating import RATING_FIELDS, cycle_recompute, rating_recompute, ratings_recompute_bulk

pytestmark = pytest.mark.django_db

COMPARED = [f for f in RATING_FIELDS if f != "computed_at"]


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the national recompute runs in PostgreSQL (CI runs it; set DATABASE_URL)")


def awkward_values(question, rng):
    """Values a question might hold, well-formed and not (stored JSON as-is)."""
    good = []
    if question.type in ("single", "yesno"):
        good = [o.value for o in question.options]
    elif question.type == "multiple":
        values = [o.value for o in question.options]
        good = [rng.sample(values, rng.randint(1, len(values))) for _ in range(3)]
        good.append(values[:1] + values[:1])  # the same option twice counts once
        good.append(values[0])  # a bare string counts as a one-item list
    elif question.type == "number":
        for at_least, _points in question.thresholds:
            good += [str(at_least), str(at_least - 1), f"{at_least}.5"]
        good += ["0", "-3", 7, "1e2", " 12 "]
    bad = ["", [], "no-such-option", {"x": 1}, ["no-such-option", 3], "twelve"]
    return good * 3 + bad


def fill_randomly(cycle, seed):
    """Complete most respondents of every school with random, partly broken answers."""
    rng = random.Random(seed)
    spec = cycle.instrument.spec
    now = timezone.now()
    answers = []
    respondents = list(Respondent.objects.filter(cycle=cycle))
    for respondent in respondents:
        roll = rng.random()
        if roll < 0.15:
            continue  # never started
        respondent.completed_at = now if roll > 0.3 else None
        for question in spec.questions:
            if respondent.category in question.categories and rng.random() < 0.9:
                value = rng.choice(awkward_values(question, rng))
                answers.append(Answer(respondent=respondent, question=question.code, value=value))
        # An answer to a question not asked of this category counts for nothing.
        answers.append(Answer(respondent=respondent, question="H1-01", value=["a"]))
    Respondent.objects.bulk_update(respondents, ["completed_at"])
    Answer.objects.bulk_create(answers, ignore_conflicts=True)
    # Written behind the form's back: derive their points as an instrument reload does.
    assert points_refresh(cycle.pk, spec) > 0
    assert points_refresh(cycle.pk, spec) == 0  # idempotent: nothing left to change


def snapshot(cycle):
    return {
        school_id: tuple(values)
        for school_id, *values in Rating.objects.filter(cycle=cycle)
        .order_by("school_id")
        .values_list("school_id", *COMPARED)
    }


@pytest.mark.parametrize("instrument", ["mini_cycle", "real_cycle"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bulk_recompute_equals_one_school_at_a_time(request, instrument, seed, monkeypatch):
    needs_postgresql()
    cycle = request.getfixturevalue(instrument)
    fill_randomly(cycle, seed)
    school_ids = sorted(
        Respondent.objects.order_by().values_list("school_id", flat=True).distinct()
    )
    for school_id in school_ids:
        rating_recompute(cycle_id=cycle.pk, school_id=school_id)
    one_by_one = snapshot(cycle)
    Rating.objects.all().delete()
    if seed == 2:  # store through COPY as for the nation, over one stale rating
        monkeypatch.setattr("surveys.rating.COPY_RATINGS_ABOVE", 0)
        rating_recompute(cycle_id=cycle.pk, school_id=school_ids[0])
        Rating.objects.update(score=0, stars=1, band="Basic", breakdown={})
    assert ratings_recompute_bulk(cycle_id=cycle.pk) == len(school_ids)
    assert snapshot(cycle) == one_by_one
    scores = {values[COMPARED.index("score")] for values in one_by_one.values()}
    assert len(scores) > 1 or seed != 1  # the answers really differ between schools


def test_bulk_recompute_of_some_schools_touches_only_those(real_cycle, world):
    needs_postgresql()
    fill_randomly(real_cycle, 7)
    assert ratings_recompute_bulk(cycle_id=real_cycle.pk, school_ids=[world.a.pk]) == 1
    assert list(Rating.objects.values_list("school_id", flat=True)) == [world.a.pk]
    before = snapshot(real_cycle)
    rating_recompute(cycle_id=real_cycle.pk, school_id=world.a.pk)
    assert snapshot(real_cycle) == before


def test_whole_cycle_recompute_is_idempotent(real_cycle):
    fill_randomly(real_cycle, 11)
    cycle_recompute(cycle_id=real_cycle.pk)
    first = snapshot(real_cycle)
    cycle_recompute(cycle_id=real_cycle.pk)
    assert snapshot(real_cycle) == first
    assert len(first) == 3


def test_question_rows_follow_the_instrument(mini_cycle):
    spec = mini_cycle.instrument.spec
    rows = {row[0]: row for row in question_rows(spec)}
    # Text and profile questions earn nothing, so they are not looked up.
    assert "U1-03" not in rows and "L1-01" not in rows
    assert rows["U1-01"][1:5] == ("choice", 4, "U1", ["teacher", "pupil"])
    assert rows["H1-01"][1:3] == ("multiple", 2)
    possible = possible_per_respondent(spec)
    assert possible["teacher"]["U1"] == 4 + 1  # scale 0-4 and a yes/no worth 1
    assert possible["administrator"]["H1"] == 2  # three 1-point options capped at 2


def test_the_form_stores_the_points_the_rule_gives(mini_cycle, world):
    """Points written by the save agree with the re-derivation (nothing left to change)."""
    from tests.surveys.conftest import complete, respondents

    spec = mini_cycle.instrument.spec
    for respondent in respondents(mini_cycle, world.a)[:8]:
        complete(respondent)
    stored = list(Answer.objects.values_list("respondent__category", "question", "value", "points"))
    assert stored
    for category, code, value, points in stored:
        assert points == answer_points(spec, category, code, value)
    assert any(points for *_rest, points in stored)
    assert points_refresh(mini_cycle.pk, spec) == 0


def test_answer_points_follow_the_rule():
    """answer_points is Question.points where asked and scored, else None."""
    from surveys.instrument import parse_instrument
    from tests.surveys.instruments import mini

    spec = parse_instrument(mini())
    table = [
        ("teacher", "U1-01", "3", 3),  # scale option "3" earns 3
        ("pupil", "U1-01", "9", 0),  # not an option: nothing
        ("administrator", "U1-01", "3", None),  # not asked of administrators
        ("teacher", "U1-03", "a remark", None),  # text is not scored
        ("administrator", "H1-01", ["a", "b", "c"], 2),  # capped at max_points 2
        ("coordinator", "A1-01", "7", 2),  # threshold 5 reached, 10 not
        ("coordinator", "A1-01", "10", 4),
        ("coordinator", "L1-01", "30", None),  # profile: not scored
        ("coordinator", "NO-SUCH", "1", None),
    ]
    for category, code, value, expected in table:
        assert answer_points(spec, category, code, value) == expected, (category, code, value)


def test_reloading_the_instrument_rederives_the_stored_points(mini_cycle, world, tmp_path):
    """A changed option's points reach the stored points, and so the rating."""
    import yaml

    from surveys.loading import instrument_load
    from tests.surveys.conftest import complete, respondents
    from tests.surveys.instruments import mini

    for respondent in respondents(mini_cycle, world.a, "coordinator"):
        complete(respondent)
    assert set(Answer.objects.filter(question="I1-01").values_list("points", flat=True)) == {1}
    data = mini()
    infra = next(q for q in data["questions"] if q["code"] == "I1-01")
    infra["options"] = [dict(o, points=3 if o["value"] == "ya" else 0) for o in infra["options"]]
    path = tmp_path / "reloaded.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    instrument_load(path=path)
    assert set(Answer.objects.filter(question="I1-01").values_list("points", flat=True)) == {3}
    cycle_recompute(cycle_id=mini_cycle.pk)
    by_sum = snapshot(mini_cycle)
    Rating.objects.all().delete()
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)  # scores values in Python
    assert snapshot(mini_cycle)[world.a.pk] == by_sum[world.a.pk]


def test_recompute_ratings_rescore_rederives_stale_points(mini_cycle, world):
    """--rescore puts every stored point back in step with its value before adding them up."""
    from django.core.management import call_command

    from tests.surveys.conftest import complete, respondents

    for respondent in respondents(mini_cycle, world.a, "coordinator"):
        complete(respondent)
    cycle_recompute(cycle_id=mini_cycle.pk)
    right = snapshot(mini_cycle)
    Answer.objects.update(points=0)  # points out of step, as after a bad manual edit
    call_command("recompute_ratings", cycle=2026, rescore=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot(mini_cycle) == right
    assert Answer.objects.filter(question="I1-01").values_list("points", flat=True)[0] == 1
