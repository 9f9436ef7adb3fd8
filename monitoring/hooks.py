"""Monitoring's answers to SSQS events (see ssqs_portal.registry)."""

from django.db import transaction


def rating_changed(cycle_id, school_id):
    """Refresh the school's progress row now and the roll-ups soon (monitoring.rollups)."""
    from .rollups import school_progress_refresh

    school_progress_refresh(cycle_id=cycle_id, school_id=school_id)


def review_changed(subject, act):
    """An officer acted on a school's SSQS data (core.review): roll the verified counts up soon."""
    from surveys.models import Cycle

    from .rollups import ROLLUPS_SOON
    from .tasks import rebuild_rollups

    cycle_id = Cycle.objects.filter(year=subject.year).values_list("pk", flat=True).first()
    if cycle_id is not None:
        with transaction.atomic():
            ROLLUPS_SOON.announce(rebuild_rollups, cycle_id)


def cycle_recomputed(cycle_id):
    from .rollups import rollups_rebuild

    rollups_rebuild(cycle_id=cycle_id)


def schools_recomputed(cycle_id, school_ids):
    """Refresh these schools' progress rows and every roll-up, in the caller's transaction."""
    from .rollups import progress_refresh, rollups_rebuild

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

    from .rollups import rollups_rebuild

    cycle = current_cycle()
    if cycle is not None:
        rollups_rebuild(cycle_id=cycle.pk)
    return []
