"""Step 5: the next cycle starts from what was measured.

Met targets become the level the school holds itself to (``HeldLevel`` rows of
the next cycle); every action not met (closed not met, or still open) rolls
into the next cycle as a new action linked to it (its history stays on the
old one); the cycle closes.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Action, Cycle, HeldLevel, Indicator
from ..rollups import rollups_enqueue
from . import Refused
from .cycles import cycle_open_for


def _next_date(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def cycle_roll_over(*, cycle, by) -> Cycle:
    """Close ``cycle`` and open the school's next one, carrying unmet actions and met levels."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().select_related("school").get(pk=cycle.pk)
        if cycle.stage != Cycle.Stage.CARRYING_OUT:
            raise Refused([(None, _("Only a cycle in steps 3-4 moves on to the next cycle."))])
        nxt = cycle_open_for(school=cycle.school, year=cycle.year + 1)
        actions = list(Action.objects.filter(cycle=cycle).select_related("criterion", "indicator"))
        # The next cycle's set may be a new version: an action follows its codes.
        criteria = {}
        indicators = {}
        for i in Indicator.objects.filter(
            criterion__standard__standard_set_id=nxt.standard_set_id
        ).select_related("criterion"):
            indicators[i.code] = i
            criteria[i.criterion.code] = i.criterion
        for a in actions:
            if a.status == Action.Status.MET:
                HeldLevel.objects.update_or_create(
                    cycle=nxt,
                    indicator_code=a.indicator.code,
                    defaults={"level": a.remeasured, "from_action": a},
                )
                continue
            indicator = indicators.get(a.indicator.code)
            if indicator is None:  # the new version no longer has it: it stays as history
                continue
            Action.objects.create(
                cycle=nxt,
                school_id=a.school_id,
                criterion=indicator.criterion,
                indicator=indicator,
                baseline=a.remeasured if a.remeasured is not None else a.baseline,
                baseline_source=a.baseline_source
                if a.remeasured is None
                else _("Re-measured in %(year)s") % {"year": cycle.year},
                goal=a.goal,
                target=a.target,
                target_date=_next_date(a.target_date),
                implements=a.implements,
                assists=a.assists,
                oversees=a.oversees,
                resources=a.resources,
                success=a.success,
                rolled_from=a,
                created_by=by,
            )
            if a.status == Action.Status.OPEN:
                a.status = Action.Status.ROLLED
                a.save(update_fields=["status"])
        cycle.stage = Cycle.Stage.CLOSED
        cycle.save(update_fields=["stage"])
        rollups_enqueue(year=cycle.year)
    return cycle
