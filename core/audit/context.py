"""Who did it, from where: the context every audit entry carries.

``pghistory.context`` (django-pghistory) prefixes each writing statement of
the current thread's connection with ``set_config('pghistory.context_…',
…, true)``, so the triggers read the act's context in the same transaction
whatever path wrote the row. Three sources open a context:

- a request (``AuditContextMiddleware``): actor id and username, the client
  address (``ssqs_portal.clientip``), method and path; admin edits included;
- a management command: ``command:<name>`` (import_schools, seed_demo, a
  shell, ...) unless a request context is already open;
- a Celery task: ``task:<name>``; run eagerly inside a request, the request's
  actor stays and the task name is added.

PostgreSQL only: on SQLite (no triggers, and no ``set_config``) these are
no-ops.
"""

import contextlib
import functools
import threading

import pghistory
from django.db import connection

_state = threading.local()

SYSTEM = "system"


def is_recording() -> bool:
    return connection.vendor == "postgresql"


def current() -> dict | None:
    """Return the metadata of the open context (None outside one)."""
    return getattr(_state, "metadata", None)


@contextlib.contextmanager
def audit_context(**metadata):
    """Attach ``metadata`` to every change made inside; nested contexts add missing keys only."""
    if not is_recording():
        yield
        return
    outer = current()
    if outer is not None:
        added = [key for key in metadata if key not in outer]
        for key in added:
            outer[key] = metadata[key]
        try:
            yield
        finally:
            for key in added:
                outer.pop(key, None)
        return
    try:
        # pghistory serialises this same dict at each writing statement, so
        # keys set later (the actor, once logged in) reach the statements after.
        with pghistory.context(**{"actor": SYSTEM, **metadata}) as ctx:
            _state.metadata = ctx.metadata
            yield
    finally:
        _state.metadata = None


def stamp_transaction() -> None:
    """Attach the open context to the current transaction now.

    pghistory adds the context to each statement sent through Django's cursor;
    a COPY sent through psycopg's ``cursor.copy`` is not, so code that COPYs
    straight into a tracked table calls this first, inside the transaction.
    """
    from pghistory.runtime import _tracker

    value = getattr(_tracker, "value", None)
    if value is None or not is_recording():
        return
    import json

    from pghistory import config

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pghistory.context_id', %s, true), "
            "set_config('pghistory.context_metadata', %s, true)",
            [str(value.id), json.dumps(value.metadata, cls=config.json_encoder())],
        )


def set_actor(user) -> None:
    """Record ``user`` as the actor of the open context (e.g. right after a login)."""
    metadata = current()
    if metadata is None:
        return
    if user is not None and getattr(user, "is_authenticated", False):
        metadata["actor"] = user.get_username()
        metadata["user_id"] = user.pk
    else:
        metadata["actor"] = "anonymous"
        metadata.pop("user_id", None)


# Celery: every task runs in a context named after it.
_task_contexts = threading.local()


def _task_prerun(task=None, **kwargs):
    stack = getattr(_task_contexts, "stack", None)
    if stack is None:
        stack = _task_contexts.stack = []
    name = getattr(task, "name", "task")
    manager = audit_context(actor=f"task:{name}", task=name)
    manager.__enter__()
    stack.append(manager)


def _task_postrun(**kwargs):
    stack = getattr(_task_contexts, "stack", None)
    if stack:
        stack.pop().__exit__(None, None, None)


def _logged_in(sender, request=None, user=None, **kwargs):
    set_actor(user)


def connect_signals() -> None:
    """Follow logins into the open context; run every Celery task in its own."""
    from celery.signals import task_postrun, task_prerun
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_logged_in, dispatch_uid="audit_logged_in")

    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="audit_task_prerun")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="audit_task_postrun")


def wrap_management_commands() -> None:
    """Run every management command in a ``command:<name>`` context."""
    from django.core.management.base import BaseCommand

    if getattr(BaseCommand.execute, "_audited", False):
        return
    original = BaseCommand.execute

    @functools.wraps(original)
    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with audit_context(actor=f"command:{name}", command=name):
            return original(self, *args, **options)

    execute._audited = True
    BaseCommand.execute = execute
