"""Writing roll-ups: per-school rows to every node, and the upsert of a period's rows."""

from django.utils import timezone

from ssqs_portal.hierarchy import NATIONAL_CODE, national_name
from ssqs_portal.numbers import exact, two_decimals


def group_by_node(rows, aggregates: dict, district="district", state="state"):
    """Yield (level, code, name, parent_code, figures) for every district, state and the nation.

    ``rows`` is a queryset of per-school rows with foreign keys ``district``
    and ``state``; ``aggregates`` maps names to Django aggregates over them.
    Three GROUP BYs; nodes with no rows are not yielded (but the nation always is).
    """
    for row in rows.values(
        f"{district}_id", f"{district}__code", f"{district}__name", f"{state}__code"
    ).annotate(**aggregates):
        yield (
            "district",
            row[f"{district}__code"],
            row[f"{district}__name"],
            row[f"{state}__code"],
            row,
        )
    for row in rows.values(f"{state}_id", f"{state}__code", f"{state}__name").annotate(
        **aggregates
    ):
        yield "state", row[f"{state}__code"], row[f"{state}__name"], NATIONAL_CODE, row
    yield "national", NATIONAL_CODE, national_name(), "", rows.aggregate(**aggregates)


def node_rows(model, rows, aggregates: dict, figures, **nested) -> list:
    """Return one unsaved ``model`` row per node of ``group_by_node(rows, aggregates)``.

    ``aggregates`` must count the node's schools as ``schools``; ``figures``
    maps (level, code, aggregated values) to the programme's figures of the node.
    """
    now = timezone.now()
    return [
        model(
            level=level,
            code=code,
            name=name,
            parent_code=parent,
            schools=grouped["schools"],
            computed_at=now,
            **figures(level, code, grouped),
        )
        for level, code, name, parent, grouped in group_by_node(rows, aggregates, **nested)
    ]


def rollups_store(model, rows, *, period: int) -> int:
    """Make ``rows`` (unsaved rows of a programme's proxy) its roll-ups of ``period``.

    Nodes no longer present (a district emptied or renamed) are deleted; the
    rest are upserted on (programme, period, level, code), so two rebuilds at
    once agree.
    """
    model.objects.filter(period=period).exclude(code__in=[r.code for r in rows]).delete()
    for row in rows:
        row.programme, row.period = model.PROGRAMME, period
    keys = ["programme", "period", "level", "code"]
    fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", *keys)]
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=keys, update_fields=fields)
    return len(rows)


def mean(total, count):
    """Return total / count to two places, halves up and exact (None when nothing counts).

    Not the database's AVG: stored in a two-place column it would be rounded
    halves to even (79.545 -> 79.54), against the rule of every figure shown.
    """
    return two_decimals(exact(total) / count) if count and total is not None else None
