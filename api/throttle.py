"""The API's rate limits: per key, and per client address on the public endpoints.

The same sliding window as the respondent tags and the certificate check
(surveys.throttle: 15 minutes in one-minute buckets, atomic increments in the
cache). The limits are settings: ``API_KEY_LIMIT`` calls per key and
``API_PUBLIC_LIMIT`` calls per address in any 15 minutes (defaults 9,000 and
900: 600 and 60 a minute on average). With the cache down the API stays open
(logged), like the certificate check.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

from surveys.throttle import BUCKET, WINDOW, bucket_of, counter_wait, window_buckets

logger = logging.getLogger(__name__)


def key_limit() -> int:
    return getattr(settings, "API_KEY_LIMIT", 9000)


def public_limit() -> int:
    return getattr(settings, "API_PUBLIC_LIMIT", 900)


def take(name: str, limit: int, now: float | None = None) -> int:
    """Count one call under the counter ``name``; return the seconds to wait (0: go ahead).

    A refused call is not counted, so a client that waits is served again.
    """
    now = time.time() if now is None else now
    buckets = window_buckets(now)
    keys = [f"api:rate:{name}:{b}" for b in buckets]
    try:
        found = cache.get_many(keys)
    except Exception:  # any cache backend's connection error
        logger.warning("API throttle: the cache is unavailable; not counting.")
        return 0
    counts = {b: found.get(k, 0) for b, k in zip(buckets, keys, strict=True)}
    # One more call must stay within the limit: wait while the window already holds it.
    wait = counter_wait(counts, limit, now)
    if wait:
        return wait
    key = f"api:rate:{name}:{bucket_of(now)}"
    try:
        cache.add(key, 0, WINDOW + BUCKET)
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW + BUCKET)
    except Exception:
        logger.warning("API throttle: the cache is unavailable; not counting.")
    return 0
