"""seed_demo: one national API key, so `make run` shows the read API working.

With DEBUG (the first look) its secret is the fixed ``DEMO_SECRET``, the same
at every run; anywhere else a fresh random key is made (a known secret must
never open a real database).
"""

from django.conf import settings

from . import keys
from .models import ApiKey
from .services import key_create

DEMO_SECRET = "ssqs_demo-national-key-for-make-run-only-0000000"
DEMO_NAME = "Demo: ministry dashboard"


def seed(stdout):
    if settings.DEBUG:
        secret = DEMO_SECRET
        digest = keys.digest(secret)
        if not ApiKey.objects.filter(key_hash=digest).exists():
            ApiKey.objects.create(
                name=DEMO_NAME,
                prefix=keys.prefix_of(secret),
                key_hash=digest,
                unit_kind="nation",
                unit_code="KPM",
                programmes=[],
            )
    else:
        _key, secret = key_create(name=DEMO_NAME, unit_code="KPM")
    return [
        (
            "read API key (nation, every programme)",
            "Authorization: Bearer",
            secret,
            "/api/v1/docs/ ; e.g. curl -H 'Authorization: Bearer <key>' .../api/v1/schools",
        )
    ]
