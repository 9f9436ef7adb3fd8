"""Monitoring's answers to SSQS events (see ssqs_portal.registry)."""


def rating_changed(cycle_id, school_id):
    """Refresh the school's progress row now and the roll-ups soon (monitoring.rollups)."""
    from .rollups import school_progress_refresh

    school_progress_refresh(cycle_id=cycle_id, school_id=school_id)


def cycle_recomputed(cycle_id):
    from .rollups import rollups_rebuild

    rollups_rebuild(cycle_id=cycle_id)


def schools_recomputed(cycle_id, school_ids):
    """Refresh these schools' progress rows and every roll-up, in the caller's transaction."""
    from .rollups import progress_refresh, rollups_rebuild

    progress_refresh(cycle_id=cycle_id, school_ids=school_ids)
    rollups_rebuild(cycle_id=cycle_id, refresh_progress=False)


def school_panels(request, school):
    """The officer's verify/return form on a school's page, with the last decisions."""
    from surveys.selectors import current_cycle

    from .models import SchoolReview

    user = request.user
    cycle = current_cycle()
    if cycle is None or not (user.is_officer or user.is_ministry_admin):
        return []
    reviews = list(SchoolReview.objects.filter(cycle=cycle, school=school).select_related("by")[:5])
    return [("monitoring/partials/review_panel.html", {"school": school, "reviews": reviews})]


def seed_demo(stdout):
    from surveys.selectors import current_cycle

    from .rollups import rollups_rebuild

    cycle = current_cycle()
    if cycle is not None:
        rollups_rebuild(cycle_id=cycle.pk)
    return []
