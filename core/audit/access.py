"""Who may read the audit trail: the one place the history pages ask.

Built only on the shared access rule (``ssqs_portal.scoping``): the officers
and administrators who may see the school. School accounts may not, even for
their own school: entries carry officers' addresses and every account's
changes, and the school already sees its own acts on its pages.
"""

from django.core.exceptions import PermissionDenied

from ssqs_portal.scoping import get_school_for_user, require_officer


def may_see_history(user) -> bool:
    """Whether ``user`` may read the history of the schools they may see."""
    try:
        require_officer(user)
    except PermissionDenied:
        return False
    return True


def get_school_history_for_user(user, code):
    """Return the school whose history ``user`` may read; 403 for school accounts, else 404."""
    require_officer(user)
    return get_school_for_user(user, code)
