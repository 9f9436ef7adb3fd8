from celery import shared_task


@shared_task(acks_late=True)
def recompute_school_rating(cycle_id: int, school_id: int) -> int:
    """Recompute one school's SSQS rating; safe to run twice, or twice at once."""
    from .services import rating_recompute

    return rating_recompute(cycle_id=cycle_id, school_id=school_id).score
