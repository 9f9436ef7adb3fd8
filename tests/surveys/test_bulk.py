"""The national recompute (points added up in PostgreSQL) gives exactly the ratings
of the one-school recompute, breakdowns included, on varied and awkward answers."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from surveys.bulk import possible_per_respondent, question_rows
from surveys.models import Answer, Rating, Respondent
from surveys.services import (
    RATING_FIELDS,
    cycle_recompute,
    rating_recompute,
    ratings_recompute_bulk,
)

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
        monkeypatch.setattr("surveys.services.COPY_RATINGS_ABOVE", 0)
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
