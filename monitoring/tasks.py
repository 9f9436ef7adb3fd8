from celery import shared_task


@shared_task(acks_late=True)
def rebuild_rollups(cycle_id: int) -> int:
    """Rebuild a cycle's roll-ups; idempotent, safe to run twice at once."""
    from django.core.cache import cache

    from .services import rollups_rebuild

    cache.delete(f"ssqs:rollups-pending:{cycle_id}")
    return rollups_rebuild(cycle_id=cycle_id, refresh_progress=False)


@shared_task(acks_late=True)
def rebuild_all_rollups() -> int:
    """The periodic safety net: recount progress and roll-ups of the latest cycle."""
    from surveys.selectors import current_cycle

    from .services import rollups_rebuild

    cycle = current_cycle()
    return rollups_rebuild(cycle_id=cycle.pk) if cycle else 0


@shared_task(acks_late=True)
def build_certificate_batch(batch_id: int) -> bool:
    """Build a district's certificates; a second run of the same batch does nothing."""
    from .services import certificate_batch_build

    return certificate_batch_build(batch_id=batch_id)
