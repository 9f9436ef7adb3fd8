"""Opening cycles: every school's cycle of a year, pre-filled from the portal's figures.

One service for the nation and for one school (step 5 opens a school's next
cycle through it). Idempotent: a school that has its cycle keeps it. In bulk:
a few queries whatever the number of schools (issue 18: 10,239 schools in
30 s or less).
"""

from django.db import transaction

from ..models import Cycle, Figure, Indicator
from ..rules import EVIDENCE
from ..sources import figures_for
from ..standards import current_set

BATCH = 5000


def _announce(year):
    from ..rollups import rollups_enqueue

    rollups_enqueue(year=year)


def cycles_open(*, year: int, school_ids=None) -> int:
    """Open ``year``'s cycle for every school (or ``school_ids``); return how many were opened."""
    from schools.models import School

    standard_set = current_set()
    with transaction.atomic():
        schools = School.objects.all()
        if school_ids is not None:
            schools = schools.filter(pk__in=list(school_ids))
        have = set(Cycle.objects.filter(year=year).values_list("school_id", flat=True))
        new_ids = [pk for pk in schools.values_list("pk", flat=True) if pk not in have]
        if not new_ids:
            return 0
        cycles = Cycle.objects.bulk_create(
            [Cycle(school_id=pk, year=year, standard_set=standard_set) for pk in new_ids],
            batch_size=BATCH,
        )
        indicators = list(
            Indicator.objects.filter(criterion__standard__standard_set=standard_set)
            .exclude(source=EVIDENCE)
            .values_list("pk", "source")
        )
        figures = figures_for([year, year - 1], None if school_ids is None else new_ids)
        rows = []
        for cycle in cycles:
            now = figures.get((cycle.school_id, year), {})
            before = figures.get((cycle.school_id, year - 1), {})
            rows += [
                Figure(
                    cycle_id=cycle.pk,
                    indicator_id=pk,
                    current=now.get(source),
                    previous=before.get(source),
                )
                for pk, source in indicators
            ]
        Figure.objects.bulk_create(rows, batch_size=BATCH)
        _announce(year)
    return len(cycles)


def cycle_open_for(*, school, year: int) -> Cycle:
    """Return the school's cycle of ``year``, opening it (pre-filled) if needed."""
    cycles_open(year=year, school_ids=[school.pk])
    return Cycle.objects.get(school=school, year=year)


def national_opening_request(*, year: int) -> None:
    """Ask a worker to open every school's cycle of ``year`` once this transaction commits.

    The task calls ``cycles_open`` (idempotent), so asking twice opens nothing twice; if
    the broker is down this is logged and the ministry may ask again (or run spmi_open).
    """
    import logging

    from ..tasks import open_national_cycle

    def enqueue():
        try:
            open_national_cycle.delay(year)
        except Exception:
            logging.getLogger(__name__).warning("SPMI opening of %s not enqueued", year,
                                                exc_info=True)  # fmt: skip

    transaction.on_commit(enqueue)


def opening_progress(year: int) -> tuple[int, int]:
    """(schools whose cycle of ``year`` is open, schools): what the ministry's page shows."""
    from schools.models import School

    return Cycle.objects.filter(year=year).count(), School.objects.count()
