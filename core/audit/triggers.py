# ruff: noqa: S608 - SQL built from model metadata only (quoted), never from input
"""The audit triggers, built by django-pgtrigger from the registry (PostgreSQL only).

Each tracked table gets two row triggers writing to ``audit_entry``: one
after INSERT or DELETE, one after UPDATE whose WHEN clause skips the function
unless a recorded column really changed (an answer saved again unchanged, a
login's ``last_login``, a recompute's figures write nothing). Being triggers,
they see every path that writes: model saves, ``queryset.update()``,
``bulk_create``/``bulk_update``, raw SQL, COPY-then-INSERT/UPDATE and COPY
itself. The act's context is the transaction's ``audit.context`` setting,
stamped by context.py.

Triggers are installed by pgtrigger after every ``migrate``
(``PGTRIGGER_INSTALL_ON_MIGRATE``), not through migrations of the tracked
apps, so tracking a model never touches another app's migration history.
On SQLite nothing is installed (pgtrigger skips non-PostgreSQL databases).
"""

import pgtrigger
from django.apps import apps

from .registry import IGNORED_EVERYWHERE, UNIT_SCHOOL, Tracked, tracked_models

ENTRY_TABLE = "audit_entry"
# The act's context, stamped on the transaction by context.py (NULL outside one).
CONTEXT_SQL = (
    "(NULLIF(current_setting('audit.context', true), '')::jsonb ->> 'id')::uuid, "
    "NULLIF(current_setting('audit.context', true), '')::jsonb - 'id'"
)
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


def school_sql(model, path: str | None, row: str = ROW) -> str:
    """SQL for the school id of ``_row`` following ``path`` (e.g. ``respondent__school``)."""
    if path is None:
        return "NULL"
    if path == UNIT_SCHOOL:  # a record held in a unit (kind, code): a school's id, if one
        return (
            f"(SELECT s.id FROM {_q(apps.get_model('schools', 'School')._meta.db_table)} s "
            f"WHERE {row}.unit_kind = 'school' AND s.code = {row}.unit_code)"
        )
    if path == "pk":
        return f"{row}.{_q(model._meta.pk.column)}"
    parts = path.split("__")
    first = model._meta.get_field(parts[0])
    if len(parts) == 1:
        return f"{row}.{_q(first.column)}"
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
        f"{row}.{_q(first.column)})"
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
        f"{CONTEXT_SQL}); RETURN NULL;"
    )


DECLARE = [
    ("_row", "RECORD"),
    ("_before", "JSONB"),
    ("_after", "JSONB"),
    ("_old", "JSONB"),
    ("_new", "JSONB"),
]


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
        f"_row := NEW; _old := to_jsonb(OLD) - {dropped}; _new := to_jsonb(NEW) - {dropped}; "
        "SELECT jsonb_object_agg(n.key, n.value) INTO _after FROM jsonb_each(_new) n "
        "WHERE _old -> n.key IS DISTINCT FROM n.value; "
        "SELECT jsonb_object_agg(o.key, o.value) INTO _before FROM jsonb_each(_old) o "
        "WHERE _new -> o.key IS DISTINCT FROM o.value; "
        f"{secrets}"
        "IF _after IS NULL THEN RETURN NULL; END IF; " + _insert_entry(model, spec)
    )


def update_condition(model, spec: Tracked) -> pgtrigger.Condition:
    skipped = set(_columns(model, (*IGNORED_EVERYWHERE, *spec.ignore)))
    cols = [f.column for f in model._meta.concrete_fields if f.column not in skipped]
    old = ", ".join(f"OLD.{_q(c)}" for c in cols)
    new = ", ".join(f"NEW.{_q(c)}" for c in cols)
    return pgtrigger.Condition(f"(ROW({old}) IS DISTINCT FROM ROW({new}))")


def grouped_func(model, spec: Tracked, operation: str) -> str:
    """One entry per group and statement, before/after keyed by the key column."""
    group, key = (model._meta.get_field(name) for name in spec.grouped)
    skipped = set(_columns(model, (*IGNORED_EVERYWHERE, *spec.ignore)))
    skipped |= {model._meta.pk.column, group.column, key.column}
    data = [f.column for f in model._meta.concrete_fields if f.column not in skipped]

    def value(alias):
        if len(data) == 1:
            return f"to_jsonb({alias}.{_q(data[0])})"
        return "jsonb_build_object(" + ", ".join(f"{_lit(c)}, {alias}.{_q(c)}" for c in data) + ")"

    alias = "o" if operation == "delete" else "n"
    before = f"jsonb_object_agg(o.{_q(key.column)}, {value('o')})"
    after = f"jsonb_object_agg(n.{_q(key.column)}, {value('n')})"
    if operation == "insert":
        source, before, where = "new_values n", "NULL::jsonb", ""
    elif operation == "delete":
        source, after, where = "old_values o", "NULL::jsonb", ""
    else:
        pk = _q(model._meta.pk.column)
        source = f"new_values n JOIN old_values o ON o.{pk} = n.{pk}"
        olds = ", ".join(f"o.{_q(c)}" for c in data)
        news = ", ".join(f"n.{_q(c)}" for c in data)
        where = f"WHERE ROW({olds}) IS DISTINCT FROM ROW({news}) "
    gcol = f"{alias}.{_q(group.column)}"
    return (
        f"INSERT INTO {ENTRY_TABLE} (at, action, model, object_id, school_id, record, before, "
        f"after, context_id, context) SELECT clock_timestamp(), {_lit(operation)}, "
        f"{_lit(model._meta.label_lower)}, {gcol}::text, "
        f"{school_sql(model, spec.school, alias)}, "
        f"jsonb_build_object({_lit(group.name)}, {gcol}), {before}, {after}, {CONTEXT_SQL} "
        f"FROM {source} {where}GROUP BY {gcol}; RETURN NULL;"
    )


def grouped_triggers(model, spec: Tracked) -> list[pgtrigger.Trigger]:
    triggers = [
        pgtrigger.Trigger(
            name=f"audit_{operation}_statement",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=op,
            referencing=referencing,
            func=grouped_func(model, spec, operation),
        )
        for operation, op, referencing in (
            ("insert", pgtrigger.Insert, pgtrigger.Referencing(new="new_values")),
            (
                "update",
                pgtrigger.Update,
                pgtrigger.Referencing(old="old_values", new="new_values"),
            ),
            ("delete", pgtrigger.Delete, pgtrigger.Referencing(old="old_values")),
        )
        if operation in spec.events
    ]
    return triggers


def triggers_for(model, spec: Tracked) -> list[pgtrigger.Trigger]:
    if spec.grouped:
        return grouped_triggers(model, spec)
    triggers = []
    operations = [op for name, op in (("insert", pgtrigger.Insert), ("delete", pgtrigger.Delete))
                  if name in spec.events]  # fmt: skip
    if operations:
        operation = operations[0] if len(operations) == 1 else operations[0] | operations[1]
        triggers.append(
            pgtrigger.Trigger(
                name="audit_insert_delete",
                when=pgtrigger.After,
                operation=operation,
                declare=DECLARE,
                func=insert_delete_func(model, spec),
            )
        )
    if "update" in spec.events:
        triggers.append(
            pgtrigger.Trigger(
                name="audit_update",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=update_condition(model, spec),
                declare=DECLARE,
                func=update_func(model, spec),
            )
        )
    return triggers


def register_all() -> None:
    """Register every tracked model's triggers with pgtrigger (installed on migrate)."""
    for model, spec in tracked_models():
        for trigger in triggers_for(model, spec):
            trigger.register(model)
