"""seed_demo's skills world (issue 16 item 9): what each demo login finds."""

import io
import re

import pytest

from schools.demo import DEMO_PASSWORD


@pytest.fixture
def demo(db):
    from skills import demo

    out = io.StringIO()
    logins = demo.seed(out, DEMO_PASSWORD)
    return logins, out.getvalue()


def test_every_demo_login_is_printed_with_the_demo_password(demo):
    logins, _out = demo
    names = {username for _role, username, password, _note in logins}
    assert names == {"pegawai.sijil", "ppl.kamala", "pentadbir.pb01", "pentadbir.pb02",
                     "pp.rahim", "pelatih.demo"}  # fmt: skip
    assert {password for _r, _u, password, _n in logins} == {DEMO_PASSWORD}


def _as(login, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
    return login(user)


def test_the_expired_centre_says_why_and_since_when(demo, login):
    page = _as(login, "pentadbir.pb02").get("/kemahiran/pusat/PB-PRK02/").content.decode()
    assert 'data-blocked="approved"' in page and "data-since=" in page


def test_the_trainee_sees_their_results_and_certificate(demo, login):
    page = _as(login, "pelatih.demo").get("/kemahiran/saya/").content.decode()
    assert 'data-status="valid" data-level="SKM3"' in page
    assert 'data-outcome="competent" data-verified="1"' in page


def test_the_assessor_works_for_both_centres(demo, login):
    page = _as(login, "pp.rahim").get("/kemahiran/").content.decode()
    assert "PB-SGR01" in page and "PB-PRK02" in page


def test_a_second_run_changes_nothing(demo):
    from skills import demo as skills_demo
    from skills.models import AccreditationEvent, Certificate, Enrolment, Intake, Result

    def counts():
        return [m.objects.count() for m in (Intake, Enrolment, Result, Certificate,
                                            AccreditationEvent)]  # fmt: skip

    before = counts()
    out = io.StringIO()
    skills_demo.seed(out, DEMO_PASSWORD)
    assert counts() == before
    assert out.getvalue() == demo[1]


def test_the_statistics_count_the_demo(demo):
    from django.utils import timezone

    from skills.selectors.statistics import skills_statistics, skills_statistics_live

    this = timezone.localdate().year
    figures = [skills_statistics(year=y) for y in (this - 1, this)]
    # 6 + 3 certificates of intakes and 1 of PPT, a re-issue not counted
    assert sum(f.total for f in figures) == 10
    assert figures == [skills_statistics_live(year=y) for y in (this - 1, this)]


# --- PPT (recognition of prior achievement) ---
def test_the_demo_ppt_applications_are_at_every_stage_with_real_evidence(demo, login):
    from skills.models import Certificate, PptApplication, PptEvidence

    _logins, out = demo
    applications = {a.trainee.name: a for a in PptApplication.objects.select_related("trainee")}
    for application in applications.values():
        assert application.reference in out
    page = _as(login, "pentadbir.pb01").get("/kemahiran/pusat/PB-SGR01/ppt/").content.decode()
    stages = sorted(re.findall(r'data-ppt="[^"]+" data-stage="(\w+)"', page))
    assert stages == ["assessment", "certified", "draft", "verification"]
    certified = applications["Zainal Abidin bin Karim"]
    assert Certificate.objects.get(intake=certified.intake).kind == "SKM3"
    evidence = PptEvidence.objects.filter(application=certified).first()
    assert evidence.file.open("rb").read(5) == b"%PDF-"
    # The verifier assigned reads it; the evidence of the draft is the centre's only.
    verifier = _as(login, "ppl.kamala")
    path = f"/kemahiran/pusat/PB-SGR01/ppt/{applications['Goh Swee Lin'].pk}/"
    assert verifier.get(path).status_code == 200


# --- complaints (Modul Aduan) ---
def test_the_demo_complaints_are_at_every_stage_and_one_is_overdue(demo, login):
    import re

    from skills.models import Complaint

    _logins, out = demo
    statuses = sorted(Complaint.objects.values_list("status", flat=True))
    assert statuses == ["answered", "assigned", "closed", "closed", "new"]
    for reference in Complaint.objects.values_list("reference", flat=True):
        assert reference in out
    page = _as(login, "pegawai.sijil").get("/kemahiran/aduan/").content.decode()
    assert 'data-overdue-count="1"' in page
    overdue = re.findall(r'<tr data-complaint="([^"]+)" data-status="(\w+)" data-overdue', page)
    assert [status for _r, status in overdue] == ["assigned"]
    closed = Complaint.objects.filter(status="closed").first()
    public = login(None).get("/kemahiran/aduan/semak/", {"no": closed.reference})
    assert 'data-status="closed"' in public.content.decode()


def test_seeding_twice_files_no_more_complaints(demo):
    from schools.demo import DEMO_PASSWORD
    from skills import demo as skills_demo
    from skills.models import Complaint

    skills_demo.seed(io.StringIO(), DEMO_PASSWORD)
    assert Complaint.objects.count() == 5


@pytest.mark.usefixtures("english")
def test_the_demo_centres_have_star_ratings(demo, login, client):
    """Both demo centres are rated this year; the stars show on the public centre page and
    the drill-down at the centre (rating)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from skills.demo import ADMIN_1, CENTRE_1, CENTRE_2
    from skills.models import CentreRating

    this = timezone.localdate().year
    rated = dict(CentreRating.objects.filter(year=this).values_list("centre__code", "stars"))
    assert set(rated) == {CENTRE_1[0], CENTRE_2[0]}
    body = client.get(f"/kemahiran/pusat-bertauliah/{CENTRE_1[0]}/").content.decode()
    assert f'data-stars="{rated[CENTRE_1[0]]}"' in body
    admin = get_user_model().objects.get(username=ADMIN_1)
    page = login(admin).get(f"/kemahiran/pusat/{CENTRE_1[0]}/penarafan/").content.decode()
    assert 'data-criterion="RETURNED"' in page and "verification rounds returned" in page


# --- the executive report (Modul Laporan Eksekutif) ---
def test_the_demo_executive_report_has_something_to_say(demo, login):
    """An accreditation expiring this quarter, a centre overdue for verification, this year's
    certificates; the centre's administrator sees their own centre's report."""
    page = _as(login, "pegawai.sijil").get("/kemahiran/laporan-eksekutif/").content.decode()
    assert 'data-headline="overdue" data-value="1"' in page
    assert 'data-centre="PB-PRK02" data-intakes="1"' in page
    assert 'data-standard="J951-001-2:2019"' in page and 'data-renewal="false"' in page
    assert 'data-headline="expiring" data-value="0"' not in page
    page = _as(login, "pentadbir.pb02").get("/kemahiran/laporan-eksekutif/").content.decode()
    assert 'data-tier="centre:PB-PRK02"' in page and "PB-SGR01" not in page


# --- facilities (Kemudahan): one declaration checked, one awaiting the body's check ---
@pytest.mark.usefixtures("english")
def test_the_demo_facilities_are_one_checked_and_one_awaiting(demo, login):
    from django.utils import timezone

    from skills.demo import ADMIN_1, CENTRE_1, CENTRE_2, OFFICER
    from skills.models import CentreRating, FacilityDeclaration

    this = timezone.localdate().year
    states = dict(FacilityDeclaration.objects.filter(year=this)
                  .values_list("centre__code", "state"))  # fmt: skip
    assert states == {CENTRE_1[0]: "checked", CENTRE_2[0]: "declared"}
    assert "Demo facilities declarations" in demo[1]
    queue = _as(login, OFFICER).get("/kemahiran/kemudahan/").content.decode()
    assert f'data-centre="{CENTRE_2[0]}"' in queue and f'data-centre="{CENTRE_1[0]}"' not in queue
    page = _as(login, ADMIN_1).get(f"/kemahiran/pusat/{CENTRE_1[0]}/kemudahan/").content.decode()
    assert 'data-finding="rejected"' in page and "5 rosak" in page
    rating = CentreRating.objects.get(centre__code=CENTRE_1[0], year=this)
    if rating.scheme.version >= 2:
        lines = dict(rating.lines.values_list("criterion__code", "counts"))
        assert lines["FACILITIES"] == [9, 11] and lines["COMPLAINTS"] == [1, 1]
