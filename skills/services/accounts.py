"""A trainee's login (item 7): the centre's administrator gives an enrolled trainee an account.

The account is an ordinary person's (``core.people.services.person_create``) with a
username drawn at random (``pelatih-`` and eight characters of the certificate numbers'
alphabet: never the identity number, nothing a neighbour could guess) and a first
password drawn at random, shown once on a printable slip and never stored in clear. The
portal's forced change at first login (``User.must_change_password``,
``accounts.middleware.ForcePasswordChangeMiddleware``) makes the trainee choose their own;
then the home page sends them to their own page (``skills:me``).

A trainee who already has a login gets a new first password instead of a second account,
unless that login is also someone's working account (roles held anywhere, staff or a
school's account): only an administrator may reset that.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.people.services import person_create

from .. import rules
from ..models import Enrolment, Trainee

USERNAME_PREFIX = "pelatih-"
USERNAME_LENGTH = 8  # 32**8 = 1.1e12 usernames
# Capitals and digits without 0/O, 1/I/L, 5/S, 2/Z: read off paper without doubt.
PASSWORD_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
PASSWORD_GROUPS = 3  # three groups of four: 27**12 = 1.5e17 passwords


@dataclass(frozen=True)
class Slip:
    """What the printable slip shows, once: the password is in nothing but this object."""

    trainee: Trainee
    centre: object
    username: str
    password: str
    created: bool  # a new account (False: a new first password for the existing one)


def new_username(randbelow=secrets.randbelow) -> str:
    """Return a username no account has: ``pelatih-`` and eight random characters."""
    User = get_user_model()
    alphabet = rules.NUMBER_ALPHABET.lower()
    for _attempt in range(20):
        tail = "".join(alphabet[randbelow(len(alphabet))] for _ in range(USERNAME_LENGTH))
        username = USERNAME_PREFIX + tail
        if not User.objects.filter(username__iexact=username).exists():
            return username
    raise RuntimeError("no free trainee username after 20 draws")  # 1e12 names: never


def new_password(randbelow=secrets.randbelow) -> str:
    """Return a first password like ``K7QM-4TZP-9WHC`` (about 57 bits)."""
    groups = [
        "".join(PASSWORD_ALPHABET[randbelow(len(PASSWORD_ALPHABET))] for _ in range(4))
        for _ in range(PASSWORD_GROUPS)
    ]
    return "-".join(groups)


def _first_password(user) -> str:
    """A first password the portal's validators accept for ``user`` (drawn until one is)."""
    for _attempt in range(20):
        password = new_password()
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no valid first password after 20 draws")


def _may_reset(user) -> bool:
    """A login the centre may reset: a plain person's, with no role anywhere."""
    User = get_user_model()
    return (
        user.role == User.Role.PERSON
        and not user.is_staff
        and not user.is_superuser
        and not user.grants.exists()
    )


@transaction.atomic
def trainee_account_give(*, enrolment: Enrolment, by) -> Slip:
    """Give the enrolment's trainee a login, or a new first password if they have one.

    The caller found ``enrolment`` through the intake the user may do
    ``skills.trainee.account`` on (``skills.access.intake_for``). The trainee's row is
    locked first, so two clicks at once make one account. Raise ValidationError (nothing
    changed) when the existing login is not the centre's to reset or is switched off.
    """
    trainee = Trainee.objects.select_for_update().get(pk=enrolment.trainee_id)
    centre = enrolment.intake.centre
    User = get_user_model()
    if trainee.user_id is not None:
        user = User.objects.select_for_update().get(pk=trainee.user_id)
        if not _may_reset(user):
            raise ValidationError(
                _(
                    "%(name)s's login is also a working account (it holds roles or is a "
                    "staff account): only an administrator can reset its password."
                )
                % {"name": trainee.name}
            )
        if not user.is_active:
            raise ValidationError(
                _("%(name)s's login is switched off: ask an administrator.")
                % {"name": trainee.name}
            )
        password = _first_password(user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        return Slip(trainee, centre, user.username, password, created=False)
    username = new_username()
    name = trainee.name[:150]
    password = _first_password(User(username=username, first_name=name, email=trainee.email))
    user = person_create(username=username, password=password, first_name=name,
                         email=trainee.email, check=False)  # fmt: skip
    trainee.user = user
    trainee.save(update_fields=["user"])
    return Slip(trainee, centre, username, password, created=True)
