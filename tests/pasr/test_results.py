"""PASR results: rating, moderation, verification through core.review, absences, transfers.

Seed 002: 5.2 (levels), 6.8 (moderasi skor by the Ketua Panitia), 6.9
(verifikasi skor by the committee chaired by the Guru Besar), 4.6 (absent
for a whole window), 4.8-4.10 (transfers). Every stage is a new row: the
teacher's first rating is never overwritten.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.review.models import ReviewEvent, ReviewSubject
from pasr import rules
from pasr.instrument import instrument
from pasr.models import Absence, Candidate, Rating, SchoolYear, Transfer
from tests.factories import exam_secretary_of, person
from tests.pasr.factories import YEAR, assessment_year, candidate

# The pages are read in English (Malay is the default).
pytestmark = pytest.mark.usefixtures("english")

KT, K, BK = rules.KOMPETEN_TERPUJI, rules.KOMPETEN, rules.BELUM_KOMPETEN
P1 = [c.code for c in instrument().get("prokhas1").constructs]
P2 = [c.code for c in instrument().get("prokhas2").constructs]
# Both instruments open for results (ProKhas 1 ran in April-May, ProKhas 2 in June; due 31 July).
DAY = datetime.date(YEAR, 6, 10)
AFTER = datetime.date(YEAR, 8, 10)


@pytest.fixture
def pasr(world, monkeypatch):
    """Schools A and B run PASR (PPKI), C does not; A has two candidates; today is DAY."""
    w = world
    for school in (w.a, w.b):
        school.has_ppki = True
        school.save(update_fields=["has_ppki"])
    w.year = assessment_year()
    w.ali = candidate(w.a, name="Ali bin Abu", id_number="140101101234")
    w.siti = candidate(w.a, name="Siti binti Omar", class_name="6 Cemerlang")
    w.users["exam_sec_b"] = exam_secretary_of(w.b, username="su.b")
    w.users["teacher_b"] = person("cikgu.b", roles=[("teacher", w.b)])
    w.users["exam_sec_c"] = exam_secretary_of(w.c, username="su.c")
    w.today = DAY
    monkeypatch.setattr("pasr.calendar.today", lambda: w.today)
    return w


def _url(name, school, *args, year=YEAR):
    return reverse(f"pasr:{name}", args=[school.code, *args]) + f"?year={year}"


def rate(client, school, code, levels):
    """POST the rating grid: {(candidate, construct): level}."""
    data = {f"r-{c.pk}-{construct}": level for (c, construct), level in levels.items()}
    return client.post(_url("rate", school, code), data)


def rate_all(client, school, code, candidates, level=K):
    codes = P1 if code == "prokhas1" else P2
    return rate(client, school, code, {(c, x): level for c in candidates for x in codes})


def rows(c, construct=None):
    found = Rating.objects.filter(candidate=c).order_by("at", "pk")
    if construct:
        found = found.filter(construct=construct)
    return list(found.values_list("construct", "stage", "level", "reason", "by__username"))


def verify(client, school, code, **more):
    return client.post(_url("review", school), {"window": code, "decision": "verified", **more})


def test_the_teachers_first_rating_is_never_overwritten(pasr, login):
    w = pasr
    teacher = login(w.users["pasr_teacher_a"])
    assert rate(teacher, w.a, "prokhas1", {(w.ali, "P1-BM-1"): K}).status_code == 302
    head = login(w.users["subject_head_a"])
    form = {f"m-{w.ali.pk}-P1-BM-1": KT, f"why-{w.ali.pk}-P1-BM-1": "Berdikari"}
    response = head.post(_url("moderate", w.a, "prokhas1"), form)
    assert response.status_code == 302
    assert rows(w.ali) == [
        ("P1-BM-1", "assessed", K, "", "cikgu.pk"),
        ("P1-BM-1", "moderated", KT, "Berdikari", "ketua.panitia"),
    ]
    page = login(w.users["head_a"]).get(_url("candidate", w.a, w.ali.pk)).content.decode()
    assert 'data-construct="P1-BM-1" data-level="kompeten_terpuji" data-stage="moderated"' in page
    assert 'data-history-stage="assessed" data-history-level="kompeten"' in page
    assert "Berdikari" in page
    # Not rated yet: the element is there with an empty level.
    assert 'data-construct="P2-BI-1" data-level="" data-stage=""' in page
    # Seed 5.2's interpretation is shown with the levels.
    assert str(rules.DESCRIPTORS[KT]) in page


def test_every_construct_is_shown_grouped_with_the_chosen_component(pasr, login):
    w = pasr
    page = login(w.users["pasr_teacher_a"]).get(_url("candidate", w.a, w.ali.pk)).content.decode()
    for code in P1 + P2:
        assert f'data-construct="{code}"' in page
    assert 'data-kh-component="masakan"' in page
    # The identity number is masked for everyone but the exam secretary.
    assert "******-**-1234" in page and "140101-10-1234" not in page
    secretary = login(w.users["exam_sec_a"]).get(_url("candidate", w.a, w.ali.pk))
    assert "140101-10-1234" in secretary.content.decode()


def test_an_unchanged_rating_writes_nothing(pasr, login):
    w = pasr
    teacher = login(w.users["pasr_teacher_a"])
    rate(teacher, w.a, "prokhas1", {(w.ali, "P1-BM-1"): K})
    rate(teacher, w.a, "prokhas1", {(w.ali, "P1-BM-1"): K, (w.ali, "P1-BM-2"): BK})
    assert [r[:3] for r in rows(w.ali)] == [("P1-BM-1", "assessed", K), ("P1-BM-2", "assessed", BK)]
    rate(teacher, w.a, "prokhas1", {(w.ali, "P1-BM-1"): KT})
    assert [r[2] for r in rows(w.ali, "P1-BM-1")] == [K, KT]


def test_a_rating_that_is_not_a_level_saves_nothing(pasr, login):
    w = pasr
    response = rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1",
                    {(w.ali, "P1-BM-1"): K, (w.siti, "P1-BM-1"): "cemerlang"})  # fmt: skip
    assert response.status_code == 200 and "data-error" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_moderation_change_needs_a_reason(pasr, login):
    w = pasr
    rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", {(w.ali, "P1-BM-1"): K})
    head = login(w.users["subject_head_a"])
    response = head.post(_url("moderate", w.a, "prokhas1"), {f"m-{w.ali.pk}-P1-BM-1": BK})
    assert response.status_code == 200
    assert "Say why the level is changed" in response.content.decode()
    assert [r[1] for r in rows(w.ali)] == ["assessed"]
    # Confirming the teacher's level needs no reason.
    head.post(_url("moderate", w.a, "prokhas1"), {f"m-{w.ali.pk}-P1-BM-1": K})
    assert [r[1:3] for r in rows(w.ali)] == [("assessed", K), ("moderated", K)]


def test_confirm_all_moderates_every_unmoderated_rating_of_a_class(pasr, login):
    w = pasr
    teacher = login(w.users["pasr_teacher_a"])
    rate_all(teacher, w.a, "prokhas1", [w.ali, w.siti])
    head = login(w.users["subject_head_a"])
    url = reverse("pasr:moderate", args=[w.a.code, "prokhas1"]) + f"?year={YEAR}&class=6 Bestari"
    assert head.post(url, {"action": "confirm_all"}).status_code == 302
    assert Rating.objects.filter(candidate=w.ali, stage="moderated").count() == len(P1)
    assert not Rating.objects.filter(candidate=w.siti, stage="moderated").exists()


def _rated_and_moderated(w, login, code="prokhas1", candidates=None):
    candidates = candidates or [w.ali, w.siti]
    rate_all(login(w.users["pasr_teacher_a"]), w.a, code, candidates)
    login(w.users["subject_head_a"]).post(_url("moderate", w.a, code), {"action": "confirm_all"})


def test_verification_writes_verified_rows_and_locks_the_results(pasr, login):
    w = pasr
    _rated_and_moderated(w, login)
    head = login(w.users["head_a"])
    assert verify(head, w.a, "prokhas1").status_code == 302
    subject = ReviewSubject.objects.get(programme="pasr", school=w.a, window="prokhas1")
    assert subject.state == "verified"
    assert Rating.objects.filter(stage="verified", by=w.users["head_a"]).count() == 2 * len(P1)
    event = ReviewEvent.objects.get(subject=subject)
    assert event.act == "verified" and event.missing == []
    page = head.get(_url("candidate", w.a, w.ali.pk)).content.decode()
    assert 'data-construct="P1-BM-1" data-level="kompeten" data-stage="verified"' in page
    # Locked: the teacher's change is refused and nothing is written.
    before = Rating.objects.count()
    response = rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", {(w.ali, "P1-BM-1"): KT})
    assert response.status_code == 200 and "locked" in response.content.decode()
    moderation = login(w.users["subject_head_a"]).post(
        _url("moderate", w.a, "prokhas1"),
        {f"m-{w.ali.pk}-P1-BM-1": BK, f"why-{w.ali.pk}-P1-BM-1": "x"},
    )
    assert moderation.status_code == 200 and Rating.objects.count() == before


def test_incomplete_results_are_verified_only_once_confirmed(pasr, login):
    w = pasr
    rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", {(w.ali, "P1-BM-1"): K})
    head = login(w.users["head_a"])
    response = verify(head, w.a, "prokhas1")
    page = response.content.decode()
    assert response.status_code == 200 and "data-missing-item" in page
    assert "not moderated yet" in page and "not given yet" in page
    assert not Rating.objects.filter(stage="verified").exists()
    assert not ReviewEvent.objects.exists()
    assert verify(head, w.a, "prokhas1", confirm="1").status_code == 302
    assert rows(w.ali, "P1-BM-1")[-1][1:3] == ("verified", K)
    assert ReviewEvent.objects.get().missing


def test_a_return_needs_a_comment_and_lets_the_teachers_rate_again(pasr, login):
    w = pasr
    _rated_and_moderated(w, login)
    head = login(w.users["head_a"])
    verify(head, w.a, "prokhas1")
    head.post(_url("review", w.a), {"window": "prokhas1", "decision": "returned"})
    assert ReviewSubject.objects.get(window="prokhas1").state == "verified"
    head.post(_url("review", w.a),
              {"window": "prokhas1", "decision": "returned", "comment": "Semak BM-1"})  # fmt: skip
    assert ReviewSubject.objects.get(window="prokhas1").state == "returned"
    assert rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1",
                {(w.ali, "P1-BM-1"): KT}).status_code == 302  # fmt: skip
    assert [r[1:3] for r in rows(w.ali, "P1-BM-1")] == [
        ("assessed", K), ("moderated", K), ("verified", K), ("assessed", KT)
    ]  # fmt: skip
    page = head.get(_url("school", w.a)).content.decode()
    assert "Semak BM-1" in page


def test_reopening_after_the_last_day_needs_a_reason(pasr, login):
    w = pasr
    w.today = AFTER
    teacher = login(w.users["pasr_teacher_a"])
    response = rate(teacher, w.a, "prokhas2", {(w.ali, "P2-BI-1"): K})
    assert response.status_code == 200 and not Rating.objects.exists()
    lp = login(w.users["lp_officer"])
    lp.post(_url("reopen", w.a), {"window": "prokhas2", "until": "2026-08-20"})
    assert not ReviewEvent.objects.exists()
    lp.post(_url("reopen", w.a), {"window": "prokhas2", "until": "2026-08-20", "reason": "Banjir"})
    event = ReviewEvent.objects.get()
    assert (event.act, event.comment, str(event.until)) == ("reopened", "Banjir", "2026-08-20")
    teacher = login(w.users["pasr_teacher_a"])
    assert rate(teacher, w.a, "prokhas2", {(w.ali, "P2-BI-1"): K}).status_code == 302
    assert rows(w.ali)[0][:3] == ("P2-BI-1", "assessed", K)


def test_an_absent_candidate_cannot_be_rated(pasr, login):
    w = pasr
    secretary = login(w.users["exam_sec_a"])
    w.today = datetime.date(YEAR, 5, 20)  # ProKhas 1 has not ended: too early
    secretary.post(_url("absent", w.a, w.siti.pk), {"instrument": "prokhas1"})
    assert not Absence.objects.exists()
    w.today = DAY
    response = secretary.post(_url("absent", w.a, w.siti.pk), {"instrument": "prokhas1"})
    assert response.status_code == 302 and Absence.objects.get().candidate == w.siti
    w.siti.refresh_from_db()
    assert w.siti.status == "absent"
    response = rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", {(w.siti, "P1-BM-1"): K})
    assert response.status_code == 200 and "cannot sit it afterwards" in response.content.decode()
    assert not Rating.objects.exists()
    # A candidate with a rating was not absent for the whole window.
    rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", {(w.ali, "P1-BM-1"): K})
    response = login(w.users["exam_sec_a"]).post(
        _url("absent", w.a, w.ali.pk), {"instrument": "prokhas1"}
    )
    assert response.status_code == 302 and Absence.objects.count() == 1


def test_a_candidate_completes_once_both_instruments_are_verified(pasr, login):
    w = pasr
    _rated_and_moderated(w, login, "prokhas1", [w.ali])
    head = login(w.users["head_a"])
    verify(head, w.a, "prokhas1", confirm="1")
    w.ali.refresh_from_db()
    assert w.ali.status == "registered"
    _rated_and_moderated(w, login, "prokhas2", [w.ali])
    head = login(w.users["head_a"])
    verify(head, w.a, "prokhas2", confirm="1")
    w.ali.refresh_from_db()
    w.siti.refresh_from_db()
    assert (w.ali.status, w.siti.status) == ("completed", "registered")
    page = head.get(_url("candidate", w.a, w.ali.pk)).content.decode()
    assert 'data-status="completed"' in page


def test_a_transfer_to_a_pasr_school_keeps_prokhas1_and_continues_prokhas2(pasr, login):
    w = pasr
    _rated_and_moderated(w, login, "prokhas1", [w.ali])
    verify(login(w.users["head_a"]), w.a, "prokhas1", confirm="1")
    secretary_b = login(w.users["exam_sec_b"])
    response = secretary_b.post(_url("transfer", w.b), {"id_number": "140101-10-1234"})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.from_school, transfer.to_school, transfer.by) == (
        w.a,
        w.b,
        w.users["exam_sec_b"],
    )
    assert transfer.done == {"prokhas1": "verified", "prokhas2": "not_started"}
    w.ali.refresh_from_db()
    assert w.ali.school == w.b
    # ProKhas 1's results stay with school A's rows; B cannot rate them again.
    assert set(Rating.objects.filter(candidate=w.ali).values_list("school__code", flat=True)) == {
        w.a.code
    }
    teacher_b = login(w.users["teacher_b"])
    response = rate(teacher_b, w.b, "prokhas1", {(w.ali, "P1-BM-1"): BK})
    assert response.status_code == 200 and "previous school" in response.content.decode()
    assert rate(teacher_b, w.b, "prokhas2", {(w.ali, "P2-BI-1"): K}).status_code == 302
    assert Rating.objects.get(construct="P2-BI-1").school == w.b
    # Both schools see the history: A lists the candidate as transferred out.
    page_a = login(w.users["head_a"]).get(_url("school", w.a)).content.decode()
    assert f'data-from="{w.a.code}" data-to="{w.b.code}" data-status="transferred_out"' in page_a
    candidate_a = login(w.users["head_a"]).get(_url("candidate", w.a, w.ali.pk))
    assert candidate_a.status_code == 200
    assert 'data-construct="P1-BM-1" data-level="kompeten" data-stage="verified"' in (
        candidate_a.content.decode()
    )
    page_b = login(w.users["exam_sec_b"]).get(_url("school", w.b)).content.decode()
    assert 'data-status="transferred_in"' in page_b
    # A's teacher can no longer rate the candidate at A.
    before = Rating.objects.count()
    rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas2", {(w.ali, "P2-BI-2"): K})
    assert Rating.objects.count() == before


def test_a_transfer_to_a_school_that_does_not_run_pasr_is_refused_with_the_reason(pasr, login):
    w = pasr
    response = login(w.users["exam_sec_c"]).post(
        _url("transfer", w.c), {"id_number": "140101101234"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "data-refusal" in page
    assert "assessed by the teacher who teaches them" in page
    assert not Transfer.objects.exists()
    assert Candidate.objects.get(pk=w.ali.pk).school == w.a
    # Once C declares partial inclusive education for the year, it may take the candidate.
    SchoolYear.objects.create(school=w.c, year=YEAR, district=w.c.district,
                              state=w.c.district.state, partial_inclusive=True)  # fmt: skip
    login(w.users["exam_sec_c"]).post(_url("transfer", w.c), {"id_number": "140101101234"})
    assert Candidate.objects.get(pk=w.ali.pk).school == w.c


def test_an_unknown_identity_number_is_named(pasr, login):
    w = pasr
    response = login(w.users["exam_sec_b"]).post(
        _url("transfer", w.b), {"id_number": "999999999999"}
    )
    assert "No candidate with this identity number" in response.content.decode()
    response = login(w.users["exam_sec_b"]).post(_url("transfer", w.b), {"id_number": "12-ab"})
    assert "12 digits" in response.content.decode()
    assert not Transfer.objects.exists()


def test_the_district_sees_transfers_of_its_schools_with_masked_numbers(pasr, login):
    w = pasr
    login(w.users["exam_sec_b"]).post(_url("transfer", w.b), {"id_number": "140101101234"})
    url = reverse("pasr:transfers") + f"?year={YEAR}"
    page = login(w.users["officer_d1"]).get(url).content.decode()
    assert f'data-from="{w.a.code}" data-to="{w.b.code}"' in page
    assert "******-**-1234" in page and "140101" not in page and "Ali bin Abu" not in page
    other = login(w.users["officer_s2"]).get(url).content.decode()
    assert "data-transfer=" not in other
    filtered = login(w.users["officer_s1"]).get(url + f"&district={w.d2.code}").content.decode()
    assert f'data-to="{w.b.code}"' in filtered


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_rating_grid_and_candidate_page_take_a_constant_number_of_queries(pasr, login):
    w = pasr
    teacher = login(w.users["pasr_teacher_a"])
    rate_all(teacher, w.a, "prokhas1", [w.ali, w.siti])
    grid = _url("rate", w.a, "prokhas1")
    moderation = _url("moderate", w.a, "prokhas1")
    few = _queries(teacher, grid)
    head = login(w.users["subject_head_a"])
    few_moderation = _queries(head, moderation)
    page = _url("candidate", w.a, w.ali.pk)
    few_page = _queries(head, page)
    school = _url("school", w.a)
    few_school = _queries(head, school)
    more = [candidate(w.a) for _ in range(8)]
    rate_all(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", more)
    confirmed = login(w.users["subject_head_a"]).post(moderation, {"action": "confirm_all"})
    assert confirmed.status_code == 302
    verify(login(w.users["head_a"]), w.a, "prokhas1", confirm="1")
    Transfer.objects.create(candidate=more[0], from_school=w.b, to_school=w.a,
                            done={"prokhas1": "rated"}, by=w.users["exam_sec_a"])  # fmt: skip
    assert _queries(login(w.users["pasr_teacher_a"]), grid) <= few
    head = login(w.users["subject_head_a"])
    assert _queries(head, moderation) <= few_moderation
    assert _queries(head, page) <= few_page
    assert _queries(head, school) <= few_school + 2  # the review subject and its events now exist


def test_the_exam_secretary_withdraws_a_candidate_with_a_reason(pasr, login):
    w = pasr
    rate(login(w.users["pasr_teacher_a"]), w.a, "prokhas1", {(w.ali, "P1-BM-1"): K})
    secretary = login(w.users["exam_sec_a"])
    page = secretary.get(_url("candidate", w.a, w.ali.pk)).content.decode()
    assert 'data-form="pasr-withdraw"' in page
    # No reason: refused with a message, nothing changes.
    response = secretary.post(_url("withdraw", w.a, w.ali.pk), {"reason": " "}, follow=True)
    assert "Write why the candidate is withdrawn." in response.content.decode()
    w.ali.refresh_from_db()
    assert w.ali.status == rules.REGISTERED
    response = secretary.post(_url("withdraw", w.a, w.ali.pk), {"reason": "Berpindah ke Brunei"})
    assert response.status_code == 302
    w.ali.refresh_from_db()
    assert (w.ali.status, w.ali.withdrawn_reason, w.ali.withdrawn_by) == (
        rules.WITHDRAWN, "Berpindah ke Brunei", w.users["exam_sec_a"])  # fmt: skip
    # The history stays; the candidate leaves the rating grid; the list says withdrawn.
    assert rows(w.ali) and rows(w.ali)[0][:3] == ("P1-BM-1", "assessed", K)
    grid = login(w.users["pasr_teacher_a"]).get(_url("rate", w.a, "prokhas1")).content.decode()
    assert f"r-{w.ali.pk}-" not in grid and f"r-{w.siti.pk}-" in grid
    secretary = login(w.users["exam_sec_a"])
    listing = secretary.get(_url("candidates", w.a)).content.decode()
    assert f'data-candidate="{w.ali.id_number}" data-status="withdrawn"' in listing
    page = secretary.get(_url("candidate", w.a, w.ali.pk)).content.decode()
    assert "data-withdrawn-reason" in page and 'data-form="pasr-withdraw"' not in page
    # Twice: refused, the first reason kept.
    secretary.post(_url("withdraw", w.a, w.ali.pk), {"reason": "Lagi"})
    w.ali.refresh_from_db()
    assert w.ali.withdrawn_reason == "Berpindah ke Brunei"
    # Another school's exam secretary cannot find the candidate.
    other = login(w.users["exam_sec_b"])
    assert other.post(_url("withdraw", w.a, w.siti.pk), {"reason": "x"}).status_code == 404
    w.siti.refresh_from_db()
    assert w.siti.status == rules.REGISTERED
