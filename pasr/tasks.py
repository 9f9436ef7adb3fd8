"""PASR's Celery tasks: thin wrappers taking ids, each calling one service."""

from celery import shared_task


@shared_task
def rebuild_pasr_rollups(year):
    """Rebuild an assessment year's district, state and national roll-ups (announced)."""
    from .rollups import ROLLUPS_SOON, rollups_rebuild

    ROLLUPS_SOON.clear(year)
    return rollups_rebuild(year=year)


@shared_task
def rebuild_all_pasr(year=None):
    """The periodic safety net: every school's summary and every roll-up of the year."""
    from .calendar import today
    from .rollups import rebuild_all

    return rebuild_all(year=year or today().year)
