from celery import shared_task


@shared_task(acks_late=True)
def recompute_school_rating(cycle_id: int, school_id: int) -> int:
    """Recompute one school's SSQS rating; safe to run twice, or twice at once."""
    from django.core.cache import cache

    # Cleared before reading, so a save landing during this run schedules another.
    from ssqs_portal import registry

    from .services import rating_pending_key, rating_recompute

    cache.delete(rating_pending_key(cycle_id, school_id))
    score = rating_recompute(cycle_id=cycle_id, school_id=school_id).score
    for callback in registry.RATING_CHANGED:
        callback(cycle_id, school_id)
    return score
