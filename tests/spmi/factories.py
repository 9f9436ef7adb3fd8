"""An SPMI cycle of school A at a chosen stage, built through the services (for the matrices)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import person


def quality_team(w):
    """School A's quality team (one person), made once per world."""
    if "quality_team_a" not in w.users:
        w.users["quality_team_a"] = person("mutu.bba0001", roles=[("quality_team", w.a)])
    return w.users["quality_team_a"]


def spmi_cycle(w, stage="carrying_out"):
    """School A's cycle of this year at ``stage`` (mapping, planning or carrying_out), with one
    action from planning on; kept on ``w.spmi_cycle`` and ``w.spmi_action``."""
    from spmi.models import Indicator
    from spmi.selectors.evaluation import criteria_rows, evaluation
    from spmi.services.cycles import cycle_open_for
    from spmi.services.evaluation import evaluation_finish, rating_save
    from spmi.services.plan import action_create, plan_approve
    from spmi.standards import current_set

    if getattr(w, "spmi_cycle", None) is not None:
        return w.spmi_cycle
    current_set()
    team = quality_team(w)
    cycle = cycle_open_for(school=w.a, year=timezone.localdate().year)
    w.spmi_cycle, w.spmi_action = cycle, None
    if stage == "mapping":
        return cycle
    for row in criteria_rows(evaluation(cycle)):
        rating_save(cycle=cycle, criterion=row.criterion, level=row.data_level or 3,
                    evidence="Minit", justification="", priority=row.criterion.code == "S4.1",
                    by=team)  # fmt: skip
    evaluation_finish(cycle=cycle, by=team)
    indicator = Indicator.objects.get(criterion__standard__standard_set=cycle.standard_set,
                                      code="S4.1.1")  # fmt: skip
    w.spmi_action = action_create(
        cycle=cycle, criterion=indicator.criterion, indicator=indicator, goal="Cerapan",
        target=Decimal(2), target_date=timezone.localdate() + datetime.timedelta(30),
        implements="PK", assists="", oversees="GB", resources="", success="Dua cerapan",
        baseline=Decimal(1), baseline_source="Rekod", by=team,
    )  # fmt: skip
    if stage == "carrying_out":
        plan_approve(cycle=cycle, by=w.users["head_a"])
    cycle.refresh_from_db()
    return cycle


def criterion_pk(w, code="S1.1"):
    from spmi.models import Criterion

    return Criterion.objects.get(standard__standard_set=w.spmi_cycle.standard_set, code=code).pk


def indicator_pk(w, code="S4.1.1"):
    from spmi.models import Indicator

    return Indicator.objects.get(criterion__standard__standard_set=w.spmi_cycle.standard_set,
                                 code=code).pk  # fmt: skip


def evidence_file(w):
    """One evidence file on A's action (a progress update with a small PDF), made once."""
    from django.core.files.base import ContentFile

    from spmi.models import EvidenceFile, Progress

    if getattr(w, "spmi_file", None) is not None:
        return w.spmi_file
    spmi_cycle(w)
    progress = Progress.objects.create(
        action=w.spmi_action, school=w.a, on=timezone.localdate(), note="Cerapan",
        evidence="Borang", by=quality_team(w),
    )  # fmt: skip
    w.spmi_file = EvidenceFile.objects.create(
        school=w.a, progress=progress, kind="pdf", name="bukti.pdf", size=10,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bukti.pdf"), by=quality_team(w),
    )  # fmt: skip
    return w.spmi_file
