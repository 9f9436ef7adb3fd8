"""SPMI's Celery tasks: thin wrappers taking plain values, each calling one service."""

from celery import shared_task


@shared_task
def open_national_cycle(year):
    """Open (pre-fill) every school's cycle of ``year``; idempotent."""
    from .services.cycles import cycles_open

    return cycles_open(year=year)
