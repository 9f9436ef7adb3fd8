"""Skills roll-ups: the centres' yearly figures rolled up to each state and the nation.

Built on the roll-up kit (``core.rollups``): the per-centre rows
(``CentreYearFigures``, ``UnitYearFigures``: what the per-school summary is to SSQS,
PIBK and PASR) are grouped up to the centre's state (``Centre.state``; centres with no
state recorded under ``SkillsRollUp.NO_STATE``) and the nation, and stored as
``SkillsRollUp`` rows keyed by the year through ``rollups_store``. Two reads whatever
the number of centres: the centres' rows (a few hundred) and their CU figures grouped by
state and CU in the database.

Refreshed after a centre's own figures by the same debounced task
(``skills.tasks.refresh_statistics``), and by the yearly rebuild
(``skills_statistics_rebuild``, ``skills.tasks.rebuild_statistics``).
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from core.rollups.store import rollups_store
from ssqs_portal.hierarchy import NATIONAL_CODE

from .models import CentreYearFigures, SkillsRollUp, UnitYearFigures

NATION_NAME = "Malaysia"
NO_STATE_NAME = "No state recorded"
# Two rebuilds of the same year run one after the other (PostgreSQL): the second reads
# what both refreshes committed, so the last one written is never the staler.
LOCK_KEY = 0x5C111


def _empty() -> dict:
    return {
        "intakes": 0, "trainees": 0, "assessed": 0, "competent": 0, "certificates": 0,
        "by_kind": defaultdict(int), "by_sector": defaultdict(int),
        "units": defaultdict(lambda: [0, 0]), "centres": 0,
    }  # fmt: skip


def node_figures(centre_rows, unit_rows) -> dict:
    """Return {(level, code): (name, figures)} of every state and the nation. Pure: no query.

    ``centre_rows``: (state code or None, state name, intakes, trainees, certificates
    {kind: {sector: n}}) per centre; ``unit_rows``: (state code or None, unit id,
    assessed, competent) per state and CU.
    """
    nation = ("national", NATIONAL_CODE)
    nodes = {nation: (NATION_NAME, _empty())}

    def both(state, name):
        code = state or SkillsRollUp.NO_STATE
        key = ("state", code)
        if key not in nodes:
            nodes[key] = (name if state else NO_STATE_NAME, _empty())
        return nodes[key][1], nodes[nation][1]

    for state, name, intakes, trainees, certificates in centre_rows:
        for figures in both(state, name):
            figures["centres"] += 1
            figures["intakes"] += intakes
            figures["trainees"] += trainees
            for kind, sectors in (certificates or {}).items():
                for sector, n in sectors.items():
                    figures["by_kind"][kind] += n
                    figures["by_sector"][str(sector)] += n
                    figures["certificates"] += n
    for state, unit, assessed, competent in unit_rows:
        for figures in both(state, ""):
            counts = figures["units"][str(unit)]
            counts[0] += assessed
            counts[1] += competent
            figures["assessed"] += assessed
            figures["competent"] += competent
    return {
        key: (name, {k: dict(v) if isinstance(v, defaultdict) else v for k, v in f.items()})
        for key, (name, f) in nodes.items()
    }


def _lock(year: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, year])


@transaction.atomic
def rollups_rebuild(*, year: int) -> int:
    """Rebuild every state's and the nation's skills figures of ``year``; return the nodes.

    From the centres' figures of the year (``skills.services.statistics``); a node no
    longer present (a state whose last centre moved) is deleted. Idempotent.
    """
    _lock(year)
    centre_rows = CentreYearFigures.objects.filter(year=year).values_list(
        "centre__state__code", "centre__state__name", "intakes", "trainees", "certificates"
    )
    unit_rows = (
        UnitYearFigures.objects.filter(year=year)
        .values_list("centre__state__code", "unit_id")
        .annotate(a=Sum("assessed"), k=Sum("competent"))
        .order_by()
    )
    now = timezone.now()
    rows = []
    for (level, code), (name, figures) in node_figures(centre_rows, unit_rows).items():
        # A state's name is read with its CU rows only when it has no centre row (never:
        # a centre's CU figures come with its centre row), so fall back to the code.
        rows.append(
            SkillsRollUp(
                level=level, code=code, name=(name or code)[:80],
                parent_code="" if level == "national" else NATIONAL_CODE,
                schools=figures["centres"], computed_at=now, **figures,
            )
        )  # fmt: skip
    return rollups_store(SkillsRollUp, rows, period=year)
