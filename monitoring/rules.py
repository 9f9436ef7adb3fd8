"""Monitoring's pure rules (no database)."""

import datetime

# A build writes its heartbeat after every certificate (a PDF takes about a
# second); one silent this long has lost its worker or its task.
BATCH_STALLS_AFTER = datetime.timedelta(minutes=5)


def batch_is_stalled(status: str, heartbeat_at, now, after=BATCH_STALLS_AFTER) -> bool:
    """Whether a certificate batch waits or runs with no sign of life for ``after``."""
    return status in ("queued", "running") and heartbeat_at <= now - after
