"""THE one access rule: which units and records a person may see, and what they may do there.

A person's rights are their grants (``RoleGrant``: a role in a unit for some
programmes) read against ``roles.ACTS``. Two kinds of account carry rights of
their own, not grants: a superuser is an administrator of the nation, and a
school's shared respondent account (code + R) answers SSQS for its school.

Every view and template asks here (``can``/``require``, ``schools_for``...);
nothing else looks at a role. The grants are read once per request (one query)
and kept on the user object.

A school (or node) outside a person's scope answers 404 exactly like one that
does not exist; a person who may not do the act anywhere gets 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from . import roles, units
from .units import DISTRICT, NATION, NATION_CODE, SCHOOL, STATE, as_unit

CACHE_ATTRIBUTE = "_people_grants"


@dataclass(frozen=True)
class Grant:
    role: str
    kind: str
    code: str
    programmes: tuple = ()

    @property
    def unit_key(self):
        return (self.kind, self.code)


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def may_change_own_password(user) -> bool:
    """Whether ``user`` may change their own password.

    Everyone signed in, except the school's shared respondent account (code +
    R): its password is the coordinator's to set on the roster page, or one
    respondent could lock every other out of the school's shared login.
    """
    return _active(user) and not user.is_respondent_account


def grants_of(user) -> list[Grant]:
    """Return ``user``'s grants (and the account's own rights), read once, cached on ``user``."""
    if not _active(user):
        return []
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    grants = []
    if user.is_superuser:
        grants.append(Grant(roles.ADMIN, NATION, NATION_CODE))
    if user.is_respondent_account:
        if user.school_id:
            grants.append(Grant(roles.RESPONDENT_ACCOUNT, SCHOOL, user.school.code))
    else:
        from .models import RoleGrant

        grants += [
            Grant(role, kind, code, tuple(programmes or ()))
            for role, kind, code, programmes in RoleGrant.objects.filter(user_id=user.pk)
            .order_by("pk")
            .values_list("role", "unit_kind", "unit_code", "programmes")
        ]
    setattr(user, CACHE_ATTRIBUTE, grants)
    return grants


def forget(user) -> None:
    """Drop the cached grants (after changing them within the same request)."""
    if user is not None and hasattr(user, CACHE_ATTRIBUTE):
        delattr(user, CACHE_ATTRIBUTE)


def _counting(user, act=None, programme=None) -> list[Grant]:
    """Return the grants of ``user`` that count for ``act`` (or for ``programme``)."""
    grants = grants_of(user)
    if act is not None:
        return [g for g in grants if roles.allows(g.role, g.kind, g.programmes, act)]
    if programme is not None:
        return [g for g in grants if roles.covers(g.role, g.programmes, programme)]
    return grants


def can(user, act: str, target=None) -> bool:
    """Return whether ``user`` may do ``act`` on ``target`` (a School, District, State or Unit).

    Without a target: whether ``user`` may do ``act`` anywhere.
    """
    grants = _counting(user, act)
    if target is None:
        return bool(grants)
    unit = as_unit(target)
    return any(units.contains(g.unit_key, unit) for g in grants)


def require(user, act: str, target=None) -> None:
    """Raise PermissionDenied unless ``user`` may do ``act`` somewhere; Http404 if not here."""
    if not can(user, act):
        raise PermissionDenied
    if target is not None and not can(user, act, target):
        raise Http404


def _school_q(grants) -> Q | None:
    """Return the Q of the schools at or below ``grants``' units (None: every school)."""
    codes = {STATE: [], DISTRICT: [], SCHOOL: []}
    for g in grants:
        if g.kind == NATION:
            return None
        if g.kind in codes:
            codes[g.kind].append(g.code)
    q = Q(pk__in=[])
    if codes[STATE]:
        q |= Q(district__state__code__in=codes[STATE])
    if codes[DISTRICT]:
        q |= Q(district__code__in=codes[DISTRICT])
    if codes[SCHOOL]:
        q |= Q(code__in=codes[SCHOOL])
    return q


def schools_for(user, programme: str | None = None, act: str | None = None) -> QuerySet:
    """Return the schools ``user`` may see (for ``programme``, or where ``act`` counts)."""
    from schools.models import School

    grants = _counting(user, act, programme)
    if not grants:
        return School.objects.none()
    q = _school_q(grants)
    return School.objects.all() if q is None else School.objects.filter(q)


def districts_for(user, programme: str | None = None, act: str | None = None) -> QuerySet:
    """Return the districts ``user`` may see as a whole (a role in them or above)."""
    from schools.models import District

    states, districts = [], []
    for g in _counting(user, act, programme):
        if g.kind == NATION:
            return District.objects.all()
        if g.kind == STATE:
            states.append(g.code)
        elif g.kind == DISTRICT:
            districts.append(g.code)
    if not (states or districts):
        return District.objects.none()
    return District.objects.filter(Q(state__code__in=states) | Q(code__in=districts))


def states_for(user, programme: str | None = None, act: str | None = None) -> QuerySet:
    """Return the states ``user`` may see as a whole (a role in them or in the nation)."""
    from schools.models import State

    codes = []
    for g in _counting(user, act, programme):
        if g.kind == NATION:
            return State.objects.all()
        if g.kind == STATE:
            codes.append(g.code)
    return State.objects.filter(code__in=codes) if codes else State.objects.none()


def sees_nation(user, act: str | None = None, programme: str | None = None) -> bool:
    """Return whether ``user`` sees the nation as a whole (for ``act``)."""
    return any(g.kind == NATION for g in _counting(user, act, programme))


def sees_unit(user, kind: str, code: str, act: str | None = None) -> bool:
    """Return whether ``user`` holds a grant counting for ``act`` in unit (kind, code) itself."""
    return any(g.unit_key == (kind, code) for g in _counting(user, act))


# The hierarchy's node levels (ssqs_portal.hierarchy) by unit kind.
NODE_LEVELS = {NATION: "national", STATE: "state", DISTRICT: "district"}


def home_node(user, act: str) -> tuple[str, str] | None:
    """Return (level, code) of the highest node where ``act`` counts for ``user``, or None."""
    best = None
    rank = {NATION: 0, STATE: 1, DISTRICT: 2}
    for g in _counting(user, act):
        if g.kind in rank and (best is None or rank[g.kind] < rank[best.kind]):
            best = g
    return None if best is None else (NODE_LEVELS[best.kind], best.code)


def school_codes(user, act: str) -> list[str]:
    """Return the sorted codes of the schools where a role of ``user`` counts for ``act``."""
    return sorted({g.code for g in _counting(user, act) if g.kind == SCHOOL})


def get_school(user, code: str, act: str | None = None):
    """Return the school ``code`` if ``user`` may see it (and do ``act`` there).

    PermissionDenied if ``user`` may do ``act`` nowhere; a school outside the
    scope answers 404 exactly like one that does not exist.
    """
    if act is not None and not can(user, act):
        raise PermissionDenied
    if "\x00" in (code or ""):  # no school code has one, and PostgreSQL refuses it
        raise Http404
    school = (
        schools_for(user, act=act)
        .select_related("district__state")
        .filter(code=(code or "").upper())
        .first()
    )
    if school is None:
        raise Http404("No such school")
    return school


DESK_SESSION_KEY = "desk_school"


def desk_school(request, act: str):
    """Return the school a school-level page works on for ``act``: the person's own.

    The school's code account works on its school; a person with the act in
    several schools on the one chosen on MyDesktop (else the first by code).
    PermissionDenied if the act counts in no school.
    """
    codes = school_codes(request.user, act)
    if not codes:
        raise PermissionDenied
    chosen = request.session.get(DESK_SESSION_KEY) if hasattr(request, "session") else None
    code = chosen if chosen in codes else codes[0]
    return get_school(request.user, code, act)


def scope_units(user) -> list[tuple[str, str]]:
    """Return the distinct units (kind, code) of ``user``'s grants, in grant order."""
    seen = []
    for g in grants_of(user):
        if g.unit_key not in seen:
            seen.append(g.unit_key)
    return seen


def scope_label(user) -> str:
    """Return the names of the units ``user`` answers for, e.g. "PPD PETALING"."""
    from django.utils.translation import gettext as _

    from schools.models import District, School, State

    keys = scope_units(user)
    if not keys:
        return ""
    names = {}
    by_kind = {}
    for kind, code in keys:
        by_kind.setdefault(kind, []).append(code)
    if SCHOOL in by_kind:
        for code, name in School.objects.filter(code__in=by_kind[SCHOOL]).values_list(
            "code", "name"
        ):
            names[(SCHOOL, code)] = f"{code} {name}"
    if DISTRICT in by_kind:
        for code, name in District.objects.filter(code__in=by_kind[DISTRICT]).values_list(
            "code", "name"
        ):
            names[(DISTRICT, code)] = name
    if STATE in by_kind:
        for code, name in State.objects.filter(code__in=by_kind[STATE]).values_list("code", "name"):
            names[(STATE, code)] = name
    names[(NATION, NATION_CODE)] = str(units.nation_unit())
    if any(g.role == roles.ADMIN for g in grants_of(user)):
        names[(NATION, NATION_CODE)] = _("Ministry administrator")
    return ", ".join(names.get(key, key[1]) for key in keys)
