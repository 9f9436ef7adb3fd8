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


def history_parts(user, school) -> list[str]:
    """Return the parts of ``school``'s history ``user`` may read (see ``selectors.PARTS``).

    An officer following one programme reads that programme's records only;
    the school's record, its accounts and the review acts of every programme
    are for those who follow all of the school's programmes.
    """
    ssqs = access.can(user, "monitoring.view", school)
    pibk = access.can(user, "pibk.view", school)
    parts = [name for name, shown in (("ssqs", ssqs), ("pibk", pibk)) if shown]
    if ssqs and pibk:
        parts = ["school", *parts, "review"]
    return parts
