"""API keys: making one, finding one from what a client sends, and the rights it carries.

A key is ``ssqs_`` + 43 characters of ``secrets.token_urlsafe(32)`` (256
random bits). Only its SHA-256 is stored: a slow password hash would add
nothing against guessing a 256-bit secret and would cost every call. The
first 8 characters after ``ssqs_`` are kept in clear (``prefix``) so an
administrator can tell keys apart.

A key acts as an officer grant held in its unit for its programmes: the
``Principal`` below carries exactly one ``core.people.access.Grant`` and is
read by the same ``access`` functions as a signed-in officer, so the API has
no access rule of its own.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone

from core.people import access, roles

KEY_PREFIX = "ssqs_"
PREFIX_LENGTH = 8
# last_used_at is written at most once a minute per key, not on every call.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
# The programmes a key may name: those an officer's grant covers.
PROGRAMMES = tuple(p for p in roles.PROGRAMMES if p in roles.ROLES[roles.OFFICER][1])


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def prefix_of(secret: str) -> str:
    return secret[len(KEY_PREFIX) : len(KEY_PREFIX) + PREFIX_LENGTH]


class Principal:
    """What a key acts as: an active account with one officer grant and no other right."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_respondent_account = False
    is_anonymous = False
    pk = None

    def __init__(self, key):
        self.key = key
        setattr(
            self,
            access.CACHE_ATTRIBUTE,
            [
                access.Grant(
                    roles.OFFICER, key.unit_kind, key.unit_code, tuple(key.programmes or ())
                )
            ],
        )

    def __str__(self):
        return f"api:{self.key.name}"


def find(secret: str):
    """Return the key whose secret is ``secret`` (one query), revoked or not, or None."""
    from .models import ApiKey

    if not secret or not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    return ApiKey.objects.filter(key_hash=digest(secret)).first()


def touch(key, now=None) -> None:
    """Record that ``key`` was used, at most once a minute (no write on most calls)."""
    from .models import ApiKey

    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
