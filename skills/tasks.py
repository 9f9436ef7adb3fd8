from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=3)
def issue_intake_certificates(self, batch_id: int) -> bool:
    """Issue an intake's certificates; a second run of the same batch issues nothing twice.

    A batch another worker is still issuing (its heartbeat is fresh) is
    looked at again once it could have stalled, so a re-delivered task takes
    over a batch whose worker was killed.
    """
    from .services.certificates import BATCH_STALLS_AFTER, issue_batch_run

    ran = issue_batch_run(batch_id=batch_id)
    if ran is None:
        raise self.retry(countdown=BATCH_STALLS_AFTER.total_seconds() + 5)
    return ran


@shared_task
def refresh_statistics(year: int, centre_id: int) -> int:
    """Recompute one centre's statistics of one year (announced by the services, debounced),
    then the year's state and national roll-ups (``skills.rollups``)."""
    from .rollups import rollups_rebuild
    from .services.statistics import STATISTICS_SOON, statistics_refresh

    STATISTICS_SOON.clear(year, centre_id)
    kept = statistics_refresh(year=year, centre_ids=[centre_id])
    rollups_rebuild(year=year)
    return kept


@shared_task
def rebuild_statistics(year: int | None = None) -> int:
    """The periodic safety net: every centre's statistics of this year and the last, and
    their roll-ups."""
    from django.utils import timezone

    from .services.statistics import statistics_rebuild

    this = timezone.localdate().year
    years = [year] if year else [this, this - 1]
    return sum(statistics_rebuild(year=y) for y in years)


@shared_task
def refresh_ratings(year: int) -> int:
    """Rebuild a year's centre star ratings (announced by the services, debounced)."""
    from .services.rating import RATING_SOON, rating_rebuild

    RATING_SOON.clear(year)
    return rating_rebuild(year=year)


@shared_task
def rebuild_ratings(year: int | None = None) -> int:
    """The periodic safety net: this year's and last year's centre star ratings."""
    from django.utils import timezone

    from .services.rating import rating_rebuild

    this = timezone.localdate().year
    years = [year] if year else [this, this - 1]
    return sum(rating_rebuild(year=y) for y in years)
