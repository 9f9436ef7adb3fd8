"""Every URL against every persona: nobody sees what is not theirs.

Each row: a URL (built from the world), then the expected status for each
persona. 302 means "sent to the login page" for anonymous users. A page that
shows a list of schools also says which school codes each persona must and
must not see. Each programme adds its rows here.
"""

import datetime

import pytest

from tests.factories import PASSWORD
from tests.pasr import registration_helpers as pasr

PERSONAS = [
    "anonymous",
    "coord_a",
    "coord_b",
    "resp_a",
    "officer_d1",
    "officer_d2",
    "officer_s1",
    "officer_s2",
    "national",
    "admin",
    # Named people of school A, and an officer of D1 for PIBK only (issue 14)
    "head_a",
    "exam_sec_a",
    "teacher_a",
    "pibk_officer_d1",
    # PASR's school people and the examinations board (issue 15)
    "subject_head_a",
    "pasr_teacher_a",
    "lp_officer",
]


def expect(default, **overrides):
    return {p: overrides.get(p, default) for p in PERSONAS}


# The people who hold only PASR roles (issue 15), refused outright on every SSQS, PIBK
# and monitoring page: school A's subject head and teacher (school roles for PASR and
# SPMI, like the exam secretary) and the examinations board's officer. The board's
# officer holds none of the shared acts either (roles.py: MyDesktop is the school
# roles', the school page theirs and the officers', the school list and the audit trail
# the officers'), so the shared pages refuse them too (403, whatever the school).
PASR_STAFF_REFUSED = {"subject_head_a": 403, "pasr_teacher_a": 403}
LP_REFUSED = {"lp_officer": 403}
PASR_ONLY_REFUSED = {**PASR_STAFF_REFUSED, **LP_REFUSED}
# School A's named staff, where they are refused outright.
STAFF_REFUSED = {"head_a": 403, "exam_sec_a": 403, "teacher_a": 403, **PASR_STAFF_REFUSED}
# The school-level people who may read A's results: its head and its ICT coordinator.
READS_A = {"head_a": 200, "teacher_a": 200}
# PIBK's node pages: school accounts are refused (403), anonymous users sent to log in.
PIBK_OFFICERS_ONLY = {"anonymous": 302, "coord_a": 403, "coord_b": 403, "resp_a": 403,
                      **STAFF_REFUSED, **LP_REFUSED}  # fmt: skip
# Monitoring (SSQS) pages: the same, and an officer for PIBK only is refused too.
OFFICERS_ONLY = {**PIBK_OFFICERS_ONLY, "pibk_officer_d1": 403}
# The officers who see district D1 (PPD Petaling) as a whole.
ABOVE_D1 = {"officer_d1": 200, "officer_s1": 200, "national": 200, "admin": 200}
# Who sees school A's (or C's) PIBK page: its coordinator and the officers above it.
SEES_A = {"anonymous": 302, "coord_a": 200, "resp_a": 403, **ABOVE_D1, **READS_A,
          "exam_sec_a": 403, "pibk_officer_d1": 200, **PASR_ONLY_REFUSED}  # fmt: skip
SEES_C = {"anonymous": 302, "resp_a": 403, "officer_s2": 200, "national": 200, "admin": 200,
          "exam_sec_a": 403, **PASR_ONLY_REFUSED}  # fmt: skip
# The coordinator's own data entry: every other account is refused.
COORDINATORS_ONLY = expect(403, anonymous=302, coord_a=200, coord_b=200, teacher_a=200)


# PASR registration: only the exam secretary registers (seed 3.5); POST-only URLs.
PASR_REGISTRAR = expect(403, anonymous=302, exam_sec_a=200)
PASR_POST_ONLY = expect(405, anonymous=302)


def _pibk_year(w, url):
    """Give school A a PIBK record for this year, so its report has something to print."""
    from pibk.services import school_year_ensure, today

    school_year_ensure(school=w.a, year=today().year)
    return url


def _pasr_reported(w, url):
    """Give school A a PASR candidate this year (rated), so its reports have a page to print."""
    from pasr.calendar import today
    from tests.pasr.factories_reports import candidate, rate_all

    if not hasattr(w, "pasr_reported"):
        w.pasr_reported = candidate(w.a, year=today().year, class_name="6A")
        rate_all(w.pasr_reported, "kompeten", by=w.users["pasr_teacher_a"])
    return url.format(pk=w.pasr_reported.pk)


# PASR (issue 15): reports are the school's staff's; analyses and QA visits also the
# officers' above the school, the examinations board's and administrators'.
PASR_REPORTS_A = expect(403, anonymous=302, head_a=200, exam_sec_a=200, subject_head_a=200,
                        pasr_teacher_a=200)  # fmt: skip
PASR_ANALYSIS_A = expect(403, anonymous=302, head_a=200, exam_sec_a=200, subject_head_a=200,
                         **ABOVE_D1, officer_d2=404, officer_s2=404, lp_officer=200)  # fmt: skip
PASR_NODE_D1 = expect(403, anonymous=302, **ABOVE_D1, officer_d2=404, officer_s2=404,
                      lp_officer=200)  # fmt: skip


def _pasr_results(w):
    """School A runs PASR with one candidate; its results are open on the real day (both
    instruments until the results are due; ProKhas 1's window itself ended yesterday)."""
    from pasr import calendar
    from tests.pasr.factories import assessment_year, candidate

    if getattr(w, "pasr_candidate", None) is not None:
        return
    today, day = calendar.today(), datetime.timedelta(days=1)
    w.a.has_ppki = True
    w.a.save(update_fields=["has_ppki"])
    w.pasr_year = today.year
    assessment_year(today.year, prokhas1_opens=today - 60 * day, prokhas1_closes=today - day,
                    prokhas2_opens=today - 5 * day, prokhas2_closes=today + 20 * day,
                    results_due=today + 30 * day)  # fmt: skip
    w.pasr_candidate = candidate(w.a, year=today.year, id_number="140101101234")


def _pasr_url(build):
    """A PASR results URL of school A, its world made first (once)."""

    def url(w):
        _pasr_results(w)
        return build(w) + f"?year={w.pasr_year}"

    return url


# PASR results (issue 15): the school's staff by act; officers see the transfers only.
PASR_STAFF = {"head_a": 200, "exam_sec_a": 200, "subject_head_a": 200, "pasr_teacher_a": 200}
PASR_ANALYSIS = expect(200, anonymous=302, coord_a=403, coord_b=403, resp_a=403, teacher_a=403,
                       pibk_officer_d1=403, pasr_teacher_a=403)  # fmt: skip


ROWS = [
    # (name, url builder, expected statuses)
    (
        "mydesktop",
        lambda w: "/mydesktop/",
        expect(403, anonymous=302, coord_a=200, coord_b=200, head_a=200, exam_sec_a=200,
               teacher_a=200, subject_head_a=200, pasr_teacher_a=200),
    ),
    (
        "school staff",
        lambda w: "/mydesktop/staf/",
        expect(403, anonymous=302, coord_a=200, coord_b=200, head_a=200, teacher_a=200),
    ),
    (
        "school list",
        lambda w: "/sekolah/",
        expect(200, anonymous=302, coord_a=403, coord_b=403, resp_a=403, **STAFF_REFUSED,
               **LP_REFUSED),
    ),
    (
        "school A detail",
        lambda w: f"/sekolah/{w.a.code}/",
        expect(
            404,
            anonymous=302,
            coord_a=200,
            resp_a=200,
            officer_d1=200,
            officer_s1=200,
            national=200,
            admin=200,
            head_a=200,
            exam_sec_a=200,
            teacher_a=200,
            pibk_officer_d1=200,
            subject_head_a=200,
            pasr_teacher_a=200,
            **LP_REFUSED,
        ),
    ),
    (
        "school C detail",
        lambda w: f"/sekolah/{w.c.code}/",
        expect(404, anonymous=302, officer_s2=200, national=200, admin=200, **LP_REFUSED),
    ),
    (
        "school that does not exist",
        lambda w: "/sekolah/ZZZ9999/",
        expect(404, anonymous=302, **LP_REFUSED),
    ),
    ("admin", lambda w: "/admin/", expect(302, admin=200)),
    ("health", lambda w: "/health/", expect(200)),
    ("favicon", lambda w: "/favicon.ico", expect(301)),
    ("password change", lambda w: "/password/", expect(200, anonymous=302, resp_a=403)),
    # SSQS (issue 3): the coordinator's pages answer for their own school only
    (
        "ssqs profile",
        lambda w: "/ssqs/profil/",
        expect(403, anonymous=302, coord_a=200, coord_b=200, teacher_a=200),
    ),
    (
        "ssqs roster",
        lambda w: "/ssqs/responden/",
        expect(403, anonymous=302, coord_a=200, coord_b=200, teacher_a=200),
    ),
    (
        "ssqs slips",
        lambda w: "/ssqs/responden/slip.pdf",
        expect(403, anonymous=302, coord_a=200, coord_b=200, teacher_a=200),
    ),
    (
        "ssqs result A",
        lambda w: f"/ssqs/sekolah/{w.a.code}/",
        expect(
            404,
            anonymous=302,
            coord_a=200,
            resp_a=403,
            officer_d1=200,
            officer_s1=200,
            national=200,
            admin=200,
            **READS_A,
            exam_sec_a=403,
            pibk_officer_d1=403,
            **PASR_ONLY_REFUSED,
        ),
    ),
    (
        "ssqs certificate A (provisional)",
        lambda w: f"/ssqs/sekolah/{w.a.code}/sijil.pdf",
        expect(
            404,
            anonymous=302,
            coord_a=302,
            resp_a=403,
            officer_d1=302,
            officer_s1=302,
            national=302,
            admin=302,
            head_a=302,
            teacher_a=302,
            exam_sec_a=403,
            pibk_officer_d1=403,
            **PASR_ONLY_REFUSED,
        ),
    ),
    ("ssqs choose respondent", lambda w: "/ssqs/pilih/", expect(403, anonymous=302, resp_a=200)),
    ("ssqs domains", lambda w: "/ssqs/domain/", expect(403, anonymous=302, resp_a=302)),
    ("ssqs domain", lambda w: "/ssqs/domain/U1/", expect(403, anonymous=302, resp_a=302)),
    ("ssqs respondent form", lambda w: "/ssqs/borang.pdf", expect(403, anonymous=302, resp_a=302)),
    # Monitoring (issue 4): each officer sees their own node and those below it
    (
        "monitoring home",
        lambda w: "/pemantauan/",
        expect(302, **OFFICERS_ONLY),
    ),
    (
        "national dashboard",
        lambda w: "/pemantauan/national/KPM/",
        expect(404, **OFFICERS_ONLY, national=200, admin=200),
    ),
    (
        "state SGR dashboard",
        lambda w: "/pemantauan/state/SGR/",
        expect(404, **OFFICERS_ONLY, officer_s1=200, national=200, admin=200),
    ),
    (
        "state PRK dashboard",
        lambda w: "/pemantauan/state/PRK/",
        expect(404, **OFFICERS_ONLY, officer_s2=200, national=200, admin=200),
    ),
    (
        "district D1 dashboard",
        lambda w: "/pemantauan/district/SGR-PETALING/",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 map",
        lambda w: "/pemantauan/district/SGR-PETALING/peta.json",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 school table",
        lambda w: "/pemantauan/district/SGR-PETALING/sekolah/",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 export",
        lambda w: "/pemantauan/district/SGR-PETALING/sekolah/?format=csv",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 report",
        lambda w: "/pemantauan/district/SGR-PETALING/laporan.pdf",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 respondents export",
        lambda w: "/pemantauan/district/SGR-PETALING/responden.csv",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "ssqs results (the officer's own school table)",
        lambda w: "/pemantauan/keputusan/",
        expect(302, **OFFICERS_ONLY),
    ),
    (
        "district D1 reminders (confirm page)",
        lambda w: "/pemantauan/district/SGR-PETALING/peringatan/",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "certificate batch that does not exist",
        lambda w: "/pemantauan/sijil/999/",
        expect(404, **OFFICERS_ONLY),
    ),
    (
        "unknown level",
        lambda w: "/pemantauan/galaxy/X/",
        expect(404, **OFFICERS_ONLY),
    ),
    # PIBK (issue 5): the coordinator enters the school's data; officers above it see and act
    ("pibk home", lambda w: "/pibk/",
     expect(302, resp_a=403, exam_sec_a=403, **PASR_ONLY_REFUSED)),
    ("pibk school A", lambda w: f"/pibk/sekolah/{w.a.code}/", expect(404, **SEES_A)),
    ("pibk school C", lambda w: f"/pibk/sekolah/{w.c.code}/", expect(404, **SEES_C)),
    ("pibk report A", lambda w: _pibk_year(w, f"/pibk/sekolah/{w.a.code}/laporan.pdf"),
     expect(404, **SEES_A)),
    ("pibk register", lambda w: "/pibk/daftar/", COORDINATORS_ONLY),
    ("pibk register template", lambda w: "/pibk/daftar/templat.csv", COORDINATORS_ONLY),
    ("pibk pupils", lambda w: "/pibk/murid/", COORDINATORS_ONLY),
    ("pibk attendance A", lambda w: "/pibk/aktiviti/A/", COORDINATORS_ONLY),
    ("pibk attendance unknown", lambda w: "/pibk/aktiviti/Z/",
     expect(403, anonymous=302, coord_a=404, coord_b=404, teacher_a=404)),
    ("pibk volunteers", lambda w: "/pibk/sukarelawan/", COORDINATORS_ONLY),
    ("pibk counts", lambda w: "/pibk/bilangan/", COORDINATORS_ONLY),
    ("pibk officer home", lambda w: "/pibk/pemantauan/",
     expect(302, coord_a=403, coord_b=403, resp_a=403, **STAFF_REFUSED, **LP_REFUSED)),
    ("pibk national dashboard", lambda w: "/pibk/pemantauan/national/KPM/",
     expect(404, **PIBK_OFFICERS_ONLY, national=200, admin=200)),
    ("pibk state PRK dashboard", lambda w: "/pibk/pemantauan/state/PRK/",
     expect(404, **PIBK_OFFICERS_ONLY, officer_s2=200, national=200, admin=200)),
    ("pibk district D1 dashboard", lambda w: "/pibk/pemantauan/district/SGR-PETALING/",
     expect(404, **PIBK_OFFICERS_ONLY, **ABOVE_D1, pibk_officer_d1=200)),
    ("pibk district D1 schools", lambda w: "/pibk/pemantauan/district/SGR-PETALING/sekolah/",
     expect(404, **PIBK_OFFICERS_ONLY, **ABOVE_D1, pibk_officer_d1=200)),
    ("pibk district D1 export",
     lambda w: "/pibk/pemantauan/district/SGR-PETALING/sekolah/?format=xlsx",
     expect(404, **PIBK_OFFICERS_ONLY, **ABOVE_D1, pibk_officer_d1=200)),
    ("pibk targets", lambda w: "/pibk/sasaran/",
     expect(403, anonymous=302, national=200, admin=200)),
    # The audit trail (issue 14): officers and admins who see the school; school accounts never.
    ("school A history", lambda w: f"/sejarah/sekolah/{w.a.code}/",
     expect(404, **PIBK_OFFICERS_ONLY, **ABOVE_D1, pibk_officer_d1=200)),
    ("school C history", lambda w: f"/sejarah/sekolah/{w.c.code}/",
     expect(404, **PIBK_OFFICERS_ONLY, officer_s2=200, national=200, admin=200)),
    # PASR reports (issue 15, items 6 and 7)
    ("pasr candidate report A",
     lambda w: _pasr_reported(w, f"/pasr/sekolah/{w.a.code}/calon/{{pk}}/laporan.pdf"),
     PASR_REPORTS_A),
    ("pasr class report A",
     lambda w: _pasr_reported(w, f"/pasr/sekolah/{w.a.code}/laporan.pdf?kelas=6A"),
     PASR_REPORTS_A),
    ("pasr analysis A", lambda w: f"/pasr/sekolah/{w.a.code}/analisis/", PASR_ANALYSIS_A),
    ("pasr analysis A export", lambda w: f"/pasr/sekolah/{w.a.code}/analisis/?format=csv",
     PASR_ANALYSIS_A),
    ("pasr qa A", lambda w: f"/pasr/sekolah/{w.a.code}/jaminan-kualiti/", PASR_ANALYSIS_A),
    ("pasr dashboard home", lambda w: "/pasr/pemantauan/",
     expect(403, anonymous=302, **{p: 302 for p in ABOVE_D1}, officer_d2=302, officer_s2=302,
            lp_officer=302)),
    ("pasr national dashboard", lambda w: "/pasr/pemantauan/national/KPM/",
     expect(403, anonymous=302, national=200, admin=200, lp_officer=200, officer_d1=404,
            officer_d2=404, officer_s1=404, officer_s2=404)),
    ("pasr district D1 dashboard", lambda w: "/pasr/pemantauan/district/SGR-PETALING/",
     PASR_NODE_D1),
    ("pasr district D1 schools", lambda w: "/pasr/pemantauan/district/SGR-PETALING/sekolah/",
     PASR_NODE_D1),
    ("pasr district D1 export",
     lambda w: "/pasr/pemantauan/district/SGR-PETALING/sekolah/?format=xlsx", PASR_NODE_D1),
    # PASR registration (issue 15): the exam secretary registers; the school's staff
    # read the list; the examinations board's page; POST-only URLs answer 405 to a GET.
    ("pasr register A", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/", PASR_REGISTRAR),
    ("pasr register B", lambda w: f"/pasr/sekolah/{w.b.code}/daftar/",
     expect(403, anonymous=302, exam_sec_a=404)),
    ("pasr import A", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/fail/", PASR_REGISTRAR),
    ("pasr import template A", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/templat.csv",
     PASR_REGISTRAR),
    ("pasr candidates A", lambda w: f"/pasr/sekolah/{w.a.code}/calon/",
     expect(403, anonymous=302, head_a=200, exam_sec_a=200, subject_head_a=200,
            pasr_teacher_a=200)),
    ("pasr candidates B", lambda w: f"/pasr/sekolah/{w.b.code}/calon/",
     expect(403, anonymous=302, head_a=404, exam_sec_a=404, subject_head_a=404,
            pasr_teacher_a=404)),
    ("pasr board", lambda w: "/pasr/lp/", expect(403, anonymous=302, lp_officer=200, admin=200)),
    ("pasr declare (GET)", lambda w: f"/pasr/sekolah/{w.a.code}/inklusif/", PASR_POST_ONLY),
    ("pasr undeclare (GET)", lambda w: f"/pasr/sekolah/{w.a.code}/inklusif/tarik-balik/",
     PASR_POST_ONLY),
    ("pasr override ask (GET)", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/rayuan/",
     PASR_POST_ONLY),
    ("pasr download (GET)", lambda w: f"/pasr/sekolah/{w.a.code}/instrumen/1/muat-turun/",
     PASR_POST_ONLY),
    ("pasr verify (GET)", lambda w: f"/pasr/sekolah/{w.a.code}/instrumen/1/sahkan/",
     PASR_POST_ONLY),
    ("pasr board window (GET)", lambda w: "/pasr/lp/tetingkap/", PASR_POST_ONLY),
    ("pasr board results due (GET)", lambda w: "/pasr/lp/tarikh-keputusan/", PASR_POST_ONLY),
    ("pasr board instrument (GET)", lambda w: "/pasr/lp/instrumen/", PASR_POST_ONLY),
    ("pasr override decide (GET)", lambda w: "/pasr/lp/rayuan/1/", PASR_POST_ONLY),
    # PASR results (issue 15): candidate pages by name for school A's staff only; the
    # rating grid for teachers and the subject head, moderation for the subject head.
    ("pasr candidate A",
     _pasr_url(lambda w: f"/pasr/sekolah/{w.a.code}/calon/{w.pasr_candidate.pk}/"),
     expect(403, anonymous=302, **PASR_STAFF)),
    ("pasr candidate A seen from B",
     _pasr_url(lambda w: f"/pasr/sekolah/{w.b.code}/calon/{w.pasr_candidate.pk}/"),
     expect(403, anonymous=302, **{p: 404 for p in PASR_STAFF})),
    ("pasr rating grid", _pasr_url(lambda w: f"/pasr/sekolah/{w.a.code}/nilai/prokhas1/"),
     expect(403, anonymous=302, subject_head_a=200, pasr_teacher_a=200)),
    ("pasr rating grid unknown instrument",
     _pasr_url(lambda w: f"/pasr/sekolah/{w.a.code}/nilai/prokhas3/"),
     expect(403, anonymous=302, subject_head_a=404, pasr_teacher_a=404)),
    ("pasr moderation", _pasr_url(lambda w: f"/pasr/sekolah/{w.a.code}/moderasi/prokhas2/"),
     expect(403, anonymous=302, subject_head_a=200)),
    ("pasr transfer", _pasr_url(lambda w: f"/pasr/sekolah/{w.a.code}/pindah/"),
     expect(403, anonymous=302, exam_sec_a=200)),
    ("pasr transfers (officers)", _pasr_url(lambda w: "/pasr/pemantauan/pindahan/"), PASR_ANALYSIS),
]  # fmt: skip


def _rows():
    return [
        pytest.param(url, persona, statuses[persona], id=f"{name}-{persona}")
        for name, url, statuses in ROWS
        for persona in PERSONAS
    ]


@pytest.mark.parametrize(("url", "persona", "status"), _rows())
def test_permission_matrix(world, real_cycle, login, url, persona, status):
    client = login(world.users[persona])
    response = client.get(url(world))
    assert response.status_code == status, f"{persona} got {response.status_code}"
    if status == 200 and url(world).endswith(".pdf"):
        assert response["Content-Type"] == "application/pdf"
    if status == 302 and persona == "anonymous":
        assert response["Location"].startswith("/login/") or response["Location"].startswith(
            "/admin/login/"
        )


VISIBLE = {
    "officer_d1": {"BBA0001"},
    "officer_d2": {"BBB0002"},
    "officer_s1": {"BBA0001", "BBB0002"},
    "officer_s2": {"ABA0003"},
    "national": {"BBA0001", "BBB0002", "ABA0003"},
    "admin": {"BBA0001", "BBB0002", "ABA0003"},
    "pibk_officer_d1": {"BBA0001"},
}


@pytest.mark.parametrize(("persona", "codes"), VISIBLE.items())
def test_the_school_list_shows_exactly_the_officers_schools(world, login, persona, codes):
    content = login(world.users[persona]).get("/sekolah/").content.decode()
    for code in {"BBA0001", "BBB0002", "ABA0003"}:
        assert (f'data-school="{code}"' in content) == (code in codes), code


def test_a_district_filter_outside_scope_is_ignored(world, login):
    content = (
        login(world.users["officer_d1"])
        .get("/sekolah/", {"district": world.d3.code})
        .content.decode()
    )
    assert 'data-school="BBA0001"' in content and 'data-school="ABA0003"' not in content


# Every POST act against every persona: where allowed the database changes, where
# refused (403, 404, or the login page) nothing changes. Each act: its URL, its form,
# who may do it on school A (they get 302), what it changes (read before and after),
# and options: "setup" (run first), "session" (values put in the session before the
# request), "elsewhere" (people who do the act on their own
# school instead: 302, and nothing changes at A).
def _pibk_world(w):
    from pibk.models import Family, Pupil
    from pibk.services import school_year_ensure, today

    w.pibk_year = school_year_ensure(school=w.a, year=today().year)
    w.pibk_family = Family.objects.create(school_year=w.pibk_year, key="K1")
    Pupil.objects.create(family=w.pibk_family, name="Ali", year_group="3", sports=True)


def _review_events(programme):
    def events(w):
        from core.review.models import ReviewEvent

        return list(
            ReviewEvent.objects.filter(subject__programme=programme).values_list(
                "act", "subject__window", "subject__school__code", "by__username"
            )
        )

    return events


_pibk_events = _review_events("pibk")


def _pibk_ticks(w):
    from pibk.models import Attendance

    return list(Attendance.objects.values_list("family_id", "activity__code"))


_ssqs_events = _review_events("ssqs")


def _respondent_password(w):
    w.users["resp_a"].refresh_from_db()
    return w.users["resp_a"].password


def _batches(w):
    from monitoring.models import CertificateBatch

    return list(CertificateBatch.objects.values_list("district__code", "status"))


def _staff(w):
    from core.people.models import RoleGrant

    return sorted(
        RoleGrant.objects.filter(unit_kind="school", unit_code=w.a.code).values_list(
            "user__username", "role", "unit_code"
        )
    )


def _exam_sec_password(w):
    w.users["exam_sec_a"].refresh_from_db()
    return w.users["exam_sec_a"].password


def _targets(w):
    from pibk.models import PibkYear

    return list(PibkYear.objects.values_list("year", "kpi1_target"))


def _final_rating(w):
    """Give school A a final rating, so its district has a certificate to build."""
    from django.utils import timezone

    from surveys.models import Rating
    from surveys.selectors import current_cycle

    cycle = current_cycle()
    Rating.objects.create(
        cycle=cycle, school=w.a, status="final", score=80, stars=4, band="4", usage=80,
        human_capital=80, applications=80, infrastructure=80, computed_at=timezone.now(),
    )  # fmt: skip


# A day when PIBK's November windows (E, F and KPI 2) are open and the others closed
# (tests/pibk/conftest.py DAY): the acts matrix runs on it whatever the calendar says.
PIBK_DAY = datetime.date(2026, 11, 20)
PIBK_CODERS = {"coord_a", "teacher_a"}  # school A's PIBK coordinators (coord_a, cikgu.aminah)
SSQS_CODERS = {"coord_a", "teacher_a"}  # school A's ICT coordinators


def _register_upload(w):
    """A small valid register (a fresh file for each request)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pibk.conftest import csv_bytes

    return {"file": SimpleUploadedFile("daftar.csv", csv_bytes(), content_type="text/csv")}


def _register(w):
    from pibk.models import Pupil

    return sorted(
        Pupil.objects.filter(family__school_year__school=w.a).values_list(
            "family__key", "family__guardian", "name", "sports", "award"
        )
    )


def _activities(w):
    from pibk.models import Activity, SchoolYear

    years = list(SchoolYear.objects.filter(school=w.a).values_list("families", "volunteers"))
    return years + sorted(
        Activity.objects.filter(school_year__school=w.a).values_list(
            "code", "held_on", "expected", "attended"
        )
    )


def _volunteers(w):
    from pibk.models import SchoolYear, Volunteer

    return (
        list(Volunteer.objects.values_list("family_id", "school_year_id")),
        list(SchoolYear.objects.filter(school=w.a).values_list("volunteers")),
    )


def _families_counted(w):
    """The year counts its register's one family (as an import would), so it may volunteer."""
    from pibk.models import SchoolYear

    SchoolYear.objects.filter(pk=w.pibk_year.pk).update(families=1)


def _pupils(w):
    from pibk.models import Pupil

    return list(Pupil.objects.order_by("pk").values_list("name", "sports", "award"))


def _respondents(w):
    from surveys.models import Respondent

    return sorted(
        Respondent.objects.filter(school=w.a).values_list(
            "pk", "category", "number", "name", "last_active_at"
        )
    )


def _roster_names(w):
    from surveys.models import Respondent

    first = Respondent.objects.filter(school=w.a).order_by("pk").first()
    return {"action": "names", f"name-{first.pk}": "Cikgu Ahmad"}


def _a_small_school(w):
    """School A with fewer than 150 pupils (SKM): its coordinator may add a teacher or pupil."""
    w.a.is_skm = True
    w.a.save(update_fields=["is_skm"])


def _an_added_respondent(w):
    from surveys.rosters import respondent_add
    from surveys.selectors import current_cycle

    _a_small_school(w)
    w.added = respondent_add(cycle=current_cycle(), school=w.a, category="teacher")


def _teacher_tag(w):
    from surveys.models import Respondent

    w.teacher = Respondent.objects.filter(school=w.a, category="teacher").order_by("pk")[0]
    return {"tag_number": w.teacher.tag}


def _chosen_teacher(w):
    """The session of whoever acts names school A's first teacher respondent."""
    _teacher_tag(w)
    return {"ssqs_respondent": w.teacher.pk}


def _answers(w):
    from surveys.models import Answer

    return sorted(Answer.objects.values_list("respondent_id", "question", "value"))


def _profile_answers(w):
    from surveys.models import ProfileAnswer

    return sorted(ProfileAnswer.objects.filter(school=w.a).values_list("question", "value"))


def _stalled_batch(w):
    from django.utils import timezone

    from monitoring.models import CertificateBatch
    from surveys.selectors import current_cycle

    w.batch = CertificateBatch.objects.create(
        cycle=current_cycle(), district=w.d1, requested_by=w.users["officer_d1"],
        status="running", total=17, done=4,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip


def _batch_states(w):
    from monitoring.models import CertificateBatch

    return list(CertificateBatch.objects.values_list("pk", "status", "done"))


def _not_started_with_email(w):
    from monitoring.rollups import rollups_rebuild
    from surveys.selectors import current_cycle

    w.a.email = "sk.alfa@example.gov.my"
    w.a.save(update_fields=["email"])
    rollups_rebuild(cycle_id=current_cycle().pk)


def _reminders(w):
    from monitoring.models import Reminder

    return list(Reminder.objects.values_list("school__code", "cycle_id"))


def _passwords(w):
    from accounts.models import User

    return list(User.objects.order_by("pk").values_list("username", "password"))


def _exam_sec_a_teaches(w):
    """Give the exam secretary a second role, to be taken away."""
    from core.people.services import staff_role_add

    staff_role_add(school=w.a, user=w.users["exam_sec_a"], role="teacher", by=w.users["head_a"])


def _pasr_visits(w):
    from pasr.models import QaVisit

    return list(QaVisit.objects.values_list("school__code", "kind", "recorded_by__username"))


def _pasr_visit_form(w):
    from pasr.calendar import today

    return {"kind": "monitoring", "level": "district", "visited_on": today().isoformat(),
            "visitor": "En. Ali", "visitor_role": "pegawai_ppd",
            "findings": "Lengkap."}  # fmt: skip


def _pasr_ratings(w):
    from pasr.models import Rating

    return list(Rating.objects.order_by("pk").values_list("candidate_id", "construct", "stage",
                                                          "level", "by__username"))  # fmt: skip


def _pasr_rated(w):
    """School A's candidate has the teacher's rating of one construct."""
    from pasr.models import Rating

    _pasr_results(w)
    Rating.objects.create(candidate=w.pasr_candidate, construct="P1-BM-1", stage="assessed",
                          level="kompeten", school=w.a, by=w.users["pasr_teacher_a"])  # fmt: skip


def _pasr_review(w):
    """The review acts on PASR and the rows a verification writes."""
    return _review_events("pasr")(w), _pasr_ratings(w)


def _pasr_absences(w):
    from pasr.models import Absence, Candidate

    return (list(Absence.objects.values_list("candidate_id", "instrument", "by__username")),
            list(Candidate.objects.values_list("pk", "status")))  # fmt: skip


def _pasr_withdrawals(w):
    from pasr.models import Candidate

    return list(Candidate.objects.values_list("pk", "status", "withdrawn_reason",
                                              "withdrawn_by__username"))  # fmt: skip


def _pasr_candidate_at_b(w):
    """A candidate registered at school B; A runs PASR and may take them over."""
    from tests.pasr.factories import candidate

    _pasr_results(w)
    w.pasr_moving = candidate(w.b, year=w.pasr_year, id_number="140202105678")


def _pasr_transfers(w):
    from pasr.models import Candidate, Transfer

    return (list(Transfer.objects.values_list("candidate_id", "from_school__code",
                                              "to_school__code", "by__username")),
            list(Candidate.objects.order_by("pk").values_list("pk", "school__code")))  # fmt: skip


def _pasr_act_url(build):
    def url(w):
        return build(w) + f"?year={w.pasr_year}"

    return url


ABOVE_A = {"officer_d1", "officer_s1", "national", "admin"}
NEW_PASSWORD = {"password1": "Baru-Sahaja-2026", "password2": "Baru-Sahaja-2026"}
ACTS = [
    # (name, url, form, personas who may, effect)
    ("pibk review", lambda w: f"/pibk/sekolah/{w.a.code}/semak/",
     {"window": "K1-NOV", "decision": "returned", "comment": "Semak semula"},
     ABOVE_A | {"pibk_officer_d1"}, _pibk_events),
    ("pibk reopen", lambda w: f"/pibk/sekolah/{w.a.code}/buka/",
     {"window": "K1-MAR", "until": "2099-01-01", "reason": "x"},
     ABOVE_A | {"pibk_officer_d1"}, _pibk_events),
    ("pibk tick", lambda w: f"/pibk/aktiviti/E/tanda/{w.pibk_family.pk}/", {"present": "1"},
     {"coord_a", "teacher_a"}, _pibk_ticks),
    ("pibk targets", lambda w: "/pibk/sasaran/",
     {"kpi1_target": "70.00", "kpi2_target": "25.00", "kpi2_goal": "60", "kpi2_goal_year": "2030"},
     {"national", "admin"}, _targets),
    ("ssqs reopen", lambda w: f"/ssqs/sekolah/{w.a.code}/buka-semula/",
     {"until": "2099-01-01", "reason": "x"}, ABOVE_A, _ssqs_events),
    ("ssqs review", lambda w: f"/pemantauan/semak/{w.a.code}/",
     {"decision": "returned", "comment": "Semak semula"}, ABOVE_A, _ssqs_events),
    ("ssqs respondent password", lambda w: "/ssqs/responden/kata-laluan/",
     {"password1": "Responden-Baru-2026", "password2": "Responden-Baru-2026"},
     {"coord_a", "teacher_a"}, _respondent_password, {"elsewhere": {"coord_b"}}),
    ("monitoring certificates", lambda w: f"/pemantauan/district/{w.d1.code}/sijil/", {},
     ABOVE_A, _batches, {"setup": _final_rating}),
    ("staff create", lambda w: "/mydesktop/staf/",
     {"username": "cikgu.baru", "first_name": "Siti", "roles": ["teacher"], **NEW_PASSWORD},
     {"coord_a", "head_a", "teacher_a"}, _staff, {"elsewhere": {"coord_b"}}),
    ("staff role", lambda w: f"/mydesktop/staf/{w.users['exam_sec_a'].pk}/peranan/",
     {"role": "subject_head", "action": "add"}, {"coord_a", "head_a", "teacher_a"}, _staff),
    ("staff password", lambda w: f"/mydesktop/staf/{w.users['exam_sec_a'].pk}/kata-laluan/",
     NEW_PASSWORD, {"coord_a", "head_a", "teacher_a"}, _exam_sec_password),

    # The school submits its data for the district's review (core.review): only the
    # coordinator who enters the programme's data (the code login, the teacher with
    # both coordinator roles); officers, the head, the respondent account and the
    # other school are refused and nothing is recorded.
    ("ssqs submit", lambda w: f"/ssqs/sekolah/{w.a.code}/hantar/", {"confirm": "1"},
     {"coord_a", "teacher_a"}, _ssqs_events),
    ("pibk submit", lambda w: f"/pibk/sekolah/{w.a.code}/hantar/",
     {"window": "K1-NOV", "confirm": "1"}, {"coord_a", "teacher_a"}, _pibk_events),
    # Everyone signed in changes their own password, except the school's shared
    # respondent account: its password is the coordinator's to set (the roster page),
    # or one respondent could lock every other out.
    ("own password", lambda w: "/password/",
     {"old_password": PASSWORD, "new_password1": "Sendiri-Baru-2026",
      "new_password2": "Sendiri-Baru-2026"}, set(PERSONAS) - {"anonymous", "resp_a"},
     _passwords),
    ("staff role removal", lambda w: f"/mydesktop/staf/{w.users['exam_sec_a'].pk}/peranan/",
     {"role": "teacher", "action": "remove"}, {"coord_a", "head_a", "teacher_a"}, _staff,
     {"setup": _exam_sec_a_teaches}),
    # PIBK data entry: school A's PIBK coordinators; school B's enters B's (elsewhere).
    ("pibk register import", lambda w: "/pibk/daftar/", _register_upload, PIBK_CODERS,
     _register, {"elsewhere": {"coord_b"}}),
    ("pibk activity date", lambda w: "/pibk/aktiviti/E/tarikh/", {"held_on": "2026-11-15"},
     PIBK_CODERS, _activities, {"elsewhere": {"coord_b"}}),
    ("pibk volunteer tick", lambda w: f"/pibk/sukarelawan/{w.pibk_family.pk}/", {"on": "1"},
     PIBK_CODERS, _volunteers, {"setup": _families_counted}),
    ("pibk pupil flag", lambda w: f"/pibk/murid/{w.pibk_family.pupils.get().pk}/award/",
     {"on": "1"}, PIBK_CODERS, _pupils),
    ("pibk counts", lambda w: "/pibk/bilangan/",
     {"families": "40", "volunteers": "9", "held_on_E": "2026-11-15", "expected_E": "30",
      "attended_E": "20"}, PIBK_CODERS, _activities, {"elsewhere": {"coord_b"}}),
    # SSQS: the roster is school A's ICT coordinators'; school B's acts on B's.
    ("ssqs roster names", lambda w: "/ssqs/responden/", _roster_names, SSQS_CODERS,
     _respondents, {"elsewhere": {"coord_b"}}),
    ("ssqs roster add", lambda w: "/ssqs/responden/", {"action": "add", "category": "teacher"},
     SSQS_CODERS, _respondents, {"setup": _a_small_school, "elsewhere": {"coord_b"}}),
    ("ssqs roster remove", lambda w: "/ssqs/responden/",
     lambda w: {"action": "remove", "respondent": w.added.pk}, SSQS_CODERS, _respondents,
     {"setup": _an_added_respondent, "elsewhere": {"coord_b"}}),
    ("ssqs profile save", lambda w: "/ssqs/profil/", {"L1-01": "50", "L1-03": "1,000"},
     SSQS_CODERS, _profile_answers, {"elsewhere": {"coord_b"}}),
    # The respondent account: chooses a tag (Pilih), then answers as that respondent.
    ("ssqs choose respondent", lambda w: "/ssqs/pilih/", _teacher_tag, {"resp_a"},
     _respondents),
    ("ssqs domain save", lambda w: "/ssqs/domain/U1/", {"U1-01": "3"}, {"resp_a"}, _answers,
     {"session": _chosen_teacher}),
    # Monitoring: the officers above district D1.
    ("monitoring certificates restart", lambda w: f"/pemantauan/sijil/{w.batch.pk}/mula-semula/",
     {}, ABOVE_A, _batch_states, {"setup": _stalled_batch}),
    ("monitoring reminders", lambda w: f"/pemantauan/district/{w.d1.code}/peringatan/", {},
     ABOVE_A, _reminders, {"setup": _not_started_with_email}),
    # PASR: a QA visit recorded against school A (the head, the officers above, the board).
    ("pasr qa record", lambda w: f"/pasr/sekolah/{w.a.code}/jaminan-kualiti/", _pasr_visit_form,
     ABOVE_A | {"head_a", "lp_officer"}, _pasr_visits),
    # PASR registration (issue 15): the exam secretary registers, imports and asks the
    # board; the head or the exam secretary declares inclusive education; the school's
    # staff download (a POST answering the file: 200), the head verifies; the national
    # board sets windows and publishes documents; the board decides requests.
    ("pasr register", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/", pasr.pasr_form,
     {"exam_sec_a"}, pasr.pasr_candidates, {"setup": pasr.pasr_open}),
    ("pasr override ask", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/rayuan/",
     pasr.pasr_late_form, {"exam_sec_a"}, pasr.pasr_requests, {"setup": pasr.pasr_open}),
    ("pasr import", lambda w: f"/pasr/sekolah/{w.a.code}/daftar/fail/", pasr.pasr_upload,
     {"exam_sec_a"}, pasr.pasr_candidates, {"setup": pasr.pasr_open}),
    ("pasr declare", lambda w: f"/pasr/sekolah/{w.a.code}/inklusif/", {},
     {"head_a", "exam_sec_a"}, pasr.pasr_declared),
    ("pasr undeclare", lambda w: f"/pasr/sekolah/{w.a.code}/inklusif/tarik-balik/", {},
     {"head_a", "exam_sec_a"}, pasr.pasr_declared, {"setup": pasr.pasr_declared_a}),
    ("pasr download",
     lambda w: f"/pasr/sekolah/{w.a.code}/instrumen/{w.pasr_release.pk}/muat-turun/", {},
     {"head_a", "exam_sec_a", "subject_head_a", "pasr_teacher_a"}, pasr.pasr_checks,
     {"setup": pasr.pasr_release, "status": 200}),
    ("pasr verify", lambda w: f"/pasr/sekolah/{w.a.code}/instrumen/{w.pasr_release.pk}/sahkan/",
     {"note": "Lengkap"}, {"head_a"}, pasr.pasr_checks, {"setup": pasr.pasr_downloaded}),
    ("pasr board window", lambda w: "/pasr/lp/tetingkap/", pasr.pasr_window_data,
     {"lp_officer", "admin"}, pasr.pasr_changes),
    ("pasr board results due", lambda w: "/pasr/lp/tarikh-keputusan/", pasr.pasr_due_data,
     {"lp_officer", "admin"}, pasr.pasr_changes),
    ("pasr board instrument", lambda w: "/pasr/lp/instrumen/", pasr.pdf_upload,
     {"lp_officer", "admin"}, pasr.pasr_releases),
    ("pasr override decide", lambda w: f"/pasr/lp/rayuan/{w.pasr_request.pk}/",
     {"decision": "approve", "reason": "Disahkan"}, {"lp_officer", "admin"},
     pasr.pasr_requests, {"setup": pasr.pasr_request}),
    # PASR results (issue 15): the teacher rates, the subject head moderates and submits,
    # the head verifies (writing verified rows) or returns, the head or the board reopens,
    # the exam secretary records an absence or takes over a candidate.
    ("pasr rate", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/nilai/prokhas1/"),
     lambda w: {f"r-{w.pasr_candidate.pk}-P1-BM-1": "kompeten"},
     {"subject_head_a", "pasr_teacher_a"}, _pasr_ratings, {"setup": _pasr_results}),
    ("pasr moderate", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/moderasi/prokhas1/"),
     lambda w: {f"m-{w.pasr_candidate.pk}-P1-BM-1": "kompeten_terpuji",
                f"why-{w.pasr_candidate.pk}-P1-BM-1": "Berdikari"},
     {"subject_head_a"}, _pasr_ratings, {"setup": _pasr_rated}),
    ("pasr submit", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/hantar/"),
     {"window": "prokhas1", "confirm": "1"}, {"subject_head_a"}, _pasr_review,
     {"setup": _pasr_rated}),
    ("pasr verify", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/semak/"),
     {"window": "prokhas1", "decision": "verified", "confirm": "1"}, {"head_a"}, _pasr_review,
     {"setup": _pasr_rated}),
    ("pasr return", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/semak/"),
     {"window": "prokhas1", "decision": "returned", "comment": "Semak BM"}, {"head_a"},
     _pasr_review, {"setup": _pasr_rated}),
    ("pasr reopen", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/buka/"),
     {"window": "prokhas1", "until": "2099-01-01", "reason": "Banjir"},
     {"head_a", "lp_officer", "admin"}, _pasr_review, {"setup": _pasr_results}),
    ("pasr absence",
     _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/calon/{w.pasr_candidate.pk}/tidak-hadir/"),
     {"instrument": "prokhas1"}, {"exam_sec_a"}, _pasr_absences, {"setup": _pasr_results}),
    ("pasr withdraw",
     _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/calon/{w.pasr_candidate.pk}/tarik-diri/"),
     {"reason": "Berpindah ke luar negara"}, {"exam_sec_a"}, _pasr_withdrawals,
     {"setup": _pasr_results}),
    ("pasr transfer", _pasr_act_url(lambda w: f"/pasr/sekolah/{w.a.code}/pindah/"),
     {"id_number": "140202-10-5678"}, {"exam_sec_a"}, _pasr_transfers,
     {"setup": _pasr_candidate_at_b}),
]  # fmt: skip

# The officers' review acts (POST, core.review) on school A: the officers above its
# district verify, return and reopen, and each act is recorded with who did it; for
# everyone else nothing changes. Verifying incomplete data without the confirmation
# only answers the page naming what is missing, and changes nothing either.
ACTS_ON_A = {"officer_d1", "officer_s1", "national", "admin"}
REFUSED = {"anonymous": 302, "coord_a": 403, "coord_b": 403, "resp_a": 403,
           "officer_d2": 404, "officer_s2": 404, "head_a": 403, "exam_sec_a": 403,
           "teacher_a": 403, "pibk_officer_d1": 403, **PASR_ONLY_REFUSED}  # fmt: skip
REVIEW_ACTS = [
    # (name, programme, window, url, data, act recorded (None: nothing), status when allowed)
    ("ssqs-verify", "ssqs", "", "/pemantauan/semak/{code}/",
     {"decision": "verified", "confirm": "1"}, "verified", 302),
    ("ssqs-verify-unconfirmed", "ssqs", "", "/pemantauan/semak/{code}/",
     {"decision": "verified"}, None, 200),
    ("ssqs-return", "ssqs", "", "/pemantauan/semak/{code}/",
     {"decision": "returned", "comment": "Semak guru"}, "returned", 302),
    ("ssqs-reopen", "ssqs", "", "/ssqs/sekolah/{code}/buka-semula/",
     {"until": "2099-01-01", "reason": "banjir"}, "reopened", 302),
    ("pibk-verify", "pibk", "K1-NOV", "/pibk/sekolah/{code}/semak/",
     {"window": "K1-NOV", "decision": "verified", "confirm": "1"}, "verified", 302),
    ("pibk-verify-unconfirmed", "pibk", "K1-NOV", "/pibk/sekolah/{code}/semak/",
     {"window": "K1-NOV", "decision": "verified"}, None, 200),
    ("pibk-return", "pibk", "K1-JUL", "/pibk/sekolah/{code}/semak/",
     {"window": "K1-JUL", "decision": "returned", "comment": "Semak"}, "returned", 302),
    ("pibk-reopen", "pibk", "K1-MAR", "/pibk/sekolah/{code}/buka/",
     {"window": "K1-MAR", "until": "2099-01-01", "reason": "banjir"}, "reopened", 302),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "data", "persona", "allowed", "effect", "options"),
    [
        pytest.param(url, data, persona, persona in allowed, effect, (options or [{}])[0],
                     id=f"{name}-{persona}")
        for name, url, data, allowed, effect, *options in ACTS
        for persona in PERSONAS
    ],
)  # fmt: skip
def test_acts_matrix(
    world, real_cycle, login, monkeypatch, url, data, persona, allowed, effect, options
):
    monkeypatch.setattr("pibk.services.today", lambda: PIBK_DAY)
    _pibk_world(world)
    if "setup" in options:
        options["setup"](world)
    client = login(world.users[persona])
    if "session" in options:
        session = client.session
        session.update(options["session"](world))
        session.save()
    form = data(world) if callable(data) else data
    before = effect(world)
    response = client.post(url(world), form)
    after = effect(world)
    if allowed:
        expected = options.get("status", 302)
        assert response.status_code == expected, f"{persona} got {response.status_code}"
        assert after != before, f"{persona}: nothing changed"
    else:
        assert response.status_code in (302, 403, 404), f"{persona} got {response.status_code}"
        if response.status_code == 302:
            assert persona in options.get("elsewhere", ()) or (
                persona == "anonymous" and response["Location"].startswith("/login/")
            )
        assert after == before, f"{persona} changed {before} into {after}"


@pytest.mark.parametrize(
    ("programme", "window", "url", "data", "act", "allowed_status", "persona"),
    [
        pytest.param(*row[1:], persona, id=f"{row[0]}-{persona}")
        for row in REVIEW_ACTS
        for persona in PERSONAS
    ],
)
def test_review_acts_matrix(
    world, real_cycle, login, programme, window, url, data, act, allowed_status, persona
):
    from core.review.models import ReviewEvent, ReviewSubject
    from pibk.services import school_year_ensure, today

    school_year_ensure(school=world.a, year=today().year)
    year = real_cycle.year if programme == "ssqs" else today().year
    user = world.users[persona]
    response = login(user).post(url.format(code=world.a.code), data)
    # The PIBK-only officer of D1 acts on PIBK, not on SSQS.
    allowed = persona in ACTS_ON_A or (programme == "pibk" and persona == "pibk_officer_d1")
    expected = allowed_status if allowed else REFUSED[persona]
    assert response.status_code == expected, f"{persona} got {response.status_code}"
    subject = ReviewSubject.objects.filter(
        programme=programme, year=year, window=window, school=world.a
    ).first()
    if allowed and act is not None:
        event = ReviewEvent.objects.get()
        assert (event.subject, event.act, event.by) == (subject, act, user)
        assert (subject.state, subject.decided_by) == (act, user)
        if act == "reopened":
            assert str(subject.reopened_until) == "2099-01-01" and event.comment == "banjir"
        if act == "verified":
            assert event.missing  # incomplete, and confirmed: what was missing is kept
    else:
        assert not ReviewEvent.objects.exists() and subject is None
        if allowed:  # the confirmation page names what is missing
            assert "data-missing-item" in response.content.decode()


# Restarting a stalled certificate batch (POST): the officers who may start the
# district's batch; the batch goes back to the queue only for them.
RESTART = expect(404, **OFFICERS_ONLY, officer_d1=302, officer_s1=302, national=302,
                 admin=302)  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), RESTART.items())
def test_restarting_a_stalled_certificate_batch_matrix(world, mini_cycle, login, persona, status):
    import datetime

    from django.utils import timezone

    from monitoring.models import CertificateBatch

    batch = CertificateBatch.objects.create(
        cycle=mini_cycle,
        district=world.d1,
        requested_by=world.users["officer_d1"],
        status="running",
        total=17,
        done=4,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = login(world.users[persona]).post(f"/pemantauan/sijil/{batch.pk}/mula-semula/")
    assert response.status_code == status, f"{persona} got {response.status_code}"
    batch.refresh_from_db()
    if status == 302 and persona != "anonymous":
        assert response.url == f"/pemantauan/sijil/{batch.pk}/"
        assert (batch.status, batch.done) == ("queued", 0)
    else:
        assert (batch.status, batch.done) == ("running", 4)


# Reminders (POST): only officers above the district send them, and each is recorded.
SENDS_D1_REMINDERS = {"officer_d1", "officer_s1", "national", "admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_reminders_matrix(world, real_cycle, login, persona):
    from monitoring.models import Reminder
    from monitoring.rollups import rollups_rebuild

    world.a.email = "sk.alfa@example.gov.my"
    world.a.save(update_fields=["email"])
    rollups_rebuild(cycle_id=real_cycle.pk)
    response = login(world.users[persona]).post("/pemantauan/district/SGR-PETALING/peringatan/")
    sent = Reminder.objects.filter(school=world.a).count()
    if persona in SENDS_D1_REMINDERS:
        assert response.status_code == 302 and sent == 1
    else:
        assert response.status_code in (302, 403, 404) and sent == 0
        if persona == "anonymous":
            assert response["Location"].startswith("/login/")
