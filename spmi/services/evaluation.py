"""Step 1: the quality team rates each criterion, with evidence (and a justification where
its rating diverges from the data); then says the self-evaluation is done."""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules
from ..models import CriterionRating, Cycle
from ..rollups import rollups_enqueue
from ..selectors.evaluation import criterion_row, evaluation, unrated
from . import Refused, evidence_attach

RATING_STAGES = (Cycle.Stage.MAPPING, Cycle.Stage.PLANNING)


def rating_save(
    *,
    cycle,
    criterion,
    level: int,
    evidence: str,
    justification: str,
    priority: bool,
    by,
    file=None,
) -> CriterionRating:
    """Save the team's rating of ``criterion``; refused (nothing saved) when it breaks a rule."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.stage not in RATING_STAGES:
            raise Refused([(None, _("The plan is approved: the self-evaluation is closed."))])
        errors = []
        if level not in rules.LEVELS:
            errors.append(("level", _("Choose a rating on the scale.")))
        if not (evidence or "").strip():
            errors.append(("evidence", _("Write the evidence for the rating.")))
        row = criterion_row(cycle, criterion)
        if rules.diverges(level, row.data_level) and not (justification or "").strip():
            errors.append(
                (
                    "justification",
                    _("Your rating is far from what the portal's figures say: justify it."),
                )
            )
        if errors:
            raise Refused(errors)
        rating, _created = CriterionRating.objects.update_or_create(
            cycle=cycle,
            criterion=criterion,
            defaults={
                "school_id": cycle.school_id,
                "level": level,
                "evidence": evidence.strip(),
                "justification": (justification or "").strip(),
                "priority": priority,
                "by": by,
            },
        )
        evidence_attach(file, school_id=cycle.school_id, by=by, rating=rating)
    return rating


def evaluation_finish(*, cycle, by) -> Cycle:
    """Close step 1 and open step 2: every criterion rated, every divergence justified."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.stage != Cycle.Stage.MAPPING:
            raise Refused([(None, _("The self-evaluation is already finished."))])
        standards = evaluation(cycle)
        missing = unrated(standards)
        if missing:
            raise Refused(
                [
                    (
                        None,
                        _("Rate every criterion first: %(codes)s.")
                        % {"codes": ", ".join(r.criterion.code for r in missing)},
                    )
                ]
            )
        if not any(r.rating.priority for s in standards for r in s.criteria):
            raise Refused([(None, _("Pick at least one priority criterion for the plan."))])
        cycle.stage = Cycle.Stage.PLANNING
        cycle.save(update_fields=["stage"])
        rollups_enqueue(year=cycle.year)
    return cycle
