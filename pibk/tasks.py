from celery import shared_task


@shared_task
def rebuild_pibk_rollups(year):
    """Rebuild a PIBK year's district, state and national roll-ups (announced by the services)."""
    from .rollups import ROLLUPS_SOON, rollups_rebuild

    ROLLUPS_SOON.clear(year)
    return rollups_rebuild(year=year)


@shared_task
def rebuild_all_pibk(year=None):
    """The periodic safety net: every school's summary and every roll-up of the year."""
    from .rollups import rollups_rebuild, summaries_rebuild
    from .services import today

    year = year or today().year
    summaries_rebuild(year=year)
    return rollups_rebuild(year=year)
