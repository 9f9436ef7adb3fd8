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


@transaction.atomic
def officer_create(
    *, username: str, level: str, node: str | None, password: str, must_change_password: bool = True
):
    """Create an officer scoped to one district, one state or the nation."""
    User = get_user_model()
    if level not in User.Level.values:
        raise ValidationError(_("The level must be district, state or national."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username '%(u)s' is taken.") % {"u": username})
    user = User(
        username=username,
        role=User.Role.OFFICER,
        level=level,
        must_change_password=must_change_password,
    )
    if level == User.Level.DISTRICT:
        if not node:
            raise ValidationError(_("A district officer needs --node (the district)."))
        user.district = _find_node(District, node)
        user.state = user.district.state
    elif level == User.Level.STATE:
        if not node:
            raise ValidationError(_("A state officer needs --node (the state)."))
        user.state = _find_node(State, node)
    user.set_password(password)
    user.save()
    return user
