"""Page data for the history pages: labels, before -> after, who and from where."""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

from .registry import spec_for

SECRET_VALUES = {"changed", "set"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    entry: object
    action: str
    action_label: str
    record_type: str
    record: str
    actor: str
    address: str
    via: str
    changes: list[Change] = field(default_factory=list)


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _fields_by_column(model):
    return {f.column: f for f in model._meta.concrete_fields} if model else {}


def _show(field, value, secret=False, private=False, names=None):
    if value is None or value == "":
        return "–"
    if private:
        return _("(one person's answer: not shown)")
    if field is not None and field.is_relation and names is not None:
        obj = names.get(field.related_model, {}).get(value)
        return str(obj) if obj is not None else f"#{value}"
    if secret:
        return _("changed") if value == "changed" else _("set")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _related_names(entries):
    """Resolve the foreign keys the registry stores to name records: one query per model."""
    wanted = {}
    for entry in entries:
        model = _model(entry.model)
        if model is None:
            continue
        for name, value in (entry.record or {}).items():
            try:
                f = model._meta.get_field(name)
            except Exception:  # noqa: S112 - a field since removed
                continue
            if f.is_relation and value is not None:
                wanted.setdefault(f.related_model, set()).add(value)
        columns = _fields_by_column(model)
        for values in (entry.before or {}, entry.after or {}):
            for column, value in values.items():
                f = columns.get(column)
                if f is not None and f.is_relation and value not in (None, ""):
                    wanted.setdefault(f.related_model, set()).add(value)
    return {related: related._default_manager.in_bulk(list(ids)) for related, ids in wanted.items()}


def _record_text(entry, model, names):
    parts = []
    for name, value in (entry.record or {}).items():
        try:
            f = model._meta.get_field(name) if model else None
        except Exception:
            f = None
        if f is not None and f.is_relation:
            obj = names.get(f.related_model, {}).get(value)
            parts.append(str(obj) if obj is not None else f"#{value}")
        else:
            parts.append(_show(f, value))
    return " · ".join(parts) or f"#{entry.object_id}"


def rows(entries) -> list[Row]:
    """Present ``entries`` (one page of them) for the history page."""
    entries = list(entries)
    names = _related_names(entries)
    result = []
    for entry in entries:
        model = _model(entry.model)
        spec = spec_for(entry.model)
        secret = set(spec.secret) if spec else set()
        private = bool(spec and spec.private)
        columns = _fields_by_column(model)
        before, after = entry.before or {}, entry.after or {}
        changes = []
        pk_column = model._meta.pk.column if model else "id"
        for column in sorted(set(before) | set(after)):
            f = columns.get(column)
            whole = before if entry.action == "delete" else after
            if entry.action != "update" and (
                column == pk_column or whole.get(column) in (None, "")
            ):
                continue  # a created or deleted row: its filled-in fields only
            is_secret = f is not None and f.name in secret or column in secret
            changes.append(
                Change(
                    label=str(f.verbose_name) if f is not None else column,
                    before=_show(
                        f, before.get(column), is_secret and column in before, private, names
                    ),
                    after=_show(f, after.get(column), is_secret, private, names),
                )
            )
        context = entry.context or {}
        via = context.get("path") or context.get("task") or context.get("command") or ""
        if context.get("method") and context.get("path"):
            via = f"{context['method']} {context['path']}"
        result.append(
            Row(
                entry=entry,
                action=entry.action,
                action_label=str(entry.get_action_display()),
                record_type=str(model._meta.verbose_name) if model else entry.model,
                record=_record_text(entry, model, names),
                actor=context.get("actor") or _("unknown (outside the portal)"),
                address=context.get("ip") or "",
                via=via,
                changes=changes,
            )
        )
    return result
