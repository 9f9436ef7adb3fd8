"""Step 2 (the plan) and steps 3-4 (carrying out, monitoring): actions, approval, progress,
closing. domain.md 5: "An action cannot close without evidence and a re-measured figure"."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, sources
from ..models import Action, CriterionRating, Cycle, Figure, Progress
from ..rollups import rollups_enqueue
from . import Refused, evidence_attach


def _locked(cycle):
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


def baseline_of(cycle, indicator):
    """An indicator's baseline and its source: the cycle's pre-filled figure for a portal one."""
    if indicator.source == rules.EVIDENCE:
        return None, ""
    figure = Figure.objects.filter(cycle=cycle, indicator=indicator).first()
    label = f"{sources.label(indicator.source)} {cycle.year}"
    return (figure.current if figure else None), label


def action_create(
    *,
    cycle,
    criterion,
    indicator,
    goal,
    target,
    target_date,
    implements,
    assists,
    oversees,
    resources,
    success,
    baseline=None,
    baseline_source="",
    by,
) -> Action:
    """Write one action of the plan for a priority criterion (step 2)."""
    with transaction.atomic():
        cycle = _locked(cycle)
        if cycle.stage != Cycle.Stage.PLANNING:
            raise Refused([(None, _("Actions are written in step 2, before the head approves."))])
        if not CriterionRating.objects.filter(
            cycle=cycle, criterion=criterion, priority=True
        ).exists():
            raise Refused([("criterion", _("Choose one of the priority criteria."))])
        if indicator.criterion_id != criterion.pk:
            raise Refused([("indicator", _("Choose an indicator of that criterion."))])
        if indicator.source != rules.EVIDENCE:
            baseline, baseline_source = baseline_of(cycle, indicator)
        elif not (baseline_source or "").strip():
            raise Refused([("baseline_source", _("Say where the baseline comes from."))])
        return Action.objects.create(
            cycle=cycle,
            school_id=cycle.school_id,
            criterion=criterion,
            indicator=indicator,
            baseline=baseline,
            baseline_source=baseline_source.strip()[:200],
            goal=goal,
            target=target,
            target_date=target_date,
            implements=implements,
            assists=assists,
            oversees=oversees,
            resources=resources,
            success=success,
            created_by=by,
        )


def plan_approve(*, cycle, by) -> Cycle:
    """The head approves the plan: steps 3-4 begin."""
    with transaction.atomic():
        cycle = _locked(cycle)
        if cycle.stage != Cycle.Stage.PLANNING:
            raise Refused([(None, _("Only a plan in step 2 can be approved."))])
        if not Action.objects.filter(cycle=cycle).exists():
            raise Refused([(None, _("The plan has no action yet."))])
        cycle.stage = Cycle.Stage.CARRYING_OUT
        cycle.approved_at, cycle.approved_by = timezone.now(), by
        cycle.save(update_fields=["stage", "approved_at", "approved_by"])
        rollups_enqueue(year=cycle.year)
    return cycle


def _open_action(action):
    action = (
        Action.objects.select_for_update().select_related("cycle", "indicator").get(pk=action.pk)
    )
    if action.cycle.stage != Cycle.Stage.CARRYING_OUT:
        raise Refused([(None, _("Progress is recorded once the head has approved the plan."))])
    if action.status != Action.Status.OPEN:
        raise Refused([(None, _("This action is closed."))])
    return action


def progress_add(*, action, on: datetime.date, note: str, evidence: str, by, file=None) -> Progress:
    """A dated progress update with its evidence (steps 3-4)."""
    with transaction.atomic():
        action = _open_action(action)
        errors = []
        if not (note or "").strip():
            errors.append(("note", _("Write what was done.")))
        if not (evidence or "").strip():
            errors.append(("evidence", _("Write the evidence of the progress.")))
        if on > timezone.localdate():
            errors.append(("on", _("A progress update cannot be dated in the future.")))
        if errors:
            raise Refused(errors)
        progress = Progress.objects.create(
            action=action,
            school_id=action.school_id,
            on=on,
            note=note.strip(),
            evidence=evidence.strip(),
            by=by,
        )
        evidence_attach(file, school_id=action.school_id, by=by, progress=progress)
        return progress


def remeasure(action):
    """A portal indicator re-measures itself: the school's figure of the cycle's year, now."""
    return sources.figure(action.school_id, action.cycle.year, action.indicator.source)


def action_close(*, action, evidence: str, remeasured=None, review: str = "", by) -> Action:
    """Close an action with its evidence and a re-measured figure; met or not met by the target.

    A portal indicator's figure is read from the portal (what the person types is ignored);
    an evidence indicator's figure is the one the team measured.
    """
    with transaction.atomic():
        action = _open_action(action)
        if action.indicator.source != rules.EVIDENCE:
            remeasured = remeasure(action)
        refusals = rules.closing_refusals(evidence=evidence, remeasured=remeasured)
        if refusals:
            if action.indicator.source != rules.EVIDENCE and remeasured is None:
                no_figure = _(
                    "The portal has no figure of this indicator for %(year)s yet: the action "
                    "closes once it is measured."
                ) % {"year": action.cycle.year}
                refusals = [(f, no_figure if f == "remeasured" else m) for f, m in refusals]
            raise Refused(refusals)
        met = rules.target_met(remeasured=remeasured, target=action.target)
        action.status = Action.Status.MET if met else Action.Status.NOT_MET
        action.remeasured, action.closing_evidence = remeasured, evidence.strip()
        action.review = (review or "").strip()
        action.closed_at, action.closed_by = timezone.now(), by
        action.save()
        rollups_enqueue(year=action.cycle.year)
    return action
