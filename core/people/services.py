"""Writes for people: accounts, and roles given in units."""

import re

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import roles
from .models import RoleGrant
from .units import SCHOOL, Unit, school_unit, unit_resolve

# A school's code (3 letters, 4 letters or digits) or its respondent account
# (the code + R): usernames kept for the school's two shared accounts.
SCHOOL_ACCOUNT_LIKE = re.compile(r"[A-Za-z]{3}[A-Za-z0-9]{4}[Rr]?")


def username_check(username: str) -> str:
    """Return the cleaned username for a new person, or raise ValidationError saying why not."""
    username = (username or "").strip()
    if not username:
        raise ValidationError(_("Give a username."))
    if len(username) > 150:
        raise ValidationError(_("A username has at most 150 characters."))
    UnicodeUsernameValidator()(username)
    if SCHOOL_ACCOUNT_LIKE.fullmatch(username):
        raise ValidationError(
            _(
                "'%(u)s' looks like a school code (or a code + R): those usernames are "
                "the schools' own accounts. Choose another, e.g. a name."
            )
            % {"u": username}
        )
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username '%(u)s' is taken.") % {"u": username})
    return username


def person_create(
    *, username: str, password: str, first_name="", last_name="", email="", check=True
):
    """Create a person's account with ``password`` as its first one, to change at first login."""
    User = get_user_model()
    if check:
        username = username_check(username)
    user = User(
        username=username,
        role=User.Role.PERSON,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=True,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


def role_grant(*, user, role: str, unit: Unit, programmes=(), by=None) -> tuple[RoleGrant, bool]:
    """Give ``user`` ``role`` in ``unit`` (idempotent); return (grant, created).

    Raise ValidationError for an unknown role or a role that cannot be held in
    that kind of unit (an officer in a school).
    """
    if role not in RoleGrant.Role.values:
        raise ValidationError(
            _("Unknown role '%(role)s'. Roles: %(roles)s.")
            % {"role": role, "roles": ", ".join(RoleGrant.Role.values)}
        )
    if not roles.may_hold(role, unit.kind):
        raise ValidationError(
            _("A %(role)s cannot be given in a unit of kind %(kind)s (%(code)s).")
            % {"role": role, "kind": unit.kind, "code": unit.code}
        )
    unknown = [p for p in programmes if p not in roles.PROGRAMMES]
    if unknown:
        raise ValidationError(_("Unknown programme '%(p)s'.") % {"p": unknown[0]})
    if user.is_respondent_account:
        raise ValidationError(_("A school's respondent account cannot be given roles."))
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        unit_kind=unit.kind,
        unit_code=unit.code,
        defaults={"programmes": sorted(programmes), "granted_by": by},
    )
    return grant, created


def role_revoke(*, user, role: str, unit: Unit) -> int:
    """Take ``role`` in ``unit`` from ``user``; return how many grants went (0 or 1)."""
    deleted, _by_model = RoleGrant.objects.filter(
        user=user, role=role, unit_kind=unit.kind, unit_code=unit.code
    ).delete()
    return deleted


@transaction.atomic
def grant_role(*, username: str, role: str, unit_code: str, password: str | None = None, by=None):
    """``manage.py grant_role``: give a person a role in a unit, creating the account if needed.

    Return (user, user_created, grant_created). A new account needs
    ``password`` (its first, to be changed at first login); an existing
    account keeps its own. Idempotent.
    """
    unit = unit_resolve(unit_code)
    if role not in RoleGrant.Role.values:
        raise ValidationError(
            _("Unknown role '%(role)s'. Roles: %(roles)s.")
            % {"role": role, "roles": ", ".join(RoleGrant.Role.values)}
        )
    User = get_user_model()
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    user_created = False
    if user is None:
        if not password:
            raise ValidationError(
                _("There is no account '%(u)s': give --password to create it.") % {"u": username}
            )
        user = person_create(username=username, password=password)
        user_created = True
    _grant, grant_created = role_grant(user=user, role=role, unit=unit, by=by)
    return user, user_created, grant_created


# The roles of a school's shared code login (username = the school code).
CODE_ACCOUNT_ROLES = (roles.ICT_COORDINATOR, roles.PIBK_COORDINATOR)


def code_accounts_grant(accounts) -> int:
    """Give new school code accounts (saved, username = school code) their roles in their school."""
    User = get_user_model()
    missing = [a.username for a in accounts if a.pk is None]
    ids = dict(User.objects.filter(username__in=missing).values_list("username", "pk"))
    grants = [
        RoleGrant(
            user_id=account.pk or ids[account.username],
            role=role,
            unit_kind=SCHOOL,
            unit_code=account.username.upper(),
        )
        for account in accounts
        for role in CODE_ACCOUNT_ROLES
    ]
    RoleGrant.objects.bulk_create(grants, batch_size=2000, ignore_conflicts=True)
    return len(grants)


# -- the school's own staff, managed by its head or coordinator ----------------------------


def school_staff(*, school):
    """Return the persons holding a role in ``school`` with their roles there, by username."""
    User = get_user_model()
    grants = RoleGrant.objects.filter(unit_kind=SCHOOL, unit_code=school.code)
    people = (
        User.objects.filter(role=User.Role.PERSON, grants__in=grants)
        .distinct()
        .order_by("username")
    )
    roles_of = {}
    for user_id, role in grants.values_list("user_id", "role"):
        roles_of.setdefault(user_id, []).append(role)
    return [(person, sorted(roles_of.get(person.pk, []))) for person in people]


def _check_school_roles(chosen):
    if not chosen:
        raise ValidationError(_("Choose at least one role."))
    for role in chosen:
        if role not in roles.SCHOOL_ROLES:
            raise ValidationError(_("'%(role)s' is not a school role.") % {"role": role})


@transaction.atomic
def staff_create(
    *, school, username, password, roles_given, first_name="", last_name="", email="", by
):
    """Create a staff account of ``school`` with ``roles_given`` there (all or nothing)."""
    _check_school_roles(roles_given)
    user = person_create(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    unit = school_unit(school)
    for role in roles_given:
        role_grant(user=user, role=role, unit=unit, by=by)
    return user


def staff_member(*, school, user_id):
    """Return the person with ``user_id`` who holds a role in ``school``, or None."""
    User = get_user_model()
    return (
        User.objects.filter(
            pk=user_id,
            role=User.Role.PERSON,
            grants__unit_kind=SCHOOL,
            grants__unit_code=school.code,
        )
        .distinct()
        .first()
    )


def staff_role_add(*, school, user, role, by):
    _check_school_roles([role])
    return role_grant(user=user, role=role, unit=school_unit(school), by=by)[1]


def staff_role_remove(*, school, user, role, by):
    """Take a school role away; never one's own (a head cannot lock themself out)."""
    if user.pk == by.pk:
        raise ValidationError(
            _("You cannot take away your own role: ask another head or coordinator.")
        )
    _check_school_roles([role])
    return role_revoke(user=user, role=role, unit=school_unit(school))


def staff_password_reset(*, school, user, password, by):
    """Set a staff member's password, to be changed at their next login.

    Only for a person whose every role is in this school: a school may not take
    over an account that has rights elsewhere (an officer who also teaches).
    """
    if user.grants.exclude(unit_kind=SCHOOL, unit_code=school.code).exists():
        raise ValidationError(
            _(
                "%(u)s also holds roles outside this school: only an administrator "
                "can reset this password."
            )
            % {"u": user.username}
        )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return user
