import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# A database that is down or restarting: the task is tried again, later and
# later (2, 4, 8 ... s, at most 2 minutes apart), for about a quarter of an hour.
RETRY_ON_DATABASE_DOWN = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 12,
}


@shared_task(acks_late=True, **RETRY_ON_DATABASE_DOWN)
def recompute_school_rating(cycle_id: int, school_id: int) -> int:
    """Recompute one school's SSQS rating; safe to run twice, or twice at once."""
    from django.core.cache import cache

    from .services import rating_pending_key, school_rating_refresh

    # Cleared before reading, so a save landing during this run schedules another.
    try:
        cache.delete(rating_pending_key(cycle_id, school_id))
    except Exception:
        logger.warning("Rating debounce of school %s not cleared", school_id, exc_info=True)
    return school_rating_refresh(cycle_id=cycle_id, school_id=school_id).score


@shared_task(acks_late=True, **RETRY_ON_DATABASE_DOWN)
def recompute_marked_ratings() -> int:
    """The periodic safety net: recompute every school still marked, then the roll-ups."""
    from .services import marked_ratings_recompute

    return marked_ratings_recompute()
