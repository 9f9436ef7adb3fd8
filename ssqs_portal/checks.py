from django.conf import settings
from django.core.checks import Warning, register


@register()
def shared_cache_with_workers(app_configs, **kwargs):
    """Warn when workers are configured but the cache is private to each process.

    Debounced rating recomputes and the respondents' tag throttle live in the
    cache; web processes and workers must share it (Redis).
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.CELERY_BROKER_URL and backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "CELERY_BROKER_URL is set but the cache is private to each process.",
                hint="Set CACHE_URL to Redis (e.g. redis://127.0.0.1:6379/1) so web processes and "
                "workers share debounce keys and throttles.",
                id="ssqs.W001",
            )
        ]
    return []
