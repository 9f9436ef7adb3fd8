"""Monitoring's answers to SSQS events (see ssqs_portal.registry)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

ROLLUP_DEBOUNCE_SECONDS = 30
logger = logging.getLogger(__name__)


def rating_changed(cycle_id, school_id):
    """Refresh the school's progress row now and the roll-ups soon (debounced).

    The progress row is written in the caller's transaction (with the rating);
    the roll-ups are enqueued once it commits. A lost enqueue (cache or broker
    down) is logged: the periodic safety net rebuilds the roll-ups anyway.
    """
    from .services import progress_refresh

    progress_refresh(cycle_id=cycle_id, school_ids=[school_id])
    _rollups_soon(cycle_id)


def review_changed(subject, act):
    """An officer acted on a school's SSQS data (core.review): roll the verified counts up soon."""
    from surveys.models import Cycle

    cycle_id = Cycle.objects.filter(year=subject.year).values_list("pk", flat=True).first()
    if cycle_id is not None:
        with transaction.atomic():
            _rollups_soon(cycle_id)


def _rollups_soon(cycle_id):
    """Rebuild the cycle's roll-ups once the caller commits: debounced, in a worker if any."""
    from .services import rollups_rebuild
    from .tasks import rebuild_rollups

    if settings.CELERY_TASK_ALWAYS_EAGER:
        rollups_rebuild(cycle_id=cycle_id, refresh_progress=False)
        return

    def enqueue():
        try:
            if cache.add(f"ssqs:rollups-pending:{cycle_id}", 1, ROLLUP_DEBOUNCE_SECONDS):
                rebuild_rollups.apply_async((cycle_id,), countdown=ROLLUP_DEBOUNCE_SECONDS)
        except Exception:
            logger.warning("Roll-ups of cycle %s not enqueued", cycle_id, exc_info=True)

    transaction.on_commit(enqueue)


def cycle_recomputed(cycle_id):
    from .services import rollups_rebuild

    rollups_rebuild(cycle_id=cycle_id)


def schools_recomputed(cycle_id, school_ids):
    """Refresh these schools' progress rows and every roll-up, in the caller's transaction."""
    from .services import progress_refresh, rollups_rebuild

    progress_refresh(cycle_id=cycle_id, school_ids=school_ids)
    rollups_rebuild(cycle_id=cycle_id, refresh_progress=False)


def school_panels(request, school):
    """The officer's verify/return form on a school's page, with the state and the last acts."""
    from core.people.access import can
    from core.review.selectors import events_of
    from surveys.selectors import current_cycle, review_subject

    cycle = current_cycle()
    if cycle is None or not can(request.user, "ssqs.review", school):
        return []
    subject = review_subject(cycle=cycle, school=school)
    return [
        (
            "monitoring/partials/review_panel.html",
            {"school": school, "cycle": cycle, "subject": subject, "events": events_of(subject, 5)},
        )
    ]


def seed_demo(stdout):
    from surveys.selectors import current_cycle

    from .services import rollups_rebuild

    cycle = current_cycle()
    if cycle is not None:
        rollups_rebuild(cycle_id=cycle.pk)
    return []
