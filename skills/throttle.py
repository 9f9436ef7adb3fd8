"""The public certificate check's rate limits, counted in the cache per client address.

The window and its one-minute buckets are surveys.throttle's (a sliding
window of 15 minutes, counted with atomic increments); the limits are in
skills.rules. With the cache down the check stays open (logged): the numbers
cannot be walked anyway (32**10 of them) and the identity-number question
answers yes or no only.
"""

import logging
import time

from django.core.cache import cache

from surveys.throttle import BUCKET, WINDOW, bucket_of, counter_wait, window_buckets

logger = logging.getLogger(__name__)


def wait_seconds(limits: dict[str, int], now: float | None = None) -> int:
    """Return the seconds to wait before one more request counted under ``limits``' keys.

    ``limits``: {counter name: its limit in the window}, e.g.
    {"addr:203.0.113.9": 200}. 0 when every counter is under its limit.
    """
    now = time.time() if now is None else now
    buckets = window_buckets(now)
    keys = {name: [f"skills:check:{name}:{b}" for b in buckets] for name in limits}
    try:
        found = cache.get_many([k for ks in keys.values() for k in ks])
    except Exception:  # any cache backend's connection error
        logger.warning("Certificate check throttle: the cache is unavailable; not counting.")
        return 0
    wait = 0
    for name, limit in limits.items():
        counts = {b: found.get(k, 0) for b, k in zip(buckets, keys[name], strict=True)}
        wait = max(wait, counter_wait(counts, limit, now))
    return wait


def count(names, now: float | None = None) -> None:
    """Count one request under each counter of ``names``."""
    now = time.time() if now is None else now
    bucket = bucket_of(now)
    for name in names:
        key = f"skills:check:{name}:{bucket}"
        try:
            cache.add(key, 0, WINDOW + BUCKET)
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW + BUCKET)
        except Exception:
            logger.warning("Certificate check throttle: the cache is unavailable; not counting.")
            return
