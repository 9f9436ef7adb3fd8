"""PASR's reports area: summaries and roll-ups, candidates' reports, analyses, dashboards, QA.

Seed 002, 5.1-5.3 (reporting) and 6.2-6.7 (quality assurance); domain.md 2
("only verified results are final") and 1.2 ("small cells").
"""

import datetime
import re
import zlib

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pasr import events, pdfs, rollups, rules
from pasr.models import PasrRollUp, QaVisit, SchoolYear
from pasr.selectors import reports as selectors
from tests.pasr.factories_reports import CODES, candidate, rate, rate_all

# The pages are read in English (Malay is the default).
pytestmark = pytest.mark.usefixtures("english")

YEAR = 2026
P1 = [c for c in CODES if c.startswith("P1")]
P2 = [c for c in CODES if c.startswith("P2")]


@pytest.fixture
def teacher(world):
    return world.users["pasr_teacher_a"]


@pytest.fixture
def today(monkeypatch):
    day = datetime.date(YEAR, 11, 20)
    monkeypatch.setattr("pasr.calendar.today", lambda: day)
    return day


def pages_of(pdf: bytes) -> int:
    """The pages of a PDF WeasyPrint wrote: page objects, found in its compressed object streams."""
    pages = 0
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            text = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        pages += len(re.findall(rb"/Type\s*/Page\b(?!s)", text))
    return pages


def figures_of(school):
    return SchoolYear.objects.get(school=school, year=YEAR).figures


# -- rules (pure) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ({"kompeten_terpuji": 1, "kompeten": 2, "belum_kompeten": 0}, ("33.33", "66.67", "0.00")),
        ({"kompeten_terpuji": 1, "kompeten": 6, "belum_kompeten": 1}, ("12.50", "75.00", "12.50")),
        ({"kompeten_terpuji": 0, "kompeten": 0, "belum_kompeten": 0}, (None, None, None)),
    ],
)
def test_level_shares_are_percent_of_the_verified_results_halves_up(counts, shares):
    found = rules.level_shares(counts)
    assert tuple(None if v is None else str(v) for v in found.values()) == shares


@pytest.mark.parametrize(
    ("counts", "held"),
    [
        # "never shows a category figure computed from fewer than 3": 1 and 2 are held
        # back, and another with them, or the 2 would follow from the total (12 - 10)
        ((10, 2, 0), {"kompeten_terpuji", "kompeten"}),
        # ... and the smallest other, or the held-back 1 would follow from the total
        ((10, 1, 5), {"kompeten", "belum_kompeten"}),
        ((1, 1, 1), {"kompeten_terpuji", "kompeten", "belum_kompeten"}),
        ((3, 4, 0), set()),
        ((0, 0, 0), set()),
    ],
)
def test_small_cells_of_a_construct_are_held_back(counts, held):
    assert rules.levels_held_back(dict(zip(rules.LEVELS, counts, strict=True))) == held


@pytest.mark.parametrize(
    ("stages", "stage"),
    [
        (["verified", "verified"], "verified"),
        (["verified", "moderated"], "moderated"),
        (["verified", ""], "assessed"),  # a construct not rated yet
        ([], "assessed"),
    ],
)
def test_a_report_is_final_only_when_every_result_is_verified(stages, stage):
    assert rules.report_stage(stages) == stage


QA_OK = {"kind": "monitoring", "level": "district", "role": "pegawai_ppd",
         "visited_on": datetime.date(2026, 5, 4), "today": datetime.date(2026, 5, 4),
         "year": 2026, "visitor": "En. Ali", "findings": "Rekod lengkap."}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({}, set()),
        ({"visited_on": datetime.date(2026, 5, 5)}, {"visited_on"}),  # in the future
        ({"visited_on": datetime.date(2025, 12, 1)}, {"visited_on"}),  # another year
        ({"findings": "  "}, {"findings"}),
        ({"visitor": ""}, {"visitor"}),
        # seed 6.7: a school chief assessor (KPS) mentors; monitoring is not theirs
        ({"role": "kps", "level": "school"}, {"visitor_role"}),
        # a district officer works at the district level
        ({"level": "state"}, {"level"}),
        ({"kind": "audit"}, {"kind"}),
    ],
)
def test_qa_visit_rules_name_every_faulty_field(change, fields):
    assert set(rules.qa_visit_refusals(**{**QA_OK, **change})) == fields


def test_every_qa_kind_has_the_seed_roles_and_each_role_a_level():
    assert set(rules.QA_KIND_ROLES) == set(rules.QA_KINDS)
    for roles in rules.QA_KIND_ROLES.values():
        assert set(roles) <= set(rules.QA_ROLES)
    assert (
        "kps" in rules.QA_KIND_ROLES["mentoring"]
        and "kps" not in rules.QA_KIND_ROLES["coordination"]
    )


# -- the school's summary ------------------------------------------------------------------


def test_summary_figures_equal_the_verified_results(world, teacher):
    verified = candidate(world.a)
    rate_all(verified, "kompeten", by=teacher)
    rate(verified, "P1-BM-1", "kompeten_terpuji", by=teacher,
         at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC))  # a later change wins  # fmt: skip
    moderated = candidate(world.a)
    rate_all(moderated, "belum_kompeten", by=teacher, stage="moderated")
    assessed = candidate(world.a)
    rate(assessed, "P1-MT-1", "kompeten", by=teacher, stage="assessed")
    candidate(world.a, status="withdrawn")

    rollups.summaries_rebuild(year=YEAR)
    figures = figures_of(world.a)

    assert figures["expected"] == 3 * 20
    assert (figures["rated"], figures["moderated"], figures["verified"]) == (41, 40, 20)
    assert figures["levels"]["P1-BM-1"] == {
        "kompeten_terpuji": 1, "kompeten": 0, "belum_kompeten": 0,
    }  # fmt: skip
    # The moderated candidate's belum_kompeten is not final: not counted anywhere.
    assert all(levels["belum_kompeten"] == 0 for levels in figures["levels"].values())
    assert sum(sum(levels.values()) for levels in figures["levels"].values()) == 20
    assert figures["by_status"]["withdrawn"] == 1
    assert SchoolYear.objects.get(school=world.a, year=YEAR).candidates == 3


def test_a_whole_absent_instrument_is_not_expected(world, teacher):
    from pasr.models import Absence

    pupil = candidate(world.a)
    Absence.objects.create(candidate=pupil, instrument="prokhas2", school=world.a, by=teacher)
    rollups.summaries_rebuild(year=YEAR)
    assert figures_of(world.a)["expected"] == len(P1)


def test_a_transferred_candidates_results_stay_with_the_school_that_gave_them(world, teacher):
    moved = candidate(world.b)  # now at B, rated ProKhas 1 at A before the move
    for code in P1:
        rate(moved, code, "kompeten", by=teacher, school=world.a)
    rollups.summaries_rebuild(year=YEAR)
    a, b = figures_of(world.a), figures_of(world.b)
    assert (a["expected"], a["verified"], a["levels"]["P1-BM-1"]["kompeten"]) == (len(P1),) * 2 + (
        1,
    )
    assert (b["expected"], b["verified"]) == (len(P2), 0)


def test_the_refresh_of_one_school_agrees_with_the_rebuild(world, teacher):
    pupil = candidate(world.a)
    rate_all(pupil, "kompeten_terpuji", by=teacher, instruments=["prokhas1"])
    rollups.school_summary_refresh(school_id=world.a.pk, year=YEAR)
    one = figures_of(world.a)
    rollups.summaries_rebuild(year=YEAR)
    assert figures_of(world.a) == one


def test_a_changed_school_refreshes_its_summary_and_rolls_up_after_commit(
    world, teacher, django_capture_on_commit_callbacks
):
    pupil = candidate(world.a)
    rate_all(pupil, "kompeten", by=teacher)
    assert not SchoolYear.objects.filter(school=world.a).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        events.school_changed(world.a.pk, YEAR)
        # Within the transaction: the summary; the roll-up waits for the commit.
        assert figures_of(world.a)["verified"] == 20
        assert not PasrRollUp.objects.exists()
    assert len(callbacks) == 1
    national = PasrRollUp.objects.get(level="national", period=YEAR)
    assert (national.verified, national.candidates) == (20, 1)


def test_the_review_workflow_acts_refresh_the_summary(world, teacher):
    from core.review import programmes
    from core.review.models import ReviewSubject

    assert rollups.review_changed in programmes.listeners("pasr")
    pupil = candidate(world.a)
    rate_all(pupil, "kompeten", by=teacher)
    subject = ReviewSubject(programme="pasr", year=YEAR, window="prokhas1", school=world.a)
    rollups.review_changed(subject, "verified")
    assert figures_of(world.a)["verified"] == 20


# -- the roll-ups ------------------------------------------------------------------------------


def test_rollups_sum_the_schools_and_count_those_with_none_registered(world, teacher):
    world.c.has_ppki = True
    world.c.save()
    for school in (world.a, world.b):
        pupil = candidate(school)
        rate_all(pupil, "kompeten", by=teacher)
    late = candidate(world.b)
    rate_all(late, "kompeten", by=teacher, stage="moderated")
    rollups.rebuild_all(year=YEAR)

    national = PasrRollUp.objects.get(level="national", period=YEAR)
    assert (national.schools, national.with_candidates, national.without_candidates) == (3, 2, 1)
    assert (national.candidates, national.expected, national.verified) == (3, 60, 40)
    assert national.behind == 1  # school B: a candidate's results moderated only
    assert national.levels["P2-NI-1"] == {
        "kompeten_terpuji": 0, "kompeten": 2, "belum_kompeten": 0,
    }  # fmt: skip
    selangor = PasrRollUp.objects.get(level="state", code="SGR", period=YEAR)
    perak = PasrRollUp.objects.get(level="state", code="PRK", period=YEAR)
    assert (selangor.schools, selangor.candidates, perak.schools, perak.candidates) == (2, 3, 1, 0)
    petaling = PasrRollUp.objects.get(level="district", code="SGR-PETALING", period=YEAR)
    assert (petaling.verified, petaling.parent_code) == (20, "SGR")


def test_the_command_rebuilds_a_year(world, teacher):
    from io import StringIO

    from django.core.management import call_command

    rate_all(candidate(world.a), "kompeten", by=teacher)
    out = StringIO()
    call_command("pasr_rollups", str(YEAR), stdout=out)
    assert "PASR 2026" in out.getvalue()
    assert PasrRollUp.objects.get(level="national", period=YEAR).verified == 20


def test_the_safety_net_task_rebuilds_every_summary_and_rollup(world, teacher, today):
    from pasr.tasks import rebuild_all_pasr

    rate_all(candidate(world.a), "kompeten", by=teacher)
    rebuild_all_pasr()
    assert figures_of(world.a)["verified"] == 20
    assert PasrRollUp.objects.filter(period=YEAR).count() == 3  # nation, state, district


# -- candidates' reports (pasr-report) ---------------------------------------------------------


LONG_NAME = "NUR AISYAH SOFEA BINTI MUHAMMAD HAFIZUDDIN AL-HAFIZ BIN WAN ABDUL RAHMAN SHAH"


def test_a_candidates_report_is_one_page_with_every_construct(world, teacher, login):
    pupil = candidate(world.a, name=LONG_NAME)
    rate_all(pupil, "kompeten", by=teacher)
    response = login(world.users["head_a"]).get(
        f"/pasr/sekolah/{world.a.code}/calon/{pupil.pk}/laporan.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pages_of(response.content) == 1


@pytest.mark.parametrize("language", ["ms", "en"])
def test_a_class_report_is_one_page_per_candidate(world, teacher, login, language):
    for n in range(3):
        pupil = candidate(world.a, name=f"{LONG_NAME} {n}", class_name="6 Amanah")
        rate_all(pupil, rules.LEVELS[n], by=teacher, stage=rules.STAGES[n])
    candidate(world.a, class_name="6 Bestari")
    client = login(world.users["pasr_teacher_a"])
    client.cookies["ssqs_language"] = language
    url = f"/pasr/sekolah/{world.a.code}/laporan.pdf"
    one_class = client.get(url, {"year": YEAR, "kelas": "6 Amanah"})
    assert one_class.status_code == 200
    assert pages_of(one_class.content) == 3
    assert pages_of(client.get(url, {"year": YEAR}).content) == 4
    assert client.get(url, {"year": YEAR, "kelas": "6 Tiada"}).status_code == 404


def test_the_report_html_carries_each_constructs_level_and_stage(world, teacher):
    pupil = candidate(world.a, kh_component="perkebunan")
    rate_all(pupil, "kompeten", by=teacher, instruments=["prokhas1"])
    rate(pupil, "P2-BI-1", "belum_kompeten", by=teacher, stage="moderated")
    with translation.override("ms"):
        html = pdfs.report_html(
            school=world.a, year=YEAR, reports=selectors.candidate_reports([pupil])
        )
    assert html.count("data-construct=") == 20
    assert 'data-construct="P1-BM-1" data-level="kompeten" data-stage="verified"' in html
    assert 'data-construct="P2-BI-1" data-level="belum_kompeten" data-stage="moderated"' in html
    assert re.search(r'data-construct="P2-BI-2">', html)  # not rated: no level, no stage
    assert "Perkebunan" in html  # Kemahiran Hidup's component named
    assert pupil.id_number not in html and rules.mask_id(pupil.id_number) in html
    assert 'data-report data-stage="assessed"' in html  # provisional


def test_a_report_with_every_result_verified_is_final(world, teacher):
    pupil = candidate(world.a)
    rate_all(pupil, "kompeten_terpuji", by=teacher)
    (report,) = selectors.candidate_reports([pupil])
    assert report.final
    html = pdfs.report_html(school=world.a, year=YEAR, reports=[report])
    assert 'data-report data-stage="verified"' in html
    assert "watermark" not in html.split("<body>")[1]


def test_a_class_report_takes_the_same_queries_for_one_or_twenty_candidates(
    world, teacher, django_assert_max_num_queries
):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            selectors.candidate_reports(selectors.class_candidates(school=world.a, year=YEAR))
        return len(ctx)

    rate_all(candidate(world.a), "kompeten", by=teacher)
    few = queries()
    for _n in range(19):
        rate_all(candidate(world.a), "kompeten", by=teacher)
    assert queries() == few


def test_another_schools_candidate_has_no_report_here(world, teacher, login):
    elsewhere = candidate(world.b)
    response = login(world.users["head_a"]).get(
        f"/pasr/sekolah/{world.a.code}/calon/{elsewhere.pk}/laporan.pdf"
    )
    assert response.status_code == 404


# -- the school's analysis -----------------------------------------------------------------------


def _two_schools_rated(world, teacher):
    """A: 2 candidates (one Kompeten Terpuji, one Kompeten); B: 5 all Kompeten; rolled up."""
    rate_all(candidate(world.a), "kompeten_terpuji", by=teacher)
    rate_all(candidate(world.a), "kompeten", by=teacher)
    rate_all(candidate(world.a), "belum_kompeten", by=teacher, stage="moderated")  # not final
    for _n in range(5):
        rate_all(candidate(world.b), "kompeten", by=teacher)
    rollups.rebuild_all(year=YEAR)


def test_the_school_sees_its_own_small_cells(world, teacher, login):
    _two_schools_rated(world, teacher)
    html = login(world.users["head_a"]).get(f"/pasr/sekolah/{world.a.code}/analisis/").content
    html = html.decode()
    row = html.split('data-construct="P1-BM-1"')[1].split("</tr>")[0]
    assert 'data-level-cell="kompeten_terpuji" data-share="50.00" data-count="1"' in row
    assert 'data-level-cell="belum_kompeten" data-share="0.00" data-count="0"' in row
    # The state and the nation (7 verified: 1 KT, 6 K) hold back the 1 and its complement.
    assert row.count('data-held-back="true"') == 2 + 2


def test_an_officer_sees_the_schools_small_cells_held_back(world, teacher, login):
    _two_schools_rated(world, teacher)
    html = login(world.users["officer_d1"]).get(f"/pasr/sekolah/{world.a.code}/analisis/")
    html = html.content.decode()
    row = html.split('data-construct="P1-BM-1"')[1].split("</tr>")[0]
    assert 'data-count="1"' not in row and 'data-small-cells="held-back"' in html
    # National: 1 KT, 6 K, 0 BK: the 1 held back and, so it cannot be subtracted, the 6 too.
    assert row.count('data-held-back="true"') == 2 + 2 + 2


def test_the_analysis_exports_hold_back_what_the_page_holds_back(world, teacher, login):
    _two_schools_rated(world, teacher)
    url = f"/pasr/sekolah/{world.a.code}/analisis/"
    officer = login(world.users["officer_d1"])
    csv = b"".join(officer.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    line = next(row for row in csv.splitlines() if ",P1-BM-1," in row)
    assert line.count("held back") == 6 and "50.00" not in line
    head = login(world.users["head_a"])
    csv = b"".join(head.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    line = next(row for row in csv.splitlines() if ",P1-BM-1," in row)
    assert line.split(",")[4:8] == ["2", "50.00", "50.00", "0.00"]
    xlsx = head.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')


def test_only_verified_results_count_in_the_analysis(world, teacher):
    _two_schools_rated(world, teacher)
    found = selectors.school_analysis(school=world.a, year=YEAR, own_school=True)
    assert {row.verified for row in found["rows"]} == {2}
    assert all(row.cells["belum_kompeten"].count == 0 for row in found["rows"])


def test_the_analysis_reads_in_constant_queries(
    world, teacher, login, django_assert_max_num_queries
):
    _two_schools_rated(world, teacher)
    client = login(world.users["officer_s1"])
    client.get(f"/pasr/sekolah/{world.a.code}/analisis/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/pasr/sekolah/{world.a.code}/analisis/").status_code == 200


# -- officers' dashboards -------------------------------------------------------------------------


def test_the_dashboard_shows_progress_levels_children_and_schools_behind(world, teacher, login):
    _two_schools_rated(world, teacher)
    client = login(world.users["officer_s1"])
    response = client.get("/pasr/pemantauan/", follow=True)
    assert response.redirect_chain[-1][0] == "/pasr/pemantauan/state/SGR/"
    html = response.content.decode()
    assert 'data-schools="2"' in html and 'data-candidates="8"' in html
    assert 'data-node="SGR-PETALING"' in html and 'data-node="SGR-KLANG"' in html
    assert 'data-school="BBA0001"' in html  # behind: a candidate's results moderated only
    row = html.split('data-construct="P1-BM-1"')[1].split("</tr>")[0]
    assert 'data-verified="7"' in html.split('data-construct="P1-BM-1"')[1][:40]
    assert row.count('data-held-back="true"') == 2


def test_no_name_or_identity_number_above_the_school(world, teacher, login):
    pupil = candidate(world.a, name="SITI KHADIJAH BINTI OMAR")
    rate_all(pupil, "kompeten", by=teacher)
    rollups.rebuild_all(year=YEAR)
    client = login(world.users["national"])
    for url in ["/pasr/pemantauan/national/KPM/", "/pasr/pemantauan/district/SGR-PETALING/",
                "/pasr/pemantauan/national/KPM/sekolah/",
                f"/pasr/sekolah/{world.a.code}/analisis/"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert "SITI KHADIJAH" not in html and pupil.id_number[-4:] not in html, url
    export = client.get("/pasr/pemantauan/national/KPM/sekolah/", {"format": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "BBA0001" in text and "SITI" not in text


def test_the_school_table_filters_and_exports(world, teacher, login):
    world.c.has_ppki = True
    world.c.save()
    _two_schools_rated(world, teacher)
    client = login(world.users["national"])
    url = "/pasr/pemantauan/national/KPM/sekolah/"
    html = client.get(url, {"registered": "none"}).content.decode()
    assert 'data-school="ABA0003"' in html and 'data-school="BBA0001"' not in html
    html = client.get(url, {"results": "behind"}).content.decode()
    assert 'data-school="BBA0001"' in html and 'data-school="BBB0002"' not in html
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200


def test_the_state_dashboard_takes_the_same_queries_for_few_or_many_schools(world, teacher, login):
    from tests.factories import SchoolFactory

    client = login(world.users["national"])
    url = "/pasr/pemantauan/state/SGR/"

    def queries():
        rollups.rebuild_all(year=YEAR)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert 'data-node="SGR-PETALING"' in response.content.decode()
        return len(ctx)

    rate_all(candidate(world.a), "kompeten", by=teacher, stage="moderated")
    few = queries()
    for n in range(12):
        school = SchoolFactory(code=f"BBA3{n:03d}", district=world.d1 if n % 2 else world.d2)
        rate_all(candidate(school), "kompeten", by=teacher, stage="moderated")
    assert queries() == few


@pytest.mark.parametrize("url", ["/pasr/pemantauan/national/KPM/",
                                 "/pasr/pemantauan/national/KPM/sekolah/"])  # fmt: skip
def test_a_dashboard_reads_in_few_queries(
    world, teacher, login, url, django_assert_max_num_queries
):
    _two_schools_rated(world, teacher)
    client = login(world.users["national"])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


# -- quality-assurance visits ---------------------------------------------------------------------


VISIT = {"kind": "monitoring", "level": "district", "visited_on": "2026-05-04",
         "visitor": "En. Ali bin Abu", "visitor_role": "pegawai_ppd",
         "findings": "Fail calon lengkap.", "follow_up": "Semak rekod moderasi."}  # fmt: skip


def test_an_officer_records_a_visit_the_school_sees(world, login, today):
    response = login(world.users["officer_d1"]).post(
        f"/pasr/sekolah/{world.a.code}/jaminan-kualiti/?year=2026", VISIT
    )
    assert response.status_code == 302
    visit = QaVisit.objects.get()
    assert (visit.school, visit.kind, visit.recorded_by) == (
        world.a, "monitoring", world.users["officer_d1"],
    )  # fmt: skip
    assert figures_of(world.a)["qa"]["monitoring"] == 1  # the summary follows
    html = login(world.users["exam_sec_a"]).get(
        f"/pasr/sekolah/{world.a.code}/jaminan-kualiti/?year=2026"
    )
    assert f'data-qa-visit="{visit.pk}"' in html.content.decode()
    assert 'data-form="pasr-qa"' not in html.content.decode()  # the exam secretary only reads
    panel = login(world.users["head_a"]).get(f"/pasr/sekolah/{world.a.code}/?year=2026")
    assert f'data-qa-visit="{visit.pk}"' in panel.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visited_on": "2026-12-01"}, "visited_on"),
        ({"findings": ""}, "findings"),
        ({"visitor_role": "kps"}, "visitor_role"),
        ({"visited_on": "99999-01-01"}, "visited_on"),
        ({"visitor": "x" * 151}, "visitor"),
    ],
)
def test_a_faulty_visit_is_refused_naming_the_field(world, login, today, change, field):
    response = login(world.users["head_a"]).post(
        f"/pasr/sekolah/{world.a.code}/jaminan-kualiti/?year=2026", {**VISIT, **change}
    )
    assert response.status_code == 200 and not QaVisit.objects.exists()
    assert field in response.context["form"].errors


def test_visits_are_seen_by_the_school_and_the_officers_above_only(world, login, today):
    url = f"/pasr/sekolah/{world.a.code}/jaminan-kualiti/"
    assert login(world.users["officer_s1"]).get(url).status_code == 200
    assert login(world.users["officer_d2"]).get(url).status_code == 404
    assert login(world.users["pasr_teacher_a"]).get(url).status_code == 403


# -- the school's panel ---------------------------------------------------------------------------


def test_the_panel_links_each_class_report_the_analysis_and_qa(world, teacher, login):
    candidate(world.a, class_name="6 Amanah")
    candidate(world.a, class_name="6 Bestari")
    html = login(world.users["head_a"]).get(f"/pasr/sekolah/{world.a.code}/?year=2026")
    html = html.content.decode()
    assert html.count('data-print="pasr-report"') == 3  # two classes and every candidate
    assert "kelas=6%20Amanah" in html
    assert 'data-link="pasr-analysis"' in html and 'data-link="pasr-qa"' in html
    teacher_html = login(teacher).get(f"/pasr/sekolah/{world.a.code}/?year=2026").content.decode()
    assert 'data-print="pasr-report"' in teacher_html
    assert 'data-link="pasr-analysis"' not in teacher_html
