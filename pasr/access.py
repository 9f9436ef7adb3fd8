"""Finding PASR's objects for a person: every view goes through here (the one access rule).

``school_for`` is ``core.people.access.get_school``: 403 for someone who may
do the act nowhere, 404 for a school outside their scope. A candidate is
found within a school the person may act in: the school where they sit PASR
now, or one they were transferred out of (which keeps seeing its history).
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from core.people import access

from .models import Candidate


def school_for(user, code: str, act: str):
    return access.get_school(user, code, act)


def candidate_for(user, code: str, pk: int, act: str, *, here_only: bool = False):
    """Return (school, candidate) for ``act`` on candidate ``pk`` seen from school ``code``.

    ``here_only``: only a candidate who sits PASR at this school now (rating,
    moderating, reports); otherwise also one transferred out of it (history).
    """
    school = school_for(user, code, act)
    where = Q(school=school)
    if not here_only:
        where |= Q(transfers__from_school=school)
    candidate = get_object_or_404(
        Candidate.objects.filter(where).distinct().select_related("school"), pk=pk
    )
    return school, candidate


def may(user, act: str, school) -> bool:
    return access.can(user, act, school)
