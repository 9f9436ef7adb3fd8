"""The statistics' precomputed figures (item 8 at scale): one row per (year, centre), one per
(year, centre, CU), rebuilt from the records.

The page reads these rows (a constant, small number of indexed queries) instead of
aggregating every result and certificate of a year: with 2 million certificates the live
aggregate took half a second. The services that change a figure announce it
(``statistics_changed``, inside their transaction); once they commit, a debounced task
recomputes that centre's year. A periodic task (``skills.tasks.rebuild_statistics``) and
``manage.py skills_statistics_rebuild [YEAR]`` rebuild whole years, catching up if an
announcement was lost. The figures equal ``selectors.certificates.skills_statistics_live``.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.rollups.debounce import Debounce

from .. import rules
from ..models import (
    Centre,
    CentreYearFigures,
    Certificate,
    Enrolment,
    Intake,
    Result,
    UnitYearFigures,
)

STATISTICS_SOON = Debounce(
    "skills:statistics", 30, "Skills statistics of %s, centre %s",
    "the hourly skills statistics rebuild catches up",
)  # fmt: skip


def statistics_changed(*, year: int, centre_id: int) -> None:
    """Announce that ``centre_id``'s figures of ``year`` changed (call inside the transaction)."""
    from ..tasks import refresh_statistics

    STATISTICS_SOON.announce(refresh_statistics, int(year), int(centre_id))


def _year(year: int):
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def live_groups(*, year: int, centre_ids=None) -> dict:
    """Return a year's figures per centre, aggregated from the records (four GROUP BYs).

    {"intakes": {centre: n}, "trainees": {centre: n},
     "units": {(centre, unit): (assessed, competent)},
     "certificates": {(centre, kind, sector): n}}. Certificates count once each, in the
    year their first version was issued (a re-issue corrects one; it is not another).
    """
    start, end = _year(year)
    intakes = Intake.objects.filter(starts_on__gte=start, starts_on__lt=end)
    enrolments = Enrolment.objects.filter(intake__starts_on__gte=start, intake__starts_on__lt=end)
    results = Result.objects.filter(assessed_on__gte=start, assessed_on__lt=end)
    certificates = Certificate.objects.filter(version=1, issued_on__gte=start, issued_on__lt=end)
    if centre_ids is not None:
        intakes = intakes.filter(centre_id__in=centre_ids)
        enrolments = enrolments.filter(intake__centre_id__in=centre_ids)
        results = results.filter(enrolment__intake__centre_id__in=centre_ids)
        certificates = certificates.filter(centre_id__in=centre_ids)
    return {
        "intakes": dict(intakes.values_list("centre_id").annotate(n=Count("pk")).order_by()),
        # One enrolment per trainee and intake (a constraint): no DISTINCT needed.
        "trainees": dict(
            enrolments.values_list("intake__centre_id").annotate(n=Count("pk")).order_by()
        ),
        "units": {
            (c, u): (a, k)
            for c, u, a, k in results.values_list("enrolment__intake__centre_id", "unit_id")
            .annotate(a=Count("pk"), k=Count("pk", filter=Q(outcome=rules.COMPETENT)))
            .order_by()
        },
        "certificates": {
            (c, kind, sector): n
            for c, kind, sector, n in certificates.values_list(
                "centre_id", "kind", "standard__sector_id"
            )
            .annotate(n=Count("pk"))
            .order_by()
        },
    }


def statistics_refresh(*, year: int, centre_ids=None) -> int:
    """Recompute ``year``'s figures of ``centre_ids`` (None: every centre); return rows kept.

    The centres' rows are locked first, so two refreshes of the same centre run one
    after the other and the second writes what the records say after both.
    """
    with transaction.atomic():
        locked = Centre.objects.select_for_update().order_by("pk")
        if centre_ids is not None:
            locked = locked.filter(pk__in=list(centre_ids))
        locked_ids = list(locked.values_list("pk", flat=True))
        if centre_ids is not None:
            centre_ids = locked_ids
        groups = live_groups(year=year, centre_ids=centre_ids)
        certificates = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        for (centre, kind, sector), n in groups["certificates"].items():
            certificates[centre][kind][str(sector)] += n
        centres = set(groups["intakes"]) | set(groups["trainees"]) | set(certificates)
        centres |= {c for c, _u in groups["units"]}
        kept = CentreYearFigures.objects.filter(year=year)
        units = UnitYearFigures.objects.filter(year=year)
        if centre_ids is not None:
            kept, units = (
                kept.filter(centre_id__in=centre_ids),
                units.filter(centre_id__in=centre_ids),
            )
        kept.delete()
        units.delete()
        now = timezone.now()
        CentreYearFigures.objects.bulk_create(
            CentreYearFigures(
                year=year, centre_id=c, intakes=groups["intakes"].get(c, 0),
                trainees=groups["trainees"].get(c, 0),
                certificates={k: dict(v) for k, v in certificates[c].items()},
                computed_at=now,
            )
            for c in sorted(centres)
        )  # fmt: skip
        UnitYearFigures.objects.bulk_create(
            (
                UnitYearFigures(year=year, centre_id=c, unit_id=u, assessed=a, competent=k)
                for (c, u), (a, k) in sorted(groups["units"].items())
            ),
            batch_size=2000,
        )
    return len(centres)


def statistics_rebuild(*, year: int) -> int:
    """Every centre's figures of ``year``, then its state and national roll-ups (the command
    and the periodic task); return the centres with figures."""
    from ..rollups import rollups_rebuild

    kept = statistics_refresh(year=year)
    rollups_rebuild(year=year)
    return kept
