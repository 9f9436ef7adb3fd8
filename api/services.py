"""Writes of API keys: create (the secret returned once) and revoke."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.people import roles, units

from . import keys
from .models import ApiKey

# A key is held like an officer's grant: in the nation, a state or a district.
KEY_UNIT_KINDS = (units.NATION, units.STATE, units.DISTRICT)


def clean_programmes(programmes) -> list[str]:
    chosen = []
    for programme in programmes or ():
        code = str(programme).strip().lower()
        if code not in keys.PROGRAMMES:
            raise ValidationError(
                _("Unknown programme '%(p)s': choose from %(all)s.")
                % {"p": code[:20], "all": ", ".join(keys.PROGRAMMES)}
            )
        if code not in chosen:
            chosen.append(code)
    return sorted(chosen)


@transaction.atomic
def key_create(*, name: str, unit_code: str, programmes=(), by=None) -> tuple[ApiKey, str]:
    """Create a key for the system ``name`` in the unit ``unit_code``; return it and its secret.

    The secret is returned here only: it is stored as its SHA-256.
    """
    name = (name or "").replace("\x00", "").strip()
    if not name:
        raise ValidationError(_("Name the system the key is for."))
    if len(name) > 80:
        raise ValidationError(_("The system's name is at most 80 characters."))
    unit = units.unit_resolve(unit_code)
    if unit.kind not in KEY_UNIT_KINDS or not roles.may_hold(roles.OFFICER, unit.kind):
        raise ValidationError(
            _("A key is held in the nation (KPM), a state or a district, not in '%(code)s'.")
            % {"code": unit.code}
        )
    chosen = clean_programmes(programmes)
    secret = keys.new_secret()
    key = ApiKey.objects.create(
        name=name,
        prefix=keys.prefix_of(secret),
        key_hash=keys.digest(secret),
        unit_kind=unit.kind,
        unit_code=unit.code,
        programmes=chosen,
        created_by=by if getattr(by, "pk", None) else None,
    )
    return key, secret


def key_revoke(*, key: ApiKey, by=None) -> bool:
    """Revoke ``key`` (its next call answers 401); False if it already was."""
    return bool(
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
