"""Recompute soon: one helper for every "this changed, rebuild what follows from it".

The service that changes the data announces it (``Debounce.announce``) inside
its own transaction; once that commits, the task is enqueued with a
countdown unless one is already waiting for the same key (a key with a
time-out in the cache: many saves in a row make one run). The task clears
the key first thing when it runs (``Debounce.clear``), so a change landing
during the run schedules another one.

Faults never turn a committed save into an error: a cache or broker that is
down is logged, and the programme's periodic task (and, for SSQS ratings, the
``RatingMark`` written in the save's own transaction) catches up. Asked many
times in one transaction (an import, the demo), the task is enqueued once.
With no broker (a first look, tests: ``CELERY_TASK_ALWAYS_EAGER``) the task
runs in-process once the transaction commits.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)


class Debounce:
    """Debounced "recompute soon" of one kind of work, keyed by the task's arguments.

    ``prefix``: the cache key's start (the key is the prefix and the arguments
    joined by ":"); ``seconds``: how long a first announcement waits and later
    ones ride along; ``what``: the work named in a log line, formatted with
    the arguments ("PIBK roll-ups of %s"); ``fallback``: what catches up if
    the enqueue is lost, said in that line.
    """

    def __init__(self, prefix: str, seconds: int, what: str, fallback: str):
        self.prefix, self.seconds, self.what, self.fallback = prefix, seconds, what, fallback

    def key(self, *args) -> str:
        return ":".join([self.prefix, *map(str, args)])

    def announce(self, task, *args) -> None:
        """Enqueue ``task(*args)`` once the caller's transaction commits, at most once a while."""
        key = self.key(*args)
        # Already waiting for this commit? Django drops its list on a rollback,
        # so a rolled-back request never blocks a later one (and a callback
        # that has run, which a test's captured list keeps, waits no more).
        for _savepoints, callback, *_robust in connection.run_on_commit:
            if getattr(callback, "debounce_key", None) == key and not callback.ran:
                return

        def enqueue():
            enqueue.ran = True
            if settings.CELERY_TASK_ALWAYS_EAGER:
                task.apply(args=args)
                return
            try:
                if cache.add(key, 1, self.seconds):
                    task.apply_async(args, countdown=self.seconds)
            except Exception:
                logger.warning(
                    "%s not enqueued; %s", self.what % args, self.fallback, exc_info=True
                )

        enqueue.debounce_key, enqueue.ran = key, False
        # Robust: the change is committed by now; a broker failing afterwards is
        # logged, and never turns that save into an error page.
        transaction.on_commit(enqueue, robust=True)

    def clear(self, *args) -> None:
        """Forget the waiting run (the task calls this first, before it reads anything)."""
        try:
            cache.delete(self.key(*args))
        except Exception:
            logger.warning("%s: debounce key not cleared", self.what % args, exc_info=True)
