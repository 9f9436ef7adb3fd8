"""PASR's registration rules, table by table, quoting seed 002 (3.1-3.5).

3.1: "Siapakah yang boleh mendaftar untuk menduduki PASR?
 1. MBK yang berada dalam Program Pendidikan Khas Integrasi (PPKI) dan MBK
    yang mengikuti pendidikan inklusif separa ...; dan
 2. mengikuti KSSR PK Masalah Pembelajaran Tahap 2; dan
 3. berada pada tahun akhir persekolahan; dan
 4. berumur tidak melebihi 14 tahun pada 1 Januari tahun pentaksiran; dan
 5. mempunyai pengesahan pegawai perubatan hospital Kerajaan/hospital swasta/kad OKU."
3.2: "Calon dibenarkan mendaftar untuk menduduki sama ada PASR atau UPSR sahaja."
3.3: "PASR tidak ditawarkan kepada calon persendirian."
3.4: "1 Mac hingga 31 Mac tahun pentaksiran."
3.5: "Pendaftaran calon PASR dilakukan oleh Setiausaha Peperiksaan sekolah."
"""

import datetime
from dataclasses import replace

import pytest

from core.people import roles
from pasr import rules

Y = 2027
PPKI_SCHOOL = rules.SchoolYear(has_ppki=True, partial_inclusive=False)
INCLUSIVE_SCHOOL = rules.SchoolYear(has_ppki=False, partial_inclusive=True)
NEITHER = rules.SchoolYear(has_ppki=False, partial_inclusive=False)
ELIGIBLE = rules.Applicant(
    date_of_birth=datetime.date(Y - 13, 6, 1),
    programme=rules.PPKI,
    curriculum=rules.KSSR_PK_MP,
    tahap=2,
    final_year=True,
    medical="oku_card",
    mainstream_exam=False,
)


def failed(applicant=ELIGIBLE, *, school=PPKI_SCHOOL, window_open=True, already=False):
    return rules.failed_rules(
        applicant, year=Y, school=school, window_open=window_open, already_registered=already
    )


def test_an_applicant_meeting_every_rule_is_eligible():
    assert failed() == []


# (what differs, the school, the rule refused) — one row per rule of 3.1-3.3.
ONE_RULE = [
    # 3.1 (1): in the school's PPKI, or in partial inclusive education it declared.
    ({"programme": rules.NO_PROGRAMME}, PPKI_SCHOOL, rules.PROGRAMME),
    ({"programme": rules.INCLUSIVE}, PPKI_SCHOOL, rules.PROGRAMME),
    ({"programme": rules.PPKI}, INCLUSIVE_SCHOOL, rules.PROGRAMME),
    ({"programme": rules.PPKI}, NEITHER, rules.PROGRAMME),
    # 3.1 (2): KSSR PK Masalah Pembelajaran, Tahap 2.
    ({"curriculum": "other"}, PPKI_SCHOOL, rules.CURRICULUM),
    ({"tahap": 1}, PPKI_SCHOOL, rules.TAHAP),
    # 3.1 (3): the final year of schooling.
    ({"final_year": False}, PPKI_SCHOOL, rules.FINAL_YEAR),
    # 3.1 (4): at most 14 on 1 January of the assessment year.
    ({"date_of_birth": datetime.date(Y - 15, 1, 1)}, PPKI_SCHOOL, rules.AGE),
    # 3.1 (5): a hospital medical officer's confirmation or an OKU card.
    ({"medical": "none"}, PPKI_SCHOOL, rules.MEDICAL),
    # 3.2: PASR or the mainstream examination, never both.
    ({"mainstream_exam": True}, PPKI_SCHOOL, rules.EXCLUSIVE),
    # 3.3: no private candidates.
    ({"private_candidate": True}, PPKI_SCHOOL, rules.PRIVATE),
]


@pytest.mark.parametrize(("change", "school", "rule"), ONE_RULE)
def test_each_rule_refused_is_named(change, school, rule):
    assert failed(replace(ELIGIBLE, **change), school=school) == [rule]


def test_inclusive_education_declared_by_the_school_makes_an_inclusive_pupil_eligible():
    assert failed(replace(ELIGIBLE, programme=rules.INCLUSIVE), school=INCLUSIVE_SCHOOL) == []


@pytest.mark.parametrize("proof", ["gov_hospital", "private_hospital", "oku_card"])
def test_each_medical_proof_of_rule_5_is_enough(proof):
    assert failed(replace(ELIGIBLE, medical=proof)) == []


def test_registration_outside_the_window_is_refused():
    """3.4: "1 Mac hingga 31 Mac tahun pentaksiran" (the board may reopen it)."""
    assert failed(window_open=False) == [rules.WINDOW]


def test_an_identity_number_registered_already_is_refused():
    assert failed(already=True) == [rules.DUPLICATE]


# The age edges of domain.md for assessment year Y: completed years on 1 January,
# a birthday on 1 January counting as reached.
AGE_EDGES = [
    (datetime.date(Y - 14, 1, 1), 14, True),  # born 1 January Y-14: 14, eligible
    (datetime.date(Y - 15, 1, 2), 14, True),  # born 2 January Y-15: still 14, eligible
    (datetime.date(Y - 15, 1, 1), 15, False),  # born 1 January Y-15: 15, refused
    (datetime.date(Y - 15, 12, 31), 14, True),
    (datetime.date(Y - 16, 6, 1), 15, False),
    (datetime.date(Y - 10, 6, 1), 9, True),
]


@pytest.mark.parametrize(("born", "age", "eligible"), AGE_EDGES)
def test_age_on_1_january_of_the_assessment_year(born, age, eligible):
    assert rules.age_in_year(born, Y) == age
    assert (rules.AGE not in failed(replace(ELIGIBLE, date_of_birth=born))) is eligible


def test_the_earliest_eligible_birth_is_2_january_fifteen_years_before():
    assert rules.earliest_birth(Y) == datetime.date(Y - 15, 1, 2)


def test_every_failed_rule_is_named_at_once_in_order():
    everything_wrong = rules.Applicant(
        date_of_birth=datetime.date(Y - 16, 1, 1),
        programme=rules.NO_PROGRAMME,
        curriculum="other",
        tahap=1,
        final_year=False,
        medical="none",
        mainstream_exam=True,
        private_candidate=True,
    )
    assert failed(everything_wrong, window_open=False, already=True) == list(rules.RULES)


def test_several_rules_at_once():
    applicant = replace(ELIGIBLE, tahap=1, medical="none", mainstream_exam=True)
    assert failed(applicant) == [rules.TAHAP, rules.MEDICAL, rules.EXCLUSIVE]


def test_the_age_refusal_gives_the_age_and_the_earliest_date_of_birth():
    born = datetime.date(Y - 15, 1, 1)
    (refusal,) = rules.refusals(
        [rules.AGE], year=Y, born=born, opens=datetime.date(Y, 3, 1),
        closes=datetime.date(Y, 3, 31),
    )  # fmt: skip
    assert refusal.rule == rules.AGE
    assert f"1 January {Y}" in refusal.message
    assert f"{Y - 15}-01-02" in refusal.message and "is 15" in refusal.message


def test_the_window_refusal_gives_the_board_s_dates():
    (refusal,) = rules.refusals(
        [rules.WINDOW], year=Y, born=None, opens=datetime.date(Y, 3, 1),
        closes=datetime.date(Y, 3, 31),
    )  # fmt: skip
    assert f"{Y}-03-01" in refusal.message and f"{Y}-03-31" in refusal.message


def test_a_duplicate_names_the_school_only_when_it_is_the_same_school():
    here = rules.refusals([rules.DUPLICATE], year=Y, born=None, opens=None, closes=None,
                          duplicate_school="SK ALFA")  # fmt: skip
    elsewhere = rules.refusals([rules.DUPLICATE], year=Y, born=None, opens=None, closes=None)
    assert "at this school (SK ALFA)" in here[0].message
    assert "elsewhere in the nation" in elsewhere[0].message
    assert "SK" not in elsewhere[0].message


@pytest.mark.parametrize(
    ("failed_rules", "overridable"),
    [
        ([rules.AGE], True),
        ([rules.WINDOW, rules.MEDICAL, rules.PROGRAMME], True),
        (list(rules.OVERRIDABLE), True),
        ([rules.EXCLUSIVE], False),  # 3.2 is never set aside
        ([rules.PRIVATE], False),  # nor 3.3
        ([rules.DUPLICATE], False),
        ([rules.AGE, rules.EXCLUSIVE], False),
        ([], False),
    ],
)
def test_the_board_overrides_only_the_overridable_rules(failed_rules, overridable):
    assert rules.overridable(failed_rules) is overridable


def test_only_the_exam_secretary_registers():
    """3.5: "Pendaftaran calon PASR dilakukan oleh Setiausaha Peperiksaan sekolah.\""""
    assert set(roles.ACTS["pasr.register"]) == {roles.EXAM_SECRETARY}


@pytest.mark.parametrize(
    ("opens", "closes", "ok"),
    [
        (datetime.date(Y, 3, 1), datetime.date(Y, 3, 31), True),
        (datetime.date(Y, 4, 1), datetime.date(Y, 4, 14), True),  # reopened
        (datetime.date(Y, 3, 31), datetime.date(Y, 3, 1), False),
        (datetime.date(Y - 1, 12, 1), datetime.date(Y, 3, 31), False),
    ],
)
def test_registration_is_held_within_the_assessment_year(opens, closes, ok):
    assert (rules.registration_window_refusal(opens, closes, Y) is None) is ok


@pytest.mark.parametrize(
    ("instrument", "days", "ok"),
    [(rules.PROKHAS1, 56, True), (rules.PROKHAS1, 28, False), (rules.PROKHAS2, 28, True),
     (rules.PROKHAS2, 29, False)],
)  # fmt: skip
def test_prokhas_windows_run_8_and_4_weeks(instrument, days, ok):
    opens = datetime.date(Y, 5, 3)
    closes = opens + datetime.timedelta(days=days - 1)
    assert (rules.instrument_window_refusal(instrument, opens, closes, Y) is None) is ok


@pytest.mark.parametrize(
    ("due", "ok"),
    [(datetime.date(Y, 10, 31), True), (datetime.date(Y, 6, 1), False),
     (datetime.date(Y + 1, 1, 5), False)],
)  # fmt: skip
def test_results_are_due_in_the_year_after_the_windows_close(due, ok):
    closes = [datetime.date(Y, 6, 30), None]
    assert (rules.results_due_refusal(due, year=Y, closes=closes) is None) is ok


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("120101-10-1234", "120101101234"), (" 120101 10 1234 ", "120101101234"),
     ("12010110123", None), ("1201011012345", None), ("12O101101234", None), ("", None),
     ("١٢٠١٠١١٠١٢٣٤", None)],
)  # fmt: skip
def test_identity_numbers_are_twelve_ascii_digits(typed, digits):
    assert rules.normalise_id(typed) == digits
