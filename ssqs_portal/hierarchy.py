"""The officers' hierarchy as programmes use it: nodes.

A node is the nation, a state or a district. ``node_for_user`` decides (through
the scoping functions) whether a user may see a node as a whole. Rolling
per-school rows up to every node is the roll-up kit's (``core.rollups.store``).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from .scoping import districts_for_user, states_for_user

NATIONAL_CODE = "KPM"


@dataclass
class Node:
    level: str
    code: str
    name: str
    parents: list  # [(level, code, name)] from the top, for the breadcrumb

    @property
    def child_level(self):
        return {"national": "state", "state": "district", "district": "school"}[self.level]


def national_name():
    return _("Malaysia (KPM)")


def home_node(user) -> tuple[str, str]:
    """Return (level, code) of the node an officer starts from."""
    if sees_nation(user):
        return "national", NATIONAL_CODE
    if user.is_officer and user.level == "state" and user.state_id:
        return "state", user.state.code
    if user.is_officer and user.level == "district" and user.district_id:
        return "district", user.district.code
    raise Http404(_("No node to monitor."))


def node_for_user(user, level: str, code: str) -> Node:
    """Return the node if ``user`` may see it as a whole, else raise 404."""
    if "\x00" in code:  # no node's code has one, and PostgreSQL refuses it in a query
        raise Http404
    if level == "national" and code == NATIONAL_CODE:
        if not sees_nation(user):
            raise Http404
        return Node("national", NATIONAL_CODE, national_name(), [])
    if level == "state":
        state = states_for_user(user).filter(code=code).first()
        if state is None:
            raise Http404
        parents = [("national", NATIONAL_CODE, national_name())] if sees_nation(user) else []
        return Node("state", state.code, state.name, parents)
    if level == "district":
        district = districts_for_user(user).select_related("state").filter(code=code).first()
        if district is None:
            raise Http404
        parents = []
        if sees_nation(user):
            parents.append(("national", NATIONAL_CODE, national_name()))
        if user.is_ministry_admin or user.level in ("national", "state"):
            parents.append(("state", district.state.code, district.state.name))
        return Node("district", district.code, district.name, parents)
    raise Http404


def sees_nation(user):
    return user.is_ministry_admin or (user.is_officer and user.level == "national")


def under_node(rows, node: Node, district="district", state="state"):
    """Filter per-school ``rows`` (with district and state keys) to those under ``node``."""
    if node.level == "state":
        return rows.filter(**{f"{state}__code": node.code})
    if node.level == "district":
        return rows.filter(**{f"{district}__code": node.code})
    return rows
