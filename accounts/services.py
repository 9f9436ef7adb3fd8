"""Writes for accounts."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from schools.models import District, State


def _find_node(model, node: str):
    matches = list(model.objects.filter(Q(code__iexact=node) | Q(name__iexact=node))[:2])
    if len(matches) != 1:
        if not matches:
            raise ValidationError(
                _("No %(kind)s has the code or name '%(node)s'.")
                % {"kind": model._meta.verbose_name, "node": node}
            )
        raise ValidationError(
            _("More than one %(kind)s matches '%(node)s'; use its code.")
            % {"kind": model._meta.verbose_name, "node": node}
        )
    return matches[0]


LEVELS = ("district", "state", "national")


@transaction.atomic
def officer_create(
    *, username: str, level: str, node: str | None, password: str, must_change_password: bool = True
):
    """Create an officer: a person with the role ``officer`` in a district, a state or KPM."""
    from core.people import units
    from core.people.services import role_grant

    User = get_user_model()
    if level not in LEVELS:
        raise ValidationError(_("The level must be district, state or national."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username '%(u)s' is taken.") % {"u": username})
    if level == "district":
        if not node:
            raise ValidationError(_("A district officer needs --node (the district)."))
        unit = units.district_unit(_find_node(District, node))
    elif level == "state":
        if not node:
            raise ValidationError(_("A state officer needs --node (the state)."))
        unit = units.state_unit(_find_node(State, node))
    else:
        unit = units.nation_unit()
    user = User(username=username, role=User.Role.PERSON, must_change_password=must_change_password)
    user.set_password(password)
    user.save()
    role_grant(user=user, role="officer", unit=unit)
    return user
