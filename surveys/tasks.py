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
    from .rating import RATING_SOON, school_rating_refresh

    # Cleared before reading, so a save landing during this run schedules another.
    RATING_SOON.clear(cycle_id, school_id)
    return school_rating_refresh(cycle_id=cycle_id, school_id=school_id).score


@shared_task(acks_late=True, **RETRY_ON_DATABASE_DOWN)
def recompute_marked_ratings() -> int:
    """The periodic safety net: recompute every school still marked, then the roll-ups."""
    from .rating import marked_ratings_recompute

    return marked_ratings_recompute()
