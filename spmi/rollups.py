"""SPMI roll-ups on the roll-up kit (core.rollups): every district, state and the nation.

One row per school cycle (``Cycle``, with its school's district and state) rolled up by
``group_by_node``; overdue actions are counted as of the rebuild's day (the services
announce a rebuild after each change, and ``spmi_rollups`` rebuilds a year).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.rollups.debounce import Debounce
from core.rollups.store import node_rows, rollups_store

from .models import Action, Cycle, SpmiRollUp

ROLLUPS_SOON = Debounce(
    "spmi:rollups-pending",
    30,
    "SPMI roll-ups of %s",
    "the hourly rebuild_spmi_rollups_today rebuilds them",
)
STAGES = ("mapping", "planning", "carrying_out", "closed")


def rollups_enqueue(*, year: int) -> None:
    """Announce the year's roll-ups: rebuilt once this commits, debounced."""
    from .tasks import rebuild_spmi_rollups

    ROLLUPS_SOON.announce(rebuild_spmi_rollups, year)


def rollups_rebuild(*, year: int, today=None) -> int:
    """Rebuild every node's SPMI figures of ``year``; return the rows written."""
    today = today or timezone.localdate()
    overdue = Action.objects.filter(cycle=OuterRef("pk"), status=Action.Status.OPEN,
                                    target_date__lt=today)  # fmt: skip
    rows = Cycle.objects.filter(year=year).annotate(late=Exists(overdue))
    aggregates = {
        "schools": Count("pk", distinct=True),
        **{stage: Count("pk", filter=Q(stage=stage), distinct=True) for stage in STAGES},
        "models": Count("pk", filter=Q(is_model=True), distinct=True),
        "with_overdue": Count("pk", filter=Q(late=True), distinct=True),
        "n_actions": Count("actions", distinct=True),
        "n_met": Count("actions", filter=Q(actions__status=Action.Status.MET), distinct=True),
        "n_overdue": Count("actions", filter=Q(actions__status=Action.Status.OPEN,
                                             actions__target_date__lt=today), distinct=True),
    }  # fmt: skip

    def figures(level, code, grouped):
        # The actions' figures are counted under other names than the relation "actions".
        return {name.removeprefix("n_"): grouped[name] or 0 for name in aggregates
                if name != "schools"}  # fmt: skip

    built = node_rows(SpmiRollUp, rows, aggregates, figures, district="school__district",
                      state="school__district__state")  # fmt: skip
    return rollups_store(SpmiRollUp, built, period=year)
