"""The demo world's SPMI: a school mid-cycle with an approved plan, and one that went through
step 5 (last year's cycle closed, this year's started from what was measured).

BBA5008 (this year): its quality team rated every criterion, wrote two actions
(one overdue), the head approved, progress recorded. BBC5012: last year's
cycle rolled over into this year's: one met target held, one unmet action
carried with its history. Every act goes through the services.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.people.services import grant_role
from schools.demo import DEMO_PASSWORD
from schools.models import School

from .models import Cycle, Indicator
from .selectors.evaluation import criteria_rows, evaluation
from .services.cycles import cycle_open_for
from .services.evaluation import evaluation_finish, rating_save
from .services.plan import action_close, action_create, plan_approve, progress_add
from .services.rollover import cycle_roll_over

MID_CYCLE, STEP5 = "BBA5008", "BBC5012"
PEOPLE = (
    ("mutu.bba5008", "quality_team", MID_CYCLE, "SPMI quality team of BBA5008 (mid-cycle)"),
    ("mutu.bbc5012", "quality_team", STEP5, "SPMI quality team of BBC5012 (after step 5)"),
    ("gb.bbc5012", "head", STEP5, "head of BBC5012: approves the SPMI plan"),
)


def _user(username):
    return get_user_model().objects.get(username=username)


def _rate_all(cycle, team, priorities):
    for row in criteria_rows(evaluation(cycle)):
        level = row.data_level or 3
        rating_save(
            cycle=cycle,
            criterion=row.criterion,
            level=level,
            evidence="Minit mesyuarat jawatankuasa kualiti; data portal.",
            justification="",
            priority=row.criterion.code in priorities,
            by=team,
        )


def _indicator(cycle, code):
    return Indicator.objects.select_related("criterion").get(
        criterion__standard__standard_set=cycle.standard_set, code=code
    )


def _action(cycle, code, team, *, target, due, goal, baseline=None):
    indicator = _indicator(cycle, code)
    return action_create(
        cycle=cycle,
        criterion=indicator.criterion,
        indicator=indicator,
        goal=goal,
        target=Decimal(target),
        target_date=due,
        implements="Guru Penyelaras ICT",
        assists="Panitia",
        oversees="Guru Besar",
        resources="Peruntukan PCG; makmal komputer",
        success="Sasaran dicapai dan dibuktikan dengan data.",
        baseline=baseline,
        baseline_source="Rekod pencerapan sekolah" if baseline is not None else "",
        by=team,
    )


def _plan(cycle, team, head, today):
    _rate_all(cycle, team, {"S2.1", "S4.1"})
    evaluation_finish(cycle=cycle, by=team)
    a1 = _action(
        cycle,
        "S2.1.2",
        team,
        target="80",
        due=today + datetime.timedelta(days=90),
        goal="Setiap guru menggunakan ICT dalam sekurang-kurangnya satu PdP seminggu.",
    )
    a2 = _action(
        cycle,
        "S4.1.1",
        team,
        target="2",
        baseline=Decimal(1),
        due=today - datetime.timedelta(days=14),
        goal="Setiap guru dicerap dua kali setahun.",
    )
    plan_approve(cycle=cycle, by=head)
    return a1, a2


def seed(stdout):
    today = timezone.localdate()
    logins = []
    for username, role, code, note in PEOPLE:
        if School.objects.filter(code=code).exists():
            grant_role(username=username, role=role, unit_code=code, password=DEMO_PASSWORD)
            logins.append((f"SPMI {role}", username, DEMO_PASSWORD, note))
    get_user_model().objects.filter(username__in=[p[0] for p in PEOPLE]).update(
        must_change_password=False
    )
    head = _user("gb.bba5008")
    mid = School.objects.filter(code=MID_CYCLE).first()
    if mid is not None and not Cycle.objects.filter(school=mid, year=today.year).exists():
        cycle = cycle_open_for(school=mid, year=today.year)
        a1, _a2 = _plan(cycle, _user("mutu.bba5008"), head, today)
        progress_add(
            action=a1,
            on=today,
            note="Bengkel ICT untuk 20 guru.",
            evidence="Senarai kehadiran bengkel",
            by=_user("mutu.bba5008"),
        )
    done = School.objects.filter(code=STEP5).first()
    if done is not None and not Cycle.objects.filter(school=done, year=today.year - 1).exists():
        team, step5_head = _user("mutu.bbc5012"), _user("gb.bbc5012")
        last = cycle_open_for(school=done, year=today.year - 1)
        # The observation target was met (it becomes the level held); the ICT action
        # was not carried out in time: it rolls into this year's cycle with its history.
        _open, observed = _plan(last, team, step5_head, datetime.date(today.year - 1, 6, 30))
        action_close(
            action=observed,
            evidence="Rekod pencerapan dua penggal",
            remeasured=Decimal(2),
            review="Semua guru dicerap dua kali.",
            by=team,
        )
        cycle_roll_over(cycle=last, by=step5_head)
    stdout.write(f"SPMI: {MID_CYCLE} mid-cycle (plan approved), {STEP5} after step 5.")
    return logins
