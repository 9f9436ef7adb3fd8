import math

import pytest

from surveys import rules


@pytest.mark.parametrize(
    ("is_skm", "required"),
    [
        # seed 000 "Responden": 1 pentadbir, 1 koordinator, 30 guru, 30 murid
        (False, {"administrator": 1, "coordinator": 1, "teacher": 30, "pupil": 30}),
        # SKM: 1 pentadbir, 1 guru penyelaras ICT, sekurang-kurangnya 6 guru, 6 murid
        (True, {"administrator": 1, "coordinator": 1, "teacher": 6, "pupil": 6}),
    ],
)
def test_required_respondents_by_school_size(is_skm, required):
    assert rules.required_respondents(is_skm) == required


def test_skm_school_needs_six_teachers_and_may_add_more():
    assert rules.required_respondents(True)["teacher"] == 6
    assert rules.EXTRA_ALLOWED[True] == ("teacher", "pupil")
    assert rules.EXTRA_ALLOWED[False] == ()


def test_tags_carry_at_least_30_bits_without_look_alikes():
    assert rules.TAG_LENGTH * math.log2(len(rules.TAG_ALPHABET)) >= 30
    assert not set("01OIL") & set(rules.TAG_ALPHABET)


def test_tags_are_random_and_distinct():
    tags = rules.new_tags(500, taken={"AAAAAAAA"})
    assert len(set(tags)) == 500 and "AAAAAAAA" not in tags
    assert all(len(t) == 8 and set(t) <= set(rules.TAG_ALPHABET) for t in tags)
    assert sorted(tags) != tags  # not issued in order


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("k7qm-3xtp", "K7QM3XTP"),
        (" K7QM 3XTP ", "K7QM3XTP"),
        ("K7QM3XTP", "K7QM3XTP"),
        ("K7QM3XT", None),
        ("K7QM3XT0", None),
        ("", None),
        ("K7QM-3XTP-Z", None),
    ],
)
def test_a_typed_tag_is_normalized_or_refused(typed, stored):
    assert rules.normalize_tag(typed) == stored
