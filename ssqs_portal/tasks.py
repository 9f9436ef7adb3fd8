"""The worker's heartbeat: beat sends it every minute; /health/ reports its age."""

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "ssqs:worker-heartbeat"


@shared_task
def heartbeat():
    """Record that a worker ran a task just now (seconds since the epoch, in the shared cache)."""
    cache.set(HEARTBEAT_KEY, time.time(), 24 * 60 * 60)
