"""SPMI's Celery tasks: thin wrappers taking plain values, each calling one service."""

from celery import shared_task


@shared_task
def open_national_cycle(year):
    """Open (pre-fill) every school's cycle of ``year``; idempotent."""
    from .services.cycles import cycles_open

    return cycles_open(year=year)


@shared_task
def rebuild_spmi_rollups(year):
    """Rebuild a year's SPMI district, state and national roll-ups (announced)."""
    from .rollups import ROLLUPS_SOON, rollups_rebuild

    ROLLUPS_SOON.clear(year)
    return rollups_rebuild(year=year)


@shared_task
def rebuild_spmi_rollups_today(year=None):
    """The hourly safety net: this year's roll-ups, overdue actions counted as of today."""
    from django.utils import timezone

    from .rollups import rollups_rebuild

    return rollups_rebuild(year=year or timezone.localdate().year)
