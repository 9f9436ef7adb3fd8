"""Which schools a user may see: thin wrappers over the one access rule.

``core.people.access`` decides (a person's roles in units, for programmes);
these names stay for the callers written before it. New code asks
``core.people.access`` with the act it is about to do.
"""

from django.db.models import QuerySet

from core.people import access
from schools.models import District, School, State


def schools_for_user(
    user, programme: str | None = None, act: str | None = None
) -> QuerySet[School]:
    """Return the schools ``user`` may see (any role, or for ``programme`` / ``act``)."""
    return access.schools_for(user, programme=programme, act=act)


def districts_for_user(
    user, programme: str | None = None, act: str | None = None
) -> QuerySet[District]:
    """Return the districts ``user`` may see as a whole (a role in them or above)."""
    return access.districts_for(user, programme=programme, act=act)


def states_for_user(user, programme: str | None = None, act: str | None = None) -> QuerySet[State]:
    """Return the states ``user`` may see as a whole (a role in them or in the nation)."""
    return access.states_for(user, programme=programme, act=act)


def get_school_for_user(user, code: str, act: str | None = None) -> School:
    """Return the school with ``code`` if ``user`` may see it (and do ``act``), else raise 404.

    A school outside the user's scope answers exactly like one that does not
    exist, so scope can never be used to discover codes.
    """
    return access.get_school(user, code, act)


def require_officer(user) -> None:
    """Raise PermissionDenied unless ``user`` holds a role above schools (an officer, an admin)."""
    access.require(user, "schools.list")


def require_coordinator(user) -> None:
    """Raise PermissionDenied unless ``user`` runs a school's SSQS roster (its ICT coordinator)."""
    access.require(user, "ssqs.roster.manage")
