"""Settings for the test suite: the real settings with test-only speed-ups.

DATABASE_URL and CELERY_BROKER_URL come from the environment like everywhere
else, so `make test` runs on PostgreSQL in CI and on SQLite by default.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ["CELERY_BROKER_URL"] = ""  # tests run tasks eagerly; the worker test sets its own
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from ssqs_portal.settings import *  # noqa: E402, F403
from ssqs_portal.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# An existing, empty folder, so WhiteNoise has nothing to warn of.
STATIC_ROOT = tempfile.mkdtemp(prefix="ssqs-static-")
MEDIA_ROOT = tempfile.mkdtemp(prefix="ssqs-media-")  # no test writes into var/
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="ssqs-private-")
