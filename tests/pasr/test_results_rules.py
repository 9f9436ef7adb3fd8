"""The results area's rules, table by table, each quoting the seed (002) it follows.

6.8 "Moderasi skor adalah proses menyeragamkan skor sebelum melalui proses
verifikasi skor. Moderasi skor dilakukan oleh Ketua Panitia".
6.9 "Verifikasi skor ... dilakukan oleh Jawatankuasa Verifikasi Skor yang
dipengerusikan oleh Guru Besar."
4.6 "Calon tidak boleh menduduki PASR kerana tempoh pelaksanaannya telah tamat."
4.8 "Calon boleh menduduki PASR sekiranya sekolah baharu melaksanakan PASR."
4.9 "Calon boleh menduduki Instrumen ProKhas 2 sekiranya sekolah baharu melaksanakan PASR."
4.10 "Calon tidak dapat melaksanakan PASR kerana PASR dilaksanakan semasa waktu
pengajaran dan pembelajaran dan calon ditaksir oleh guru yang mengajar."
"""

import datetime

import pytest

from pasr import rules
from pasr.rules import ABSENT, NOT_STARTED, RATED, VERIFIED

KT, K, BK = rules.KOMPETEN_TERPUJI, rules.KOMPETEN, rules.BELUM_KOMPETEN

# (teacher's level, moderated level, reason, refused?) - 6.8 and domain.md 2 ("why it changed")
MODERATION = [
    (K, K, "", False),  # confirming the teacher's level needs no reason
    (K, KT, "", True),  # a change without a reason
    (K, KT, "   ", True),  # blank is no reason
    (K, KT, "Calon berdikari semasa tugasan", False),
    (BK, K, "Sesuai dengan kriteria minimum", False),
    (None, K, "x", True),  # nothing rated yet: nothing to moderate
    (K, "cemerlang", "x", True),  # not one of the three levels
    (K, "", "", True),
]


@pytest.mark.parametrize(("assessed", "level", "reason", "refused"), MODERATION)
def test_moderation_confirms_or_changes_with_a_reason(assessed, level, reason, refused):
    why = rules.moderation_refusal(assessed=assessed, level=level, reason=reason)
    assert (why is not None) == refused, why


PPKI = rules.SchoolYear(has_ppki=True, partial_inclusive=False)
INCLUSIVE = rules.SchoolYear(has_ppki=False, partial_inclusive=True)
NEITHER = rules.SchoolYear(has_ppki=False, partial_inclusive=False)

# (new school, same school, status, refused, words in the refusal) - 4.8, 4.9, 4.10
TRANSFER = [
    (PPKI, False, rules.REGISTERED, False, None),  # 4.8
    (INCLUSIVE, False, rules.REGISTERED, False, None),  # partial inclusive runs PASR too
    (PPKI, False, rules.ABSENT, False, None),  # absent for ProKhas 1: may sit ProKhas 2 (4.9)
    (NEITHER, False, rules.REGISTERED, True, "assessed by the teacher who teaches them"),  # 4.10
    (PPKI, True, rules.REGISTERED, True, "already registered at this school"),
    (PPKI, False, rules.COMPLETED, True, "finished"),
    (PPKI, False, rules.WITHDRAWN, True, "finished"),
]


@pytest.mark.parametrize(("school", "same", "status", "refused", "words"), TRANSFER)
def test_a_transfer_needs_a_new_school_that_runs_pasr(school, same, status, refused, words):
    why = rules.transfer_refusal(to_school=school, same_school=same, status=status)
    assert (why is not None) == refused
    if words:
        assert words in str(why)


CLOSES = datetime.date(2026, 5, 26)
# (window closes, today, rated, refused) - 4.6: absent for the whole window, known once it ended
ABSENCE = [
    (CLOSES, datetime.date(2026, 5, 27), False, False),
    (CLOSES, CLOSES, False, True),  # the window's last day: not over yet
    (CLOSES, datetime.date(2026, 4, 1), False, True),
    (CLOSES, datetime.date(2026, 6, 1), True, True),  # rated: not absent for the whole window
    (None, datetime.date(2026, 6, 1), False, True),  # window not published
]


@pytest.mark.parametrize(("closes", "today", "rated", "refused"), ABSENCE)
def test_absence_is_recorded_after_the_window_with_nothing_rated(closes, today, rated, refused):
    why = rules.absence_refusal(instrument=rules.PROKHAS1, window_closes=closes, today=today,
                                rated=rated)  # fmt: skip
    assert (why is not None) == refused, why


# (stages of the latest rating of each construct rated, constructs, absent, done)
DONE = [
    ([], 10, False, NOT_STARTED),
    (["assessed"], 10, False, RATED),
    (["verified"] * 9, 10, False, RATED),  # one construct left
    (["verified"] * 10, 10, False, VERIFIED),  # 6.9: every construct verified
    (["verified"] * 9 + ["moderated"], 10, False, RATED),
    ([], 10, True, ABSENT),  # 4.6
]


@pytest.mark.parametrize(("stages", "constructs", "absent", "done"), DONE)
def test_what_was_done_in_an_instrument(stages, constructs, absent, done):
    assert rules.instrument_done(stages=stages, constructs=constructs, absent=absent) == done


# (done per instrument, current status, status)
STATUS = [
    ({"prokhas1": VERIFIED, "prokhas2": VERIFIED}, rules.REGISTERED, rules.COMPLETED),
    ({"prokhas1": VERIFIED, "prokhas2": RATED}, rules.REGISTERED, rules.REGISTERED),
    ({"prokhas1": ABSENT, "prokhas2": VERIFIED}, rules.ABSENT, rules.COMPLETED),  # 4.6 not counted
    ({"prokhas1": ABSENT, "prokhas2": NOT_STARTED}, rules.REGISTERED, rules.ABSENT),
    ({"prokhas1": ABSENT, "prokhas2": ABSENT}, rules.REGISTERED, rules.ABSENT),
    ({"prokhas1": VERIFIED, "prokhas2": RATED}, rules.COMPLETED, rules.REGISTERED),  # reopened
    ({"prokhas1": VERIFIED, "prokhas2": VERIFIED}, rules.WITHDRAWN, rules.WITHDRAWN),
]


@pytest.mark.parametrize(("done", "current", "status"), STATUS)
def test_a_candidate_completes_when_every_instrument_sat_is_verified(done, current, status):
    assert rules.candidate_status(done=done, current=current) == status


# (level, absent, carried over from a previous school, refused) - 4.6 and 4.9
RATING = [
    (K, False, None, False),
    ("x", False, None, True),
    (K, True, None, True),  # 4.6: cannot sit it afterwards
    (K, False, VERIFIED, True),  # 4.9: ProKhas 1 stays with the old school
    (K, False, RATED, False),  # moved in the middle of it: continues here
]


@pytest.mark.parametrize(("level", "absent", "carried", "refused"), RATING)
def test_a_rating_is_refused_for_an_absent_or_finished_instrument(level, absent, carried, refused):
    why = rules.rating_refusal(level=level, absent=absent, carried=carried)
    assert (why is not None) == refused


# (status, reason, refused) - the portal's rule (the seed names no withdrawal): a candidate who
# sits PASR at the school (registered or absent) may be withdrawn with a written reason.
WITHDRAW = [
    (rules.REGISTERED, "Berpindah ke luar negara", False),
    (rules.ABSENT, "Sakit berpanjangan", False),
    (rules.REGISTERED, "   ", True),  # a reason is required
    (rules.COMPLETED, "x", True),  # a completed result stands
    (rules.WITHDRAWN, "x", True),  # already withdrawn
    (rules.TRANSFERRED_OUT, "x", True),  # the new school's to withdraw
]


@pytest.mark.parametrize(("status", "reason", "refused"), WITHDRAW)
def test_who_may_be_withdrawn(status, reason, refused):
    assert (rules.withdraw_refusal(status=status, reason=reason) is not None) == refused
