"""SPMI (issue 18; domain.md 5; seed 001): standards as versioned data, the pre-filled
self-evaluation, the plan, closing with evidence and a re-measured figure, step 5."""

import datetime
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from spmi import rules
from spmi.models import Action, Criterion, CriterionRating, Cycle, Figure, HeldLevel, Indicator
from spmi.selectors.evaluation import criteria_rows, evaluation
from spmi.services import Refused
from spmi.services.cycles import cycle_open_for, cycles_open
from spmi.services.evaluation import evaluation_finish, rating_save
from spmi.services.plan import action_close, action_create, plan_approve, progress_add
from spmi.services.rollover import cycle_roll_over
from spmi.standards import DEFAULT_FILE, StandardsError, compare, standards_load, validate
from tests.factories import SchoolFactory, head_of
from tests.spmi.conftest import YEAR

pytestmark = pytest.mark.django_db


# -- the rules (pure), each row quoting what it checks ------------------------------------------

DATA_LEVELS = [
    # (source, figure, level): "rates ICT use high while its SSQS is 2 stars"
    ("ssqs.stars", 2, 1),
    ("ssqs.stars", 3, 2),
    ("ssqs.stars", 5, 4),
    ("ssqs.score", Decimal("39.99"), 1),
    ("ssqs.score", 40, 2),
    ("pibk.average", Decimal("79.99"), 3),
    ("pibk.average", 80, 4),
    ("pibk.kpi1", 1, 3),
    ("pibk.kpi1", 0, 1),
    ("evidence", 5, None),
    ("ssqs.score", None, None),
]


@pytest.mark.parametrize(("source", "value", "level"), DATA_LEVELS)
def test_what_a_portal_figure_says_on_the_descriptor_scale(source, value, level):
    assert rules.data_level(source, value) == level


@pytest.mark.parametrize(
    ("rating", "data", "diverges"),
    [(4, 1, True), (3, 1, True), (2, 1, False), (1, 3, True), (4, None, False), (None, 1, False)],
)
def test_a_rating_two_steps_from_the_data_diverges(rating, data, diverges):
    assert rules.diverges(rating, data) is diverges


@pytest.mark.parametrize(
    ("evidence", "remeasured", "fields"),
    [("", None, ["evidence", "remeasured"]), ("  ", 5, ["evidence"]), ("Minit", None,
     ["remeasured"]), ("Minit", 0, [])],
)  # fmt: skip
def test_an_action_closes_only_with_evidence_and_a_remeasured_figure(evidence, remeasured, fields):
    refusals = rules.closing_refusals(evidence=evidence, remeasured=remeasured)
    assert [f for f, _m in refusals] == fields


def test_overdue_is_an_open_action_past_its_date():
    day = datetime.date(2026, 6, 1)
    assert rules.is_overdue(status="open", target_date=day, today=day + datetime.timedelta(1))
    assert not rules.is_overdue(status="open", target_date=day, today=day)
    assert not rules.is_overdue(status="met", target_date=day, today=day.replace(year=2027))


# -- standards as versioned data --------------------------------------------------------------


def test_the_default_national_set_loads_once_in_malay_and_english(standards):
    assert standards.version == 1
    again, created = standards_load()
    assert (again.pk, created) == (standards.pk, False)
    indicators = Indicator.objects.filter(criterion__standard__standard_set=standards)
    assert indicators.filter(source="ssqs.stars").exists()
    assert indicators.filter(source="pibk.average").exists()
    assert indicators.filter(source="evidence").exists()
    assert all(i.name_ms and i.name_en for i in indicators)


def _changed_file(tmp_path):
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    first = data["standards"][1]["criteria"][0]  # S2.1
    first["name"]["en"] = "ICT used in every lesson"
    first["indicators"][0]["source"] = "ssqs.score"  # S2.1.1 stars -> score
    data["standards"][0]["criteria"].pop(1)  # S1.2 removed
    data["standards"][3]["criteria"][0]["indicators"].append(
        {"code": "S4.1.2", "source": "evidence", "name": {"ms": "Bimbingan", "en": "Coaching"}}
    )
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_new_version_keeps_old_cycles_intact_and_says_what_changed(world, standards, tmp_path):
    old_cycle = cycle_open_for(school=world.a, year=YEAR)
    old_criteria = set(
        Criterion.objects.filter(standard__standard_set=old_cycle.standard_set).values_list(
            "code", "name_en"
        )
    )
    v2, created = standards_load(path=_changed_file(tmp_path))
    assert created and v2.version == 2
    old_cycle.refresh_from_db()
    assert old_cycle.standard_set_id == standards.pk
    rows = criteria_rows(evaluation(old_cycle))
    assert {(r.criterion.code, r.criterion.name_en) for r in rows} == old_criteria
    assert Cycle.objects.get(pk=cycle_open_for(school=world.a, year=YEAR + 1).pk).standard_set == v2
    changes = {(c.kind, c.level, c.code) for c in compare(standards, v2).changes}
    assert changes == {
        ("renamed", "criterion", "S2.1"),
        ("source", "indicator", "S2.1.1"),
        ("removed", "criterion", "S1.2"),
        ("removed", "indicator", "S1.2.1"),
        ("added", "indicator", "S4.1.2"),
    }


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({}, "list of standards"),
        ({"standards": [{"code": "S1", "name": {"ms": "A"}, "criteria": []}]}, "English"),
        ({"standards": [{"code": "S1", "name": {"ms": "A", "en": "A"}, "criteria": [
            {"code": "C1", "name": {"ms": "c", "en": "c"}, "indicators": [
                {"code": "I1", "source": "ssqs.magic", "name": {"ms": "i", "en": "i"}}]}]}]},
         "unknown source"),
        ({"standards": [{"code": "S1", "name": {"ms": "A", "en": "A"}, "criteria": [
            {"code": "S1", "name": {"ms": "c", "en": "c"}, "indicators": [
                {"code": "I1", "source": "evidence", "name": {"ms": "i", "en": "i"}}]}]}]},
         "twice"),
    ],
)  # fmt: skip
def test_a_bad_standard_file_is_refused_naming_the_problem(data, says):
    with pytest.raises(StandardsError) as exc:
        validate(data | {"title": {"ms": "T", "en": "T"}} if data else data)
    assert says in str(exc.value)


def test_the_standards_command_is_idempotent_and_refuses_bad_files(db, tmp_path, capsys):
    from django.core.management.base import CommandError

    call_command("spmi_standards")
    call_command("spmi_standards")
    assert "Unchanged: SPMI standards version 1" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("standards: [", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("spmi_standards", str(bad))


# -- step 1: the pre-filled self-evaluation ----------------------------------------------------


def test_prefilled_figures_equal_the_programmes_own_results(world, measured, standards):
    from pibk.models import SchoolYear
    from surveys.models import Rating

    cycle = cycle_open_for(school=world.a, year=YEAR)
    figures = {
        f.indicator.source: (f.current, f.previous)
        for f in Figure.objects.filter(cycle=cycle).select_related("indicator")
    }
    now = Rating.objects.get(cycle__year=YEAR, school=world.a)
    before = Rating.objects.get(cycle__year=YEAR - 1, school=world.a)
    assert figures["ssqs.stars"] == (now.stars, before.stars)
    assert figures["ssqs.score"] == (now.score, before.score)
    for code in ("usage", "human_capital", "applications", "infrastructure"):
        assert figures[f"ssqs.indicator.{code}"] == (getattr(now, code), getattr(before, code))
    assert figures["completeness.ssqs"][1] == Decimal("75.00")  # 9 of 12
    assert figures["completeness.ssqs"][0] == (
        Decimal(100 * now.respondents_finished / now.respondents_required).quantize(Decimal("0.01"))
    )
    pibk_now = SchoolYear.objects.get(school=world.a, year=YEAR)
    pibk_before = SchoolYear.objects.get(school=world.a, year=YEAR - 1)
    assert figures["pibk.average"] == (pibk_now.average, pibk_before.average) == (90, 60)
    assert figures["pibk.kpi1"] == (1, 0)  # 90 % reaches 65 %, 60 % does not
    assert figures["pibk.kpi2"] == (Decimal("30.00"), Decimal("10.00"))
    assert not any(f.indicator.source == "evidence" for f in Figure.objects.filter(cycle=cycle))


def test_opening_the_nation_is_bulk_idempotent_and_leaves_no_figure_invented(
    world, measured, standards, django_assert_max_num_queries
):
    for n in range(20):
        SchoolFactory(code=f"BBZ{n:04d}", district=world.d1)
    with django_assert_max_num_queries(12):
        opened = cycles_open(year=YEAR)
    assert opened == 23
    assert cycles_open(year=YEAR) == 0
    portal = Indicator.objects.filter(criterion__standard__standard_set=standards).exclude(
        source="evidence"
    )
    assert Figure.objects.count() == 23 * portal.count()
    # A school with no SSQS or PIBK data has empty figures, never a zero.
    assert not Figure.objects.filter(cycle__school__code="BBZ0001", current__isnull=False).exists()


def _rate_all(cycle, team, level=3, priorities=("S2.1",), justification="x"):
    for row in criteria_rows(evaluation(cycle)):
        rating_save(cycle=cycle, criterion=row.criterion, level=level, evidence="Minit",
                    justification=justification, priority=row.criterion.code in priorities,
                    by=team)  # fmt: skip


def test_a_rating_far_from_the_data_asks_for_a_justification(world, measured, standards, team):
    cycle = cycle_open_for(school=world.a, year=YEAR)
    s31 = Criterion.objects.get(standard__standard_set=standards, code="S3.1")
    # PIBK: average 90 (level 4) and KPI 1 reached (level 3): the data says 3.
    with pytest.raises(Refused) as exc:
        rating_save(cycle=cycle, criterion=s31, level=1, evidence="Minit", justification="",
                    priority=False, by=team)  # fmt: skip
    assert [f for f, _m in exc.value.errors] == ["justification"]
    assert not CriterionRating.objects.exists()
    why = "Hanya ibu bapa yang sama hadir."
    rating_save(cycle=cycle, criterion=s31, level=1, evidence="Minit", justification=why,
                priority=False, by=team)  # fmt: skip
    row = next(r for r in criteria_rows(evaluation(cycle)) if r.criterion.code == "S3.1")
    assert (row.rating.level, row.data_level, row.diverges) == (1, 3, True)


def test_the_evaluation_cannot_finish_until_every_criterion_is_rated(world, standards, team):
    cycle = cycle_open_for(school=world.a, year=YEAR)
    with pytest.raises(Refused):
        evaluation_finish(cycle=cycle, by=team)
    _rate_all(cycle, team)
    assert evaluation_finish(cycle=cycle, by=team).stage == Cycle.Stage.PLANNING


# -- step 2 to step 5 --------------------------------------------------------------------------


def _planned(world, team, *, code="S4.1.1", target="2", baseline=Decimal(1), due=None):
    cycle = cycle_open_for(school=world.a, year=YEAR)
    _rate_all(cycle, team, priorities=("S2.1", "S4.1"))
    evaluation_finish(cycle=cycle, by=team)
    indicator = Indicator.objects.get(criterion__standard__standard_set=cycle.standard_set,
                                      code=code)  # fmt: skip
    action = action_create(
        cycle=cycle, criterion=indicator.criterion, indicator=indicator, goal="Cerapan",
        target=Decimal(target), target_date=due or timezone.localdate() + datetime.timedelta(30),
        implements="PK Kurikulum", assists="", oversees="Guru Besar", resources="",
        success="Dua cerapan", baseline=baseline, baseline_source="Rekod cerapan", by=team,
    )  # fmt: skip
    return cycle, action


def test_a_portal_action_takes_its_baseline_from_the_prefilled_figure(world, measured, standards,
                                                                      team):  # fmt: skip
    cycle, action = _planned(world, team, code="S2.1.1", target="3", baseline=Decimal(99))
    from surveys.models import Rating

    assert action.baseline == Rating.objects.get(cycle__year=YEAR, school=world.a).stars
    assert "SSQS" in action.baseline_source


def test_actions_are_for_priority_criteria_only(world, standards, team):
    cycle, _action = _planned(world, team)
    other = Indicator.objects.get(criterion__standard__standard_set=standards, code="S1.1.2")
    with pytest.raises(Refused):
        action_create(cycle=cycle, criterion=other.criterion, indicator=other, goal="x",
                      target=1, target_date=timezone.localdate(), implements="a", assists="",
                      oversees="b", resources="", success="c", baseline=1,
                      baseline_source="x", by=team)  # fmt: skip


def test_an_action_cannot_close_without_evidence_and_a_remeasured_figure(world, standards, team):
    cycle, action = _planned(world, team)
    head = head_of(world.a, username="gb.alfa")
    with pytest.raises(Refused):  # not approved yet
        progress_add(action=action, on=timezone.localdate(), note="x", evidence="y", by=team)
    plan_approve(cycle=cycle, by=head)
    for evidence, remeasured in (("", Decimal(2)), ("Rekod", None), ("", None)):
        with pytest.raises(Refused):
            action_close(action=action, evidence=evidence, remeasured=remeasured, by=team)
        action.refresh_from_db()
        assert action.status == Action.Status.OPEN and action.remeasured is None
    # Nor by writing the row directly: the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="met")
    progress_add(action=action, on=timezone.localdate(), note="Cerapan 1", evidence="Borang",
                 by=team)  # fmt: skip
    closed = action_close(action=action, evidence="Borang cerapan", remeasured=Decimal(2), by=team)
    assert (closed.status, closed.remeasured) == (Action.Status.MET, Decimal(2))


def test_a_portal_figure_remeasures_itself(world, measured, standards, team):
    from surveys.models import Rating

    cycle, action = _planned(world, team, code="S2.1.2", target="99")
    plan_approve(cycle=cycle, by=head_of(world.a, username="gb.alfa"))
    closed = action_close(action=action, evidence="Laporan", remeasured=Decimal(100), by=team)
    usage = Rating.objects.get(cycle__year=YEAR, school=world.a).usage
    assert closed.remeasured == usage  # what was typed is ignored
    assert closed.status == (Action.Status.MET if usage >= 99 else Action.Status.NOT_MET)


def test_a_portal_action_with_no_figure_yet_cannot_close(world, standards, team):
    cycle, action = _planned(world, team, code="S2.1.2", target="50")
    plan_approve(cycle=cycle, by=head_of(world.a, username="gb.alfa"))
    with pytest.raises(Refused) as exc:
        action_close(action=action, evidence="Laporan", remeasured=Decimal(60), by=team)
    assert "no figure" in str(exc.value)


def test_rolling_over_carries_unmet_actions_with_their_history_and_holds_met_levels(
    world, standards, team
):
    head = head_of(world.a, username="gb.alfa")
    cycle, met = _planned(world, team)
    indicator = Indicator.objects.get(criterion__standard__standard_set=standards, code="S2.1.2")
    unmet = action_create(
        cycle=cycle, criterion=indicator.criterion, indicator=indicator, goal="ICT",
        target=Decimal(80), target_date=datetime.date(YEAR, 3, 1), implements="a", assists="",
        oversees="b", resources="", success="c", by=team,
    )  # fmt: skip
    plan_approve(cycle=cycle, by=head)
    progress_add(action=unmet, on=timezone.localdate(), note="Bengkel", evidence="Senarai",
                 by=team)  # fmt: skip
    action_close(action=met, evidence="Borang", remeasured=Decimal(3), by=team)
    cycle_roll_over(cycle=cycle, by=head)
    cycle.refresh_from_db()
    assert cycle.stage == Cycle.Stage.CLOSED
    nxt = Cycle.objects.get(school=world.a, year=YEAR + 1)
    assert list(HeldLevel.objects.filter(cycle=nxt).values_list("indicator_code", "level")) == [
        ("S4.1.1", Decimal(3))
    ]
    rolled = Action.objects.get(cycle=nxt)
    assert (rolled.rolled_from_id, rolled.target, rolled.target_date) == (
        unmet.pk, Decimal(80), datetime.date(YEAR + 1, 3, 1))  # fmt: skip
    unmet.refresh_from_db()
    assert unmet.status == Action.Status.ROLLED and unmet.progress.count() == 1
    with pytest.raises(Refused):
        cycle_roll_over(cycle=cycle, by=head)


def test_prefilled_pasr_figures_equal_pasrs_own_verified_levels(world, standards):
    from pasr.models import SchoolYear as PasrYear
    from pasr.rollups import school_summary_refresh
    from tests.pasr.factories_reports import candidate, rate_all

    teacher = world.users["pasr_teacher_a"]
    for level in ("kompeten_terpuji", "kompeten", "belum_kompeten", "kompeten"):
        rate_all(candidate(world.a, year=YEAR), level, by=teacher)
    school_summary_refresh(school_id=world.a.pk, year=YEAR)
    levels = PasrYear.objects.get(school=world.a, year=YEAR).figures["levels"]["P1-BM-1"]
    assert sum(levels.values()) == 4  # PASR's own verified results of that construct
    cycle = cycle_open_for(school=world.a, year=YEAR)
    figure = Figure.objects.get(cycle=cycle, indicator__source="pasr.construct.P1-BM-1")
    competent = levels["kompeten_terpuji"] + levels["kompeten"]
    assert figure.current == Decimal(100 * competent / 4).quantize(Decimal("0.01")) == 75
    other = cycle_open_for(school=world.b, year=YEAR)  # no PASR: empty, not zero
    assert (
        Figure.objects.get(cycle=other, indicator__source="pasr.construct.P1-BM-1").current is None
    )
