"""The public certificate check's rate limits, counted in the cache per client address.

The window and its one-minute buckets are surveys.throttle's (a sliding
window of 15 minutes, counted with atomic increments); the limits are in
skills.rules. With the cache down the check stays open (logged): the numbers
cannot be walked anyway (32**10 of them) and the identity-number question
answers yes or no only.

Round trips, on the hot public path: reading a window (15 buckets) is one
``get_many``, which also reads the check's cached result (``skills.checkcache``);
counting is one more (on Redis one pipeline of INCR and EXPIRE per counter; on
other caches ``add`` then ``incr``).
"""

import logging
import time

from django.core.cache import cache, caches

from surveys.throttle import BUCKET, WINDOW, bucket_of, counter_wait, window_buckets

logger = logging.getLogger(__name__)


def wait_and_read(limits: dict[str, int], keys=(), now: float | None = None):
    """Return (seconds to wait, {key: value} of ``keys`` found) in one cache round trip.

    ``limits``: {counter name: its limit in the window}, e.g.
    {"addr:203.0.113.9": 200}; the wait is 0 when every counter is under its limit.
    ``keys``: other cache keys to read in the same round trip (a cached result).
    """
    now = time.time() if now is None else now
    buckets = window_buckets(now)
    names = {name: [f"skills:check:{name}:{b}" for b in buckets] for name in limits}
    try:
        found = cache.get_many([k for ks in names.values() for k in ks] + list(keys))
    except Exception:  # any cache backend's connection error
        logger.warning("Certificate check throttle: the cache is unavailable; not counting.")
        return 0, {}
    wait = 0
    for name, limit in limits.items():
        counts = {b: found.get(k, 0) for b, k in zip(buckets, names[name], strict=True)}
        wait = max(wait, counter_wait(counts, limit, now))
    return wait, {k: found[k] for k in keys if k in found}


def wait_seconds(limits: dict[str, int], now: float | None = None) -> int:
    """Return the seconds to wait before one more request counted under ``limits``' keys."""
    return wait_and_read(limits, (), now)[0]


def _redis_client(backend, key: str):
    """The Redis client that holds ``key`` if the cache is Django's Redis cache, else None."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(backend, RedisCache):
        return backend._cache.get_client(key, write=True)
    return None


def count(names, now: float | None = None, keep=None) -> None:
    """Count one request under each counter of ``names``.

    ``keep``: (key, value, seconds) to add to the cache in the same round trip, if the
    key is free (the check's rendered card, ``skills.checkcache``).
    """
    now = time.time() if now is None else now
    bucket = bucket_of(now)
    keys = [f"skills:check:{name}:{bucket}" for name in names]
    if not keys and keep is None:
        return
    backend = caches["default"]
    try:
        full = [backend.make_and_validate_key(k) for k in keys]
        kept = backend.make_and_validate_key(keep[0]) if keep is not None else None
        client = _redis_client(backend, (full or [kept])[0])
        if client is not None:
            # One round trip: Django's Redis cache keeps integers as plain numbers, so
            # INCR counts what get_many reads back; the card is SET NX as ``add`` does.
            pipe = client.pipeline(transaction=False)
            for key in full:
                pipe.incr(key)
                pipe.expire(key, WINDOW + BUCKET)
            if keep is not None:
                value = backend._cache._serializer.dumps(keep[1])
                pipe.set(kept, value, ex=int(keep[2]), nx=True)
            pipe.execute()
            return
        for key in keys:
            try:
                cache.add(key, 0, WINDOW + BUCKET)
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW + BUCKET)
        if keep is not None:
            cache.add(*keep)
    except Exception:
        logger.warning("Certificate check throttle: the cache is unavailable; not counting.")
