"""The one place that decides which schools a user may see.

Every view that shows or changes school data goes through these functions:
school users see their school, a district officer the district's schools, a
state officer the state's, national officers and ministry admins all of them,
everyone else nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from schools.models import District, School, State


def schools_for_user(user) -> QuerySet[School]:
    """Return the schools ``user`` may see."""
    schools = School.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return schools.none()
    if user.is_ministry_admin:
        return schools
    if user.is_school_user:
        return schools.filter(pk=user.school_id) if user.school_id else schools.none()
    if user.is_officer:
        if user.level == user.Level.NATIONAL:
            return schools
        if user.level == user.Level.STATE and user.state_id:
            return schools.filter(district__state_id=user.state_id)
        if user.level == user.Level.DISTRICT and user.district_id:
            return schools.filter(district_id=user.district_id)
    return schools.none()


def districts_for_user(user) -> QuerySet[District]:
    """Return the districts ``user`` may see as a whole (officers and admins)."""
    districts = District.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return districts.none()
    if user.is_ministry_admin or (user.is_officer and user.level == user.Level.NATIONAL):
        return districts
    if user.is_officer and user.level == user.Level.STATE and user.state_id:
        return districts.filter(state_id=user.state_id)
    if user.is_officer and user.level == user.Level.DISTRICT and user.district_id:
        return districts.filter(pk=user.district_id)
    return districts.none()


def states_for_user(user) -> QuerySet[State]:
    """Return the states ``user`` may see as a whole (officers and admins)."""
    states = State.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return states.none()
    if user.is_ministry_admin or (user.is_officer and user.level == user.Level.NATIONAL):
        return states
    if user.is_officer and user.level == user.Level.STATE and user.state_id:
        return states.filter(pk=user.state_id)
    return states.none()


def get_school_for_user(user, code: str) -> School:
    """Return the school with ``code`` if ``user`` may see it, else raise 404.

    A school outside the user's scope answers exactly like one that does not
    exist, so scope can never be used to discover codes.
    """
    school = (
        schools_for_user(user)
        .select_related("district__state")
        .filter(code=(code or "").upper())
        .first()
    )
    if school is None:
        raise Http404("No such school")
    return school


def require_officer(user) -> None:
    """Raise PermissionDenied unless ``user`` is an officer or ministry admin."""
    if not (user.is_authenticated and (user.is_officer or user.is_ministry_admin)):
        raise PermissionDenied


def require_coordinator(user) -> None:
    """Raise PermissionDenied unless ``user`` is a school coordinator."""
    if not (user.is_authenticated and user.is_coordinator and user.school_id):
        raise PermissionDenied
