from celery import shared_task

from surveys.tasks import RETRY_ON_DATABASE_DOWN


@shared_task(acks_late=True, **RETRY_ON_DATABASE_DOWN)
def rebuild_rollups(cycle_id: int) -> int:
    """Rebuild a cycle's roll-ups; idempotent, safe to run twice at once."""
    from .rollups import ROLLUPS_SOON, rollups_rebuild

    ROLLUPS_SOON.clear(cycle_id)
    return rollups_rebuild(cycle_id=cycle_id, refresh_progress=False)


@shared_task(acks_late=True, **RETRY_ON_DATABASE_DOWN)
def rebuild_all_rollups() -> int:
    """The periodic safety net: recount progress and roll-ups of the latest cycle."""
    from surveys.selectors import current_cycle

    from .rollups import rollups_rebuild

    cycle = current_cycle()
    return rollups_rebuild(cycle_id=cycle.pk) if cycle else 0


@shared_task(bind=True, acks_late=True, max_retries=3)
def build_certificate_batch(self, batch_id: int) -> bool:
    """Build a district's certificates; a second run of the same batch does nothing.

    A batch another worker is still building (its heartbeat is fresh) is
    looked at again once it could have stalled, so a re-delivered task takes
    over a batch whose worker was killed.
    """
    from .certificate_batches import certificate_batch_build
    from .rules import BATCH_STALLS_AFTER

    built = certificate_batch_build(batch_id=batch_id)
    if built is None:
        raise self.retry(countdown=BATCH_STALLS_AFTER.total_seconds() + 5)
    return built
