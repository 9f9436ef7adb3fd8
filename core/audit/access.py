"""Who may read the audit trail: the one place the history pages ask.

Built on the one access rule (``core.people.access``, act ``audit.view``): the
officers and administrators who may see the school. School accounts and staff
may not, even for their own school: entries carry officers' addresses and every
account's changes, and the school already sees its own acts on its pages.
"""

from core.people import access


def may_see_history(user, school=None) -> bool:
    """Whether ``user`` may read the history of ``school`` (or of any school they may see)."""
    return access.can(user, "audit.view", school)


def get_school_history_for_user(user, code):
    """Return the school whose history ``user`` may read; 403 for school accounts, else 404."""
    return access.get_school(user, code, "audit.view")
