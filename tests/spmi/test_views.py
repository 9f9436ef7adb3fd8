"""SPMI's pages as a quality team, a head and an officer use them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from spmi.models import Action, CriterionRating, Cycle, Indicator, Progress
from spmi.selectors.evaluation import criteria_rows, evaluation
from spmi.services.cycles import cycle_open_for
from tests.factories import head_of, officer
from tests.spmi.conftest import YEAR

pytestmark = pytest.mark.django_db


def _school(world):
    return f"/spmi/sekolah/{world.a.code}/"


def _rate_form(row, level=3, evidence="Minit mesyuarat", justification="", priority=False):
    prefix = f"c{row.criterion.pk}"
    data = {f"{prefix}-level": level, f"{prefix}-evidence": evidence,
            f"{prefix}-justification": justification}  # fmt: skip
    if priority:
        data[f"{prefix}-priority"] = "on"
    return data


def test_the_evaluation_page_shows_the_prefilled_figures(world, measured, standards, team, login):
    from surveys.models import Rating

    cycle_open_for(school=world.a, year=YEAR)
    html = login(team).get(_school(world), {"year": YEAR}).content.decode()
    stars = Rating.objects.get(cycle__year=YEAR, school=world.a).stars
    assert f'data-source="ssqs.stars" data-current="{stars}.00" data-previous="2.00"' in html
    assert 'data-source="pibk.average" data-current="90.00" data-previous="60.00"' in html
    assert 'data-form="rate-S2.1"' in html


def test_the_evaluation_page_reads_a_constant_number_of_queries(
    world, measured, standards, team, login, django_assert_max_num_queries
):
    from spmi.services.evaluation import rating_save

    cycle = cycle_open_for(school=world.a, year=YEAR)
    client = login(team)
    with django_assert_max_num_queries(16) as few:
        client.get(_school(world), {"year": YEAR})
    for row in criteria_rows(evaluation(cycle)):
        rating_save(cycle=cycle, criterion=row.criterion, level=4, evidence="e",
                    justification="j", priority=True, by=team)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_school(world), {"year": YEAR})


def test_the_quality_team_rates_and_a_divergent_rating_needs_a_justification(
    world, measured, standards, team, login
):
    cycle = cycle_open_for(school=world.a, year=YEAR)
    row = next(r for r in criteria_rows(evaluation(cycle)) if r.criterion.code == "S3.1")
    client = login(team)
    url = f"{_school(world)}kriteria/{row.criterion.pk}/?year={YEAR}"
    response = client.post(url, _rate_form(row, level=1))
    assert response.status_code == 200 and not CriterionRating.objects.exists()
    assert "justify" in response.content.decode()
    response = client.post(url, _rate_form(row, level=1, justification="Sebab"))
    assert response.status_code == 302
    html = client.get(_school(world), {"year": YEAR}).content.decode()
    assert 'data-diverges="S3.1" data-rating="1" data-data-level="3" data-justified="true"' in html


@pytest.mark.parametrize(
    "bad",
    [{"level": "9"}, {"level": "x"}, {"evidence": ""}, {"evidence": "a" * 5000},
     {"evidence": "\x00"}],
)  # fmt: skip
def test_bad_ratings_are_refused_clearly(world, standards, team, login, bad):
    cycle = cycle_open_for(school=world.a, year=YEAR)
    row = criteria_rows(evaluation(cycle))[0]
    form = _rate_form(row)
    form |= {f"c{row.criterion.pk}-{k}": v for k, v in bad.items()}
    response = login(team).post(f"{_school(world)}kriteria/{row.criterion.pk}/?year={YEAR}", form)
    assert response.status_code == 200 and not CriterionRating.objects.exists()


def test_a_criterion_of_another_version_is_not_found(world, standards, team, login):
    cycle_open_for(school=world.a, year=YEAR)
    response = login(team).post(f"{_school(world)}kriteria/999999/?year={YEAR}", {})
    assert response.status_code == 404


def _walk_to_plan(world, team, client):
    cycle = cycle_open_for(school=world.a, year=YEAR)
    for row in criteria_rows(evaluation(cycle)):
        r = client.post(f"{_school(world)}kriteria/{row.criterion.pk}/?year={YEAR}",
                        _rate_form(row, level=row.data_level or 3,
                                   priority=row.criterion.code == "S4.1"))  # fmt: skip
        assert r.status_code == 302, r.content.decode()[:2000]
    assert client.post(f"{_school(world)}selesai/?year={YEAR}").status_code == 302
    return Cycle.objects.get(pk=cycle.pk)


def _action_form(indicator, **kw):
    return {"indicator": indicator.pk, "goal": "Dua cerapan setahun", "baseline": "1",
            "baseline_source": "Rekod cerapan", "target": "2",
            "target_date": (timezone.localdate() + datetime.timedelta(60)).isoformat(),
            "implements": "PK Kurikulum", "assists": "Ketua Panitia", "oversees": "Guru Besar",
            "resources": "Borang", "success": "Setiap guru dicerap dua kali"} | kw  # fmt: skip


def test_from_evaluation_to_an_approved_plan_progress_and_closing(
    world, standards, team, login, django_assert_max_num_queries
):
    client = login(team)
    cycle = _walk_to_plan(world, team, client)
    assert cycle.stage == Cycle.Stage.PLANNING
    indicator = Indicator.objects.get(criterion__standard__standard_set=standards, code="S4.1.1")
    plan_url = f"{_school(world)}pelan/?year={YEAR}"
    assert client.post(plan_url, _action_form(indicator, target="")).status_code == 200
    assert not Action.objects.exists()
    assert client.post(plan_url, _action_form(indicator)).status_code == 302
    action = Action.objects.get()
    # The team cannot approve; the head can.
    assert client.post(f"{_school(world)}pelan/lulus/?year={YEAR}").status_code == 403
    head = login(head_of(world.a, username="gb.alfa"))
    assert head.post(f"{_school(world)}pelan/lulus/?year={YEAR}").status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).stage == Cycle.Stage.CARRYING_OUT
    pdf = head.get(f"{_school(world)}pelan.pdf", {"year": YEAR})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    html = head.get(plan_url).content.decode()
    assert 'data-print="spmi-plan"' in html and 'data-approved="true"' in html
    client = login(team)
    action_url = f"{_school(world)}tindakan/{action.pk}/"
    with django_assert_max_num_queries(14):
        assert client.get(action_url).status_code == 200
    today = timezone.localdate().isoformat()
    client.post(action_url, {"progress": "1", "on": today, "note": "Cerapan 1", "evidence": "B"})
    assert Progress.objects.count() == 1
    r = client.post(action_url, {"close": "1", "evidence": "", "remeasured": "2"})
    assert r.status_code == 200 and Action.objects.get().status == "open"
    client.post(action_url, {"close": "1", "evidence": "Borang cerapan", "remeasured": "2"})
    action.refresh_from_db()
    assert (action.status, action.remeasured) == ("met", Decimal(2))
    # Step 5, the head's.
    assert client.post(f"{_school(world)}kitaran-seterusnya/?year={YEAR}").status_code == 403
    assert login(head_of(world.a, username="gb.alfa2")).post(
        f"{_school(world)}kitaran-seterusnya/?year={YEAR}").status_code == 302  # fmt: skip
    assert Cycle.objects.get(pk=cycle.pk).stage == Cycle.Stage.CLOSED
    html = login(team).get(f"{_school(world)}pelan/", {"year": YEAR + 1}).content.decode()
    assert 'data-held="S4.1.1" data-level="2.00"' in html
    # The next cycle's evaluation shows the level held beside the indicator's figures.
    html = login(team).get(_school(world), {"year": YEAR + 1}).content.decode()
    assert 'data-held="2.00"' in html


def test_overdue_actions_are_flagged_to_the_school_and_its_district(world, standards, team, login):
    from spmi.services.plan import action_create, plan_approve

    client = login(team)
    cycle = _walk_to_plan(world, team, client)
    indicator = Indicator.objects.get(criterion__standard__standard_set=standards, code="S4.1.1")
    action_create(cycle=cycle, criterion=indicator.criterion, indicator=indicator, goal="g",
                  target=2, target_date=timezone.localdate() - datetime.timedelta(1),
                  implements="a", assists="", oversees="b", resources="", success="s",
                  baseline=1, baseline_source="x", by=team)  # fmt: skip
    plan_approve(cycle=cycle, by=head_of(world.a, username="gb.alfa"))
    assert (
        'data-overdue="true"' in client.get(f"{_school(world)}pelan/?year={YEAR}").content.decode()
    )
    html = login(officer("district", world.d1)).get("/spmi/pemantauan/", {"year": YEAR}).content
    assert (
        f'data-school="{world.a.code}" data-stage="carrying_out" data-overdue="1"' in html.decode()
    )
    other = login(officer("district", world.d2)).get("/spmi/pemantauan/", {"year": YEAR}).content
    assert world.a.code not in other.decode()


def test_the_standards_page_shows_each_version_and_compares(
    world, standards, team, login, tmp_path
):
    from spmi.standards import standards_load
    from tests.spmi.test_spmi import _changed_file

    standards_load(path=_changed_file(tmp_path))
    html = login(team).get("/spmi/standard/", {"from": 1, "to": 2}).content.decode()
    assert 'data-comparison="1-2"' in html
    assert re.search(r'data-change="removed" data-code="S1.2"', html)
    for nonsense in ({"v": "x"}, {"from": "1", "to": "\x00"}, {"v": "99"}):
        assert login(team).get("/spmi/standard/", nonsense).status_code in (200, 400, 404)


def test_the_quality_team_can_open_its_own_cycle(world, standards, team, login):
    client = login(team)
    html = client.get(_school(world), {"year": YEAR}).content.decode()
    assert 'data-cycle="none"' in html
    assert client.post(f"{_school(world)}buka/?year={YEAR}").status_code == 302
    assert Cycle.objects.filter(school=world.a, year=YEAR).exists()


def test_the_ministry_opens_the_national_cycle_in_the_background(
    world, standards, login, django_capture_on_commit_callbacks
):
    national = login(officer("national"))
    html = national.get("/spmi/pemantauan/", {"year": YEAR}).content.decode()
    assert 'data-opened="0" data-schools="3"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = national.post("/spmi/pemantauan/buka/", {"year": str(YEAR)})
    assert response.status_code == 302
    assert Cycle.objects.filter(year=YEAR).count() == 3
    html = national.get("/spmi/pemantauan/", {"year": YEAR}).content.decode()
    assert 'data-opened="3" data-schools="3"' in html
    for who in (officer("district", world.d1), head_of(world.a, username="gb.x")):
        assert login(who).post("/spmi/pemantauan/buka/", {"year": str(YEAR + 1)}).status_code == 403
    assert not Cycle.objects.filter(year=YEAR + 1).exists()


def test_the_cycle_report_shows_the_years_movement_per_criterion(world, measured, standards,
                                                                 team, login):  # fmt: skip
    from spmi.services.evaluation import rating_save

    last = cycle_open_for(school=world.a, year=YEAR - 1)
    now = cycle_open_for(school=world.a, year=YEAR)
    for cycle, level in ((last, 2), (now, 3)):
        row = next(r for r in criteria_rows(evaluation(cycle)) if r.criterion.code == "S3.1")
        rating_save(cycle=cycle, criterion=row.criterion, level=level, evidence="e",
                    justification="j", priority=False, by=team)  # fmt: skip
    html = login(team).get(f"{_school(world)}pelan/", {"year": YEAR}).content.decode()
    # PIBK: 60 % and not reaching a year ago (levels 3 and 1: 2), 90 % and reaching now (4, 3: 3).
    assert ('data-movement-criterion="S3.1" data-rating-before="2" data-rating-now="3" '
            'data-data-before="2" data-data-now="3"') in html  # fmt: skip


def test_officers_mark_model_schools_whose_plans_other_schools_open(world, standards, login):
    from tests.factories import person
    from tests.spmi.factories import spmi_cycle

    cycle = spmi_cycle(world)
    url = f"{_school(world)}contoh/?year={cycle.year}"
    team_b = person("mutu.bravo", roles=[("quality_team", world.b)])
    example = f"/spmi/contoh/{cycle.pk}/"
    assert login(team_b).get(example).status_code == 404  # not a model (yet)
    for who, status in ((world.users["head_a"], 403), (officer("district", world.d2), 404)):
        assert login(who).post(url, {"model": "1"}).status_code == status
    assert not Cycle.objects.get(pk=cycle.pk).is_model
    district = officer("district", world.d1)
    assert login(district).post(url, {"model": "1"}).status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).is_model
    html = login(team_b).get("/spmi/contoh/", {"year": cycle.year}).content.decode()
    assert f'data-school="{world.a.code}"' in html
    html = login(team_b).get(example).content.decode()
    assert f'data-action="{world.spmi_action.pk}"' in html
    assert login(world.users["coord_a"]).get(example).status_code == 403
    assert login(district).post(url, {"model": "0"}).status_code == 302
    assert login(team_b).get(example).status_code == 404


def test_the_district_comments_on_a_plan_through_the_review_workflow(world, standards, login):
    from core.review.models import ReviewEvent, ReviewSubject
    from tests.spmi.factories import spmi_cycle

    cycle = spmi_cycle(world)
    head = login(world.users["head_a"])
    plan_url = f"{_school(world)}pelan/?year={cycle.year}"
    assert 'data-form="review-submit"' in head.get(plan_url).content.decode()
    r = head.post(f"{_school(world)}hantar/?year={cycle.year}", {"confirm": "1"})
    assert r.status_code == 302
    subject = ReviewSubject.objects.get(programme="spmi", school=world.a, year=cycle.year)
    assert subject.state == "submitted"
    url = f"{_school(world)}semak/?year={cycle.year}"
    # Another district's officer: 404, nothing recorded; the team: 403.
    assert (
        login(officer("district", world.d2))
        .post(url, {"decision": "returned", "comment": "x"})
        .status_code
        == 404
    )
    district = login(officer("district", world.d1))
    r = district.post(url, {"decision": "returned", "comment": "Tambah sasaran bagi S2.1"})
    assert r.status_code == 302
    subject.refresh_from_db()
    assert (subject.state, subject.comment) == ("returned", "Tambah sasaran bagi S2.1")
    html = login(world.users["head_a"]).get(plan_url).content.decode()
    assert "data-returned-comment>Tambah sasaran bagi S2.1" in html
    desk = login(world.users["head_a"]).get("/mydesktop/").content.decode()
    assert "Tambah sasaran bagi S2.1" in desk
    assert ReviewEvent.objects.filter(subject=subject).count() == 2


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_evidence_files_are_checked_kept_and_handed_out_to_those_who_see_the_school(
    world, standards, login, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from spmi.models import EvidenceFile
    from tests.spmi.factories import quality_team, spmi_cycle

    settings.MEDIA_ROOT = tmp_path
    cycle = spmi_cycle(world)
    team = login(quality_team(world))
    url = f"{_school(world)}tindakan/{world.spmi_action.pk}/"
    today = timezone.localdate().isoformat()
    base = {"progress": "1", "on": today, "note": "Cerapan", "evidence": "Borang"}
    for bad in (SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
                SimpleUploadedFile("empty.pdf", b""),
                SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))):  # fmt: skip
        r = team.post(url, base | {"file": bad})
        assert r.status_code == 200 and not Progress.objects.exists()
    r = team.post(url, base | {"file": SimpleUploadedFile("../../etc/bukti.pdf", PDF)})
    assert r.status_code == 302
    kept = EvidenceFile.objects.get()
    assert (kept.kind, kept.name, kept.progress.note) == ("pdf", "bukti.pdf", "Cerapan")
    link = f"{_school(world)}bukti/{kept.pk}/"
    assert f'data-evidence-file="{kept.pk}"' in team.get(url).content.decode()
    got = login(officer("district", world.d1)).get(link)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content) == PDF
    assert login(officer("district", world.d2)).get(link).status_code == 404
    assert login(world.users["coord_a"]).get(link).status_code == 403
    assert login(world.users["head_a"]).get(f"/spmi/sekolah/{world.b.code}/bukti/{kept.pk}/"
                                            ).status_code == 404  # fmt: skip
    assert cycle.pk


def test_districts_and_states_follow_stages_and_overdue_actions_on_the_rollup_kit(
    world, standards, login, django_assert_max_num_queries
):
    from spmi.models import SpmiRollUp
    from spmi.rollups import rollups_rebuild
    from tests.spmi.factories import spmi_cycle

    cycle = spmi_cycle(world)  # A: steps 3-4, one action due in 30 days
    cycle_open_for(school=world.c, year=cycle.year)  # C: step 1
    later = timezone.localdate() + datetime.timedelta(days=40)
    rollups_rebuild(year=cycle.year, today=later)  # 40 days on, A's action is overdue
    nation = SpmiRollUp.objects.get(period=cycle.year, level="national")
    assert (nation.schools, nation.carrying_out, nation.mapping, nation.actions,
            nation.overdue, nation.with_overdue) == (2, 1, 1, 1, 1, 1)  # fmt: skip
    d1 = SpmiRollUp.objects.get(period=cycle.year, level="district", code=world.d1.code)
    assert (d1.schools, d1.overdue) == (1, 1)
    assert not SpmiRollUp.objects.filter(period=cycle.year, code=world.d2.code).exists()
    state = login(officer("state", world.s1))
    with django_assert_max_num_queries(12):
        html = state.get(f"/spmi/pemantauan/state/{world.s1.code}/",
                         {"year": cycle.year}).content.decode()  # fmt: skip
    assert f'data-node="{world.d1.code}" data-schools="1" data-overdue="1"' in html
    assert login(officer("district", world.d2)).get(
        f"/spmi/pemantauan/district/{world.d1.code}/").status_code == 404  # fmt: skip
    assert login(world.users["head_a"]).get(
        f"/spmi/pemantauan/district/{world.d1.code}/").status_code == 403  # fmt: skip


def test_overdue_actions_are_flagged_on_the_schools_mydesktop(world, standards, login):
    from tests.spmi.factories import quality_team, spmi_cycle

    spmi_cycle(world)
    Action.objects.update(target_date=timezone.localdate() - datetime.timedelta(days=1))
    for who in (quality_team(world), world.users["head_a"]):
        html = login(who).get("/mydesktop/").content.decode()
        assert 'data-spmi-overdue="1"' in html
    # The coordinator's MyDesktop (no SPMI role) does not show it.
    assert (
        "data-spmi-overdue" not in login(world.users["coord_a"]).get("/mydesktop/").content.decode()
    )


def test_the_ministry_loads_a_changed_standard_set_as_a_new_version(world, standards, login,
                                                                   tmp_path):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from spmi.models import StandardSet
    from tests.spmi.test_spmi import _changed_file

    changed = _changed_file(tmp_path).read_bytes()

    def post(who, content, name="v2.yaml"):
        return login(who).post("/spmi/standard/muat-naik/",
                               {"document": SimpleUploadedFile(name, content)})  # fmt: skip

    assert post(officer("state", world.s1), changed).status_code == 403
    assert post(world.users["head_a"], changed).status_code == 403
    national = officer("national")
    for bad in (
        b"standards: [",
        b"\xff\xfe",
        b"standards: []\n" + b"#" * 1_100_000,
        b"title: {ms: a, en: b}\nstandards: [{code: S1}]",
    ):
        r = post(national, bad)
        assert r.status_code == 302 and StandardSet.objects.count() == 1
    r = post(national, changed, name="../../v2.yaml")
    assert r.status_code == 302 and r["Location"].endswith("?v=2")
    versions = list(StandardSet.objects.values_list("version", "source"))
    assert versions == [(2, "v2.yaml"), (1, "spmi-national-v1.yaml")]
    post(national, changed)
    assert StandardSet.objects.count() == 2  # the same content again: nothing new


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the audit triggers are PostgreSQL's")
def test_the_audit_trail_records_who_approved_and_closed(world, standards, login):

    from core.audit.models import Entry
    from tests.spmi.factories import spmi_cycle

    cycle = spmi_cycle(world, "planning")
    login(world.users["head_a"]).post(f"{_school(world)}pelan/lulus/?year={cycle.year}")
    approved = Entry.objects.filter(model="spmi.cycle", action="update").order_by("-id").first()
    assert approved is not None and approved.school_id == world.a.pk
    assert approved.context["user_id"] == world.users["head_a"].pk
    assert approved.after["stage"] == "carrying_out"
    assert Entry.objects.filter(model="spmi.action", action="insert", school_id=world.a.pk).exists()


def test_the_hourly_safety_net_counts_overdue_actions_as_of_today(world, standards):
    from django_celery_beat.models import PeriodicTask

    from spmi.models import SpmiRollUp
    from spmi.tasks import rebuild_spmi_rollups_today
    from tests.spmi.factories import spmi_cycle

    assert PeriodicTask.objects.filter(task="spmi.tasks.rebuild_spmi_rollups_today").exists()
    cycle = spmi_cycle(world)
    Action.objects.update(target_date=timezone.localdate() - datetime.timedelta(days=1))
    rebuild_spmi_rollups_today(cycle.year)
    assert SpmiRollUp.objects.get(period=cycle.year, level="national").overdue == 1
