"""Reads of a programme's roll-ups for its dashboards (``model``: the programme's proxy)."""

from ssqs_portal.hierarchy import Node


def rollup_for(model, period: int, node: Node):
    """Return the node's roll-up of ``period``, or None before it is computed."""
    return model.objects.filter(period=period, level=node.level, code=node.code).first()


def child_rollups(model, period: int, node: Node) -> list:
    """Return the roll-ups of the node's states (nation) or districts (state), by name."""
    rows = model.objects.filter(period=period)
    if node.level == "national":
        return list(rows.filter(level="state").order_by("name"))
    if node.level == "state":
        return list(rows.filter(level="district", parent_code=node.code).order_by("name"))
    return []


def rollup_trend(model, node: Node) -> list:
    """Return the node's roll-ups of every period, oldest first."""
    return list(model.objects.filter(level=node.level, code=node.code).order_by("period"))
