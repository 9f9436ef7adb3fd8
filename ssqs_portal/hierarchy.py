"""The officers' hierarchy as programmes use it: nodes.

A node is the nation, a state or a district. ``node_for_user`` decides (through
the access rule, for the act a page does) whether a user may see a node as a whole.
Rolling per-school rows up to every node is the roll-up kit's (``core.rollups.store``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from core.people import access

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


def home_node(user, act: str = "schools.list") -> tuple[str, str]:
    """Return (level, code) of the highest node where ``act`` counts for ``user``."""
    node = access.home_node(user, act)
    if node is None:
        raise PermissionDenied
    return node


def node_for_user(user, level: str, code: str, act: str = "schools.list") -> Node:
    """Return the node if ``user`` may see it as a whole for ``act``, else raise 404.

    Someone who holds ``act`` at no node at all (a school's staff) is refused (403).
    """
    if access.home_node(user, act) is None:
        raise PermissionDenied
    if "\x00" in code:  # no node's code has one, and PostgreSQL refuses it in a query
        raise Http404
    nation = sees_nation(user, act)
    if level == "national" and code == NATIONAL_CODE:
        if not nation:
            raise Http404
        return Node("national", NATIONAL_CODE, national_name(), [])
    if level == "state":
        state = access.states_for(user, act=act).filter(code=code).first()
        if state is None:
            raise Http404
        parents = [("national", NATIONAL_CODE, national_name())] if nation else []
        return Node("state", state.code, state.name, parents)
    if level == "district":
        district = (
            access.districts_for(user, act=act).select_related("state").filter(code=code).first()
        )
        if district is None:
            raise Http404
        parents = []
        if nation:
            parents.append(("national", NATIONAL_CODE, national_name()))
        if nation or access.sees_unit(user, "state", district.state.code, act):
            parents.append(("state", district.state.code, district.state.name))
        return Node("district", district.code, district.name, parents)
    raise Http404


def sees_nation(user, act: str = "schools.list") -> bool:
    return access.sees_nation(user, act)


def under_node(rows, node: Node, district="district", state="state"):
    """Filter per-school ``rows`` (with district and state keys) to those under ``node``."""
    if node.level == "state":
        return rows.filter(**{f"{state}__code": node.code})
    if node.level == "district":
        return rows.filter(**{f"{district}__code": node.code})
    return rows
