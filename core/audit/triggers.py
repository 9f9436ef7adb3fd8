# ruff: noqa: S608 - SQL built from model metadata only (quoted), never from input
"""The audit triggers, built by django-pgtrigger from the registry (PostgreSQL only).

Each tracked table gets two row triggers writing to ``audit_entry``: one
after INSERT or DELETE, one after UPDATE whose WHEN clause skips the function
unless a recorded column really changed (an answer saved again unchanged, a
login's ``last_login``, a recompute's figures write nothing). Being triggers,
they see every path that writes: model saves, ``queryset.update()``,
``bulk_create``/``bulk_update``, raw SQL, COPY-then-INSERT/UPDATE and COPY
itself. The act's context comes from ``pghistory.context`` (see context.py),
which sets ``pghistory.context_id``/``context_metadata`` in the transaction.

Triggers are installed by pgtrigger after every ``migrate``
(``PGTRIGGER_INSTALL_ON_MIGRATE``), not through migrations of the tracked
apps, so tracking a model never touches another app's migration history.
On SQLite nothing is installed (pgtrigger skips non-PostgreSQL databases).
"""

import pgtrigger

from .registry import IGNORED_EVERYWHERE, Tracked, tracked_models

ENTRY_TABLE = "audit_entry"
ROW = "_row"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(model, names):
    found = []
    for name in names:
        try:
            found.append(model._meta.get_field(name).column)
        except Exception:  # noqa: S112 - a name not on this model (e.g. updated_at)
            continue
    return found


def school_sql(model, path: str | None) -> str:
    """SQL for the school id of ``_row`` following ``path`` (e.g. ``respondent__school``)."""
    if path is None:
        return "NULL"
    if path == "pk":
        return f"{ROW}.{_q(model._meta.pk.column)}"
    parts = path.split("__")
    first = model._meta.get_field(parts[0])
    if len(parts) == 1:
        return f"{ROW}.{_q(first.column)}"
    current = first.related_model
    joins, alias = [], "t1"
    for index, part in enumerate(parts[1:-1], start=2):
        field = current._meta.get_field(part)
        nxt = f"t{index}"
        joins.append(
            f"JOIN {_q(field.related_model._meta.db_table)} {nxt} "
            f"ON {nxt}.{_q(field.related_model._meta.pk.column)} = {alias}.{_q(field.column)}"
        )
        current, alias = field.related_model, nxt
    last = current._meta.get_field(parts[-1])
    return (
        f"(SELECT {alias}.{_q(last.column)} FROM {_q(first.related_model._meta.db_table)} t1 "
        f"{' '.join(joins)} WHERE t1.{_q(first.related_model._meta.pk.column)} = "
        f"{ROW}.{_q(first.column)})"
    )


def _record_sql(model, spec: Tracked) -> str:
    pairs = []
    for name in spec.describe:
        field = model._meta.get_field(name)
        pairs.append(f"{_lit(field.name)}, {ROW}.{_q(field.column)}")
    return f"jsonb_build_object({', '.join(pairs)})" if pairs else "'{}'::jsonb"


def _dropped(model, spec: Tracked) -> str:
    names = _columns(model, (*IGNORED_EVERYWHERE, *spec.ignore, *spec.secret))
    return "ARRAY[" + ", ".join(_lit(n) for n in names) + "]::text[]" if names else "'{}'::text[]"


def _insert_entry(model, spec: Tracked) -> str:
    return (
        f"INSERT INTO {ENTRY_TABLE} (at, action, model, object_id, school_id, record, before, "
        f"after, context_id, context) VALUES (clock_timestamp(), lower(TG_OP), "
        f"{_lit(model._meta.label_lower)}, {ROW}.{_q(model._meta.pk.column)}::text, "
        f"{school_sql(model, spec.school)}, {_record_sql(model, spec)}, _before, _after, "
        "NULLIF(current_setting('pghistory.context_id', true), '')::uuid, "
        "NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb); "
        "RETURN NULL;"
    )


DECLARE = [("_row", "RECORD"), ("_before", "JSONB"), ("_after", "JSONB")]


def insert_delete_func(model, spec: Tracked) -> str:
    dropped = _dropped(model, spec)
    secrets = "".join(
        f"IF NEW.{_q(col)} IS NOT NULL AND NEW.{_q(col)} <> '' THEN "
        f"_after := _after || jsonb_build_object({_lit(col)}, 'set'); END IF; "
        for col in _columns(model, spec.secret)
    )
    return (
        "IF TG_OP = 'DELETE' THEN "
        f"_row := OLD; _before := to_jsonb(OLD) - {dropped}; "
        "ELSE "
        f"_row := NEW; _after := to_jsonb(NEW) - {dropped}; {secrets}"
        "END IF; " + _insert_entry(model, spec)
    )


def update_func(model, spec: Tracked) -> str:
    dropped = _dropped(model, spec)
    secrets = "".join(
        f"IF OLD.{_q(col)} IS DISTINCT FROM NEW.{_q(col)} THEN "
        f"_after := COALESCE(_after, '{{}}'::jsonb) || jsonb_build_object({_lit(col)}, 'changed'); "
        "_before := COALESCE(_before, '{}'::jsonb); END IF; "
        for col in _columns(model, spec.secret)
    )
    return (
        f"_row := NEW; "
        f"SELECT jsonb_object_agg(n.key, n.value) INTO _after FROM jsonb_each(to_jsonb(NEW) - "
        f"{dropped}) n WHERE to_jsonb(OLD) -> n.key IS DISTINCT FROM n.value; "
        f"SELECT jsonb_object_agg(o.key, o.value) INTO _before FROM jsonb_each(to_jsonb(OLD) - "
        f"{dropped}) o WHERE to_jsonb(NEW) -> o.key IS DISTINCT FROM o.value; "
        f"{secrets}"
        "IF _after IS NULL THEN RETURN NULL; END IF; " + _insert_entry(model, spec)
    )


def update_condition(model, spec: Tracked) -> pgtrigger.Condition:
    skipped = set(_columns(model, (*IGNORED_EVERYWHERE, *spec.ignore)))
    cols = [f.column for f in model._meta.concrete_fields if f.column not in skipped]
    old = ", ".join(f"OLD.{_q(c)}" for c in cols)
    new = ", ".join(f"NEW.{_q(c)}" for c in cols)
    return pgtrigger.Condition(f"(ROW({old}) IS DISTINCT FROM ROW({new}))")


def triggers_for(model, spec: Tracked) -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="audit_insert_delete",
            when=pgtrigger.After,
            operation=pgtrigger.Insert | pgtrigger.Delete,
            declare=DECLARE,
            func=insert_delete_func(model, spec),
        ),
        pgtrigger.Trigger(
            name="audit_update",
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            condition=update_condition(model, spec),
            declare=DECLARE,
            func=update_func(model, spec),
        ),
    ]


def register_all() -> None:
    """Register every tracked model's triggers with pgtrigger (installed on migrate)."""
    for model, spec in tracked_models():
        for trigger in triggers_for(model, spec):
            trigger.register(model)
