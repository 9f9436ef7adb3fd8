"""Settings for SSQS Portal, read from the environment (see .env.example).

With nothing but DEBUG=1 set (as every make target does), the portal runs on a
SQLite file under var/ with tasks executed in-process, so a fresh clone needs
nothing installed. DEBUG is off unless asked for, and with it off SECRET_KEY
and ALLOWED_HOSTS are mandatory: a deployment that forgets a variable is told
so, instead of running in development mode.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

# Development mode only when asked for (DEBUG=1: the make targets, the first look).
DEBUG = env.bool("DEBUG", default=False)
# A development default only when DEBUG is on: production must say its own.
SECRET_KEY = (
    env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
    if DEBUG
    else env.str("SECRET_KEY")
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_celery_beat",
    "ssqs_portal",
    "accounts",
    "schools",
    "core.people",
    "core.review",
    "core.rollups",
    "surveys",
    "monitoring",
    "pibk",
    "pasr",
    "skills",
    "spmi",
    # The read API (/api/v1/): django-ninja, listed so its docs page uses its own static files.
    "ninja",
    "api",
    # The audit trail: django-pgtrigger installs its triggers (PostgreSQL).
    "pgtrigger",
    "core.audit",
]

# The audit triggers are installed after every migrate, never through the
# tracked apps' migrations (core/audit/triggers.py).
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Malay unless English was chosen; not the browser's Accept-Language.
    "ssqs_portal.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and from where, for the audit trail's triggers (core/audit/context.py).
    "core.audit.middleware.AuditContextMiddleware",
    "ssqs_portal.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ssqs_portal.request_guard.NulGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    # Last, as django-axes asks, so it sees every authentication failure.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ssqs_portal.urls"
WSGI_APPLICATION = "ssqs_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ssqs_portal.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ssqs.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://ssqs")}
# A Redis that hangs (stopped, overloaded) must fail a cache call within a
# second, not hold every page that touches the cache for as long as it hangs.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=REDIS_SOCKET_TIMEOUT, socket_timeout=REDIS_SOCKET_TIMEOUT
    )

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # School codes are public: no password built from the username or code.
    {"NAME": "accounts.validators.NotBuiltFromUsernameValidator"},
]
# Argon2id at OWASP's cost (~20 ms of CPU; accounts/hashers.py says why). The
# older hashers stay listed so existing hashes still verify; each is re-hashed
# with the first at the user's next login.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username at one address after repeated failures, so one
# school's shared account cannot be locked for the whole country by a stranger.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Reverse proxies in front of the portal: the client address is resolved by
# ssqs_portal.clientip for axes and the tag throttle alike. 0 = none
# (REMOTE_ADDR). AXES_PROXY_COUNT is the old name, still read.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "ssqs_portal.clientip.client_ip"

LANGUAGE_CODE = "ms"
LANGUAGES = [("ms", _("Bahasa Melayu")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ssqs_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the choice of English is remembered for a year
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Kuala_Lumpur"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Evidence people upload (PPT evidence, personnel's qualifications): never under a URL,
# served only by views that ask the access rule first (skills/files.py).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SSQS Portal <noreply@ssqs.local>")
# The portal's address as schools reach it, for links in e-mails (reminders).
# Unset: the address of the request that sends the mail.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")

# Celery: with no broker configured, tasks run in-process (a first look needs
# no Redis); with one, they go to the broker and a worker (`make worker`).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task (a district's certificates) takes a few minutes.
CELERY_TASK_TIME_LIMIT = 10 * 60
# Every task of the portal is idempotent: one whose worker process died runs again.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A task taken by a worker that was killed returns to the queue after this
# long (Redis's default is an hour); just above the time limit, so a task
# still running is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The same for the broker: a page that queues a task gives up on a hung Redis
# within seconds (one retry), instead of waiting on it.
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}

# /health/: anyone learns up or down; the load balancer (Authorization: Bearer
# HEALTH_TOKEN) and signed-in administrators also see each part's state.
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")

# Security: strict when DEBUG is off; `manage.py check --deploy` stays clean.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 60 * 60
# Content-Security-Policy (django-csp), in every mode: scripts and styles only
# from our own static files (no inline <script>, no on*= handlers, no style
# attributes: data goes in data-* attributes or json_script), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if not SECURE_HSTS_PRELOAD:
    # Preload is a one-way decision for the ministry's domain, not ours.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pgtrigger": {"level": "WARNING"},  # one line per trigger at every migrate
        # In-process (eager) tasks would log every run; a real worker keeps INFO.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Portal settings.
SCHOOL_LIST_PAGE_SIZE = 50
SSQS_INSTRUMENTS_DIR = BASE_DIR / "surveys" / "instruments"
# The read API's rate limits (api/throttle.py): calls in any 15 minutes per key,
# and per client address on its public endpoints.
API_KEY_LIMIT = env.int("API_KEY_LIMIT", default=9000)
API_PUBLIC_LIMIT = env.int("API_PUBLIC_LIMIT", default=900)
