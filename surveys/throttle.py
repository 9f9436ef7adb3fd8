"""How long a respondent account must wait before typing another tag number. Pure.

Three counts of wrong tags, none reset by a right tag or by switching
respondent (only time clears them):

* per browser session: 5 wrong tags in 15 minutes are free, then a wait of
  30 s after each further one, doubling (60 s, 120 s, ...) up to 15 minutes.
  One pupil's typos stop only that pupil's browser, never the class.
* per school account and client address: 150 wrong tags in a sliding window
  of 15 minutes. A school's computer lab shares one public address, so this
  is high enough that a class of 30 each making a few typos is not stopped;
  it stops one outside address that keeps logging in again to shed the
  session wait, without locking the school.
* per school account: 300 wrong tags in 15 minutes, from any address.

Why guessing stays impractical: a tag is 8 symbols of 31
(``rules.TAG_ALPHABET``), 31**8 = 852,891,037,441 tags, and a school has 62
respondents (fewer in a small school; say at most 100 with additions). The
school cap allows at most 300 * 4 * 24 = 28,800 wrong guesses a day, so over
a 90-day window 2,592,000 guesses, each right with probability at most
100 / 852,891,037,441: at most 2,592,000 * 100 / 852,891,037,441 = 3.0e-4
(1 in 3,300) for someone guessing non-stop for the whole window with the
school's respondent password, and a hit answers for one respondent only.
Per day the chance is 28,800 * 100 / 31**8 = 3.4e-6.

The windows are counted in one-minute buckets (a sliding window to the
minute), so a counter can be kept with atomic increments in the cache.
"""

import math
from dataclasses import dataclass

WINDOW = 15 * 60
BUCKET = 60
BUCKETS = WINDOW // BUCKET
ADDRESS_LIMIT = 150
SCHOOL_LIMIT = 300
SESSION_FREE = 5
SESSION_FIRST_WAIT = 30
SESSION_MAX_WAIT = WINDOW
SESSION_KEEP = 20  # failure times kept in a session (enough to reach the longest wait)


@dataclass(frozen=True)
class Wait:
    seconds: int = 0
    scope: str = ""  # "session", "address" or "school": whose wrong tags caused it

    def __bool__(self):
        return self.seconds > 0


def bucket_of(now: float) -> int:
    return int(now // BUCKET)


def window_buckets(now: float) -> list[int]:
    """Return the buckets of the window ending at ``now``, oldest first."""
    last = bucket_of(now)
    return list(range(last - BUCKETS + 1, last + 1))


def counter_wait(counts: dict, limit: int, now: float) -> int:
    """Return the seconds until a bucketed count of wrong tags is below ``limit`` again."""
    buckets = window_buckets(now)
    total = sum(counts.get(b) or 0 for b in buckets)
    for bucket in buckets:
        if total < limit:
            break
        total -= counts.get(bucket) or 0
        # This bucket leaves the window when the bucket BUCKETS later begins.
        if total < limit:
            return max(1, math.ceil((bucket + BUCKETS) * BUCKET - now))
    return 0


def session_recent(times: list, now: float) -> list[float]:
    """Return the failure times of a session still inside the window."""
    return [t for t in times if isinstance(t, int | float) and 0 <= now - t < WINDOW]


def session_wait(times: list, now: float) -> int:
    """Return the seconds this browser session waits after its recent wrong tags."""
    recent = session_recent(times, now)
    if len(recent) < SESSION_FREE:
        return 0
    wait = min(SESSION_FIRST_WAIT * 2 ** (len(recent) - SESSION_FREE), SESSION_MAX_WAIT)
    return max(0, math.ceil(max(recent) + wait - now))


def session_after_failure(times: list, now: float) -> list[float]:
    """Return the session's failure times with one more wrong tag at ``now``."""
    return (session_recent(times, now) + [now])[-SESSION_KEEP:]


def wait_for(*, session_times, address_counts, school_counts, now) -> Wait:
    """Return the longest of the three waits, and which count caused it.

    ``address_counts`` and ``school_counts`` are None when the cache cannot
    be read: then only the session counts.
    """
    waits = [Wait(session_wait(session_times, now), "session")]
    if address_counts is not None:
        waits.append(Wait(counter_wait(address_counts, ADDRESS_LIMIT, now), "address"))
    if school_counts is not None:
        waits.append(Wait(counter_wait(school_counts, SCHOOL_LIMIT, now), "school"))
    longest = max(waits, key=lambda w: w.seconds)
    return longest if longest else Wait()
