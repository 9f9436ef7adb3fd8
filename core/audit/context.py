"""Who did it, from where: the context every audit entry carries.

While a context is open, the thread's connection stamps each transaction
once, on its first writing statement, with
``set_config('audit.context', <json>, true)`` prefixed to that statement (so
no query is added); the triggers read it in the same transaction whatever
path wrote the row. django-pghistory does the same on every statement; once
per transaction costs a domain save about 15 % less (bench/audit.py), and a
stamp is redone after a new transaction, a rolled-back savepoint or a change
of the context (a login). Three sources open a context:

- a request (``AuditContextMiddleware``): actor (username) and user id, the
  client address (``ssqs_portal.clientip``), method and path; admin edits
  included;
- a management command: ``command:<name>`` (import_schools, seed_demo, a
  shell, ...);
- a Celery task: ``task:<name>``; run eagerly inside a request, the
  request's actor stays and the task name is added.

PostgreSQL only: on SQLite (no triggers, no ``set_config``) these are no-ops.
"""

import contextlib
import functools
import json
import threading
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

_state = threading.local()

SYSTEM = "system"
# Statements that never write a tracked row, or cannot carry a prefix.
_SKIPPED = (
    "select", "savepoint", "release", "rollback", "begin", "commit", "start", "set ",
    "create", "alter", "drop", "vacuum", "analyze", "show", "listen", "notify", "copy",
)  # fmt: skip


def is_recording() -> bool:
    return connection.vendor == "postgresql"


def current() -> dict | None:
    """Return the metadata of the open context (None outside one)."""
    return getattr(_state, "metadata", None)


def _changed() -> None:
    _state.version = getattr(_state, "version", 0) + 1


def _stamp_sql() -> tuple[str, list]:
    payload = json.dumps({"id": _state.context_id, **_state.metadata}, cls=DjangoJSONEncoder)
    return "SELECT set_config('audit.context', %s, true); ", [payload]


def _wrapper(execute, sql, params, many, context):
    cursor = context["cursor"]
    head = (sql.decode() if isinstance(sql, bytes) else sql or "").lstrip()[:12].lower()
    status = cursor.connection.info.transaction_status
    if status == 0 or head.startswith("rollback"):  # IDLE: a new transaction begins
        _state.stamped = None
    if _state.stamped == _state.version or head.startswith(_SKIPPED):
        return execute(sql, params, many, context)
    if getattr(cursor, "name", None) or status == 3:  # a named cursor, a failed transaction
        return execute(sql, params, many, context)
    if many:  # executemany takes no prefix: stamp first, on the same connection
        stamp, stamp_params = _stamp_sql()
        cursor.cursor.execute(stamp.strip().rstrip(";"), stamp_params)
        _state.stamped = _state.version
        return execute(sql, params, many, context)
    prefix, prefix_params = _stamp_sql()
    if isinstance(params, dict):
        params = {**params, "audit__context": prefix_params[0]}
        prefix = prefix.replace("%s", "%(audit__context)s")
    else:
        params = (*prefix_params, *(params or ()))
    result = execute(prefix + sql, params, many, context)
    if result is not None and hasattr(result, "nextset"):
        while result.nextset():
            pass
    _state.stamped = _state.version
    return result


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
        if added:
            _changed()
        try:
            yield
        finally:
            for key in added:
                outer.pop(key, None)
            if added:
                _changed()
        return
    _state.metadata = {"actor": SYSTEM, **metadata}
    _state.context_id = str(uuid.uuid4())
    _state.stamped = None
    _changed()
    try:
        with connection.execute_wrapper(_wrapper):
            yield
    finally:
        _state.metadata = None
        _state.stamped = None


def stamp_transaction() -> None:
    """Stamp the current transaction now (before a COPY straight into a tracked table).

    A COPY through psycopg's ``cursor.copy`` passes no execute wrapper; code
    that COPYs into a tracked table calls this first, inside the transaction.
    """
    if current() is None or not is_recording():
        return
    sql, params = _stamp_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql.strip().rstrip(";"), params)
    _state.stamped = _state.version


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
    _changed()


def _logged_in(sender, request=None, user=None, **kwargs):
    set_actor(user)


def connect_signals() -> None:
    """Follow logins into the open context; run every Celery task in its own."""
    from celery.signals import task_postrun, task_prerun
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_logged_in, dispatch_uid="audit_logged_in")
    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="audit_task_prerun")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="audit_task_postrun")


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
