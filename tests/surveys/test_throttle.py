"""The tag-number throttle: guessing stays impractical, one pupil's typos stop only them."""

import pytest
from django.test import Client

from surveys import rosters, throttle
from tests.factories import PASSWORD
from tests.surveys.conftest import respondents

T0 = 1_800_000_000.0  # a whole minute: bucket boundaries are at T0 + 60 k


# --- the pure rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "since_last", "wait"),
    [
        (0, 0, 0),
        (4, 0, 0),  # five free
        (5, 0, 30),
        (5, 10, 20),
        (5, 30, 0),
        (6, 0, 60),
        (7, 0, 120),
        (9, 0, 480),
        (10, 0, 900),
        (15, 0, 900),  # capped at the window
    ],
)
def test_a_sessions_wait_doubles_after_five_wrong_tags(failures, since_last, wait):
    times = [T0 - 100 + i for i in range(failures - 1)] + [T0] if failures else []
    assert throttle.session_wait(times, T0 + since_last) == wait


def test_a_sessions_failures_are_forgotten_after_the_window():
    times = [T0 + i for i in range(10)]
    assert throttle.session_wait(times, T0 + 109) == 800
    assert throttle.session_wait(times, T0 + 9 + throttle.WINDOW + 1) == 0
    assert throttle.session_after_failure(times, T0 + throttle.WINDOW + 5) == [
        T0 + i for i in range(6, 10)
    ] + [T0 + throttle.WINDOW + 5]


@pytest.mark.parametrize(
    ("counts", "limit", "now", "wait"),
    [
        ({}, 10, T0, 0),
        ({throttle.bucket_of(T0): 9}, 10, T0, 0),
        # 10 in the current bucket: wait until it leaves the window, 15 minutes on.
        ({throttle.bucket_of(T0): 10}, 10, T0, 900),
        ({throttle.bucket_of(T0): 10}, 10, T0 + 30, 870),
        # The oldest bucket leaving is enough.
        ({throttle.bucket_of(T0) - 14: 4, throttle.bucket_of(T0): 6}, 10, T0, 60),
        ({throttle.bucket_of(T0) - 14: 4, throttle.bucket_of(T0): 6}, 10, T0 + 59, 1),
        # Buckets older than the window do not count.
        ({throttle.bucket_of(T0) - 15: 50}, 10, T0, 0),
    ],
)
def test_a_counter_waits_until_enough_old_failures_leave_the_window(counts, limit, now, wait):
    assert throttle.counter_wait(counts, limit, now) == wait


def test_the_longest_wait_wins_and_a_missing_cache_counts_the_session_only():
    full = {throttle.bucket_of(T0): throttle.SCHOOL_LIMIT}
    wait = throttle.wait_for(session_times=[], address_counts={}, school_counts=full, now=T0)
    assert (wait.seconds, wait.scope) == (900, "school")
    wait = throttle.wait_for(
        session_times=[T0] * 5, address_counts=None, school_counts=None, now=T0
    )
    assert (wait.seconds, wait.scope) == (30, "session")
    assert not throttle.wait_for(session_times=[], address_counts=None, school_counts=None, now=T0)


def test_the_school_limit_keeps_guessing_a_tag_impractical():
    tags = len(__import__("surveys.rules").rules.TAG_ALPHABET) ** 8
    guesses_a_day = throttle.SCHOOL_LIMIT * (24 * 3600 // throttle.WINDOW)
    assert 100 * guesses_a_day * 90 / tags < 1e-3  # a 90-day window, 100 tags in a school
    # ... while a class of 30 making a few typos each fits under both counters.
    assert 30 * 3 < throttle.ADDRESS_LIMIT < throttle.SCHOOL_LIMIT


# --- the counters in the cache --------------------------------------------------------


def test_an_address_over_its_limit_waits_but_the_schools_other_addresses_do_not(world):
    account = world.users["resp_a"].pk
    for _ in range(throttle.ADDRESS_LIMIT):
        rosters.tag_failure_record(account_id=account, address="198.51.100.1", session={}, now=T0)
    wait = rosters.tag_wait(account_id=account, address="198.51.100.1", session={}, now=T0)
    assert (wait.seconds, wait.scope) == (900, "address")
    assert not rosters.tag_wait(account_id=account, address="203.0.113.9", session={}, now=T0)
    later = T0 + 901
    assert not rosters.tag_wait(account_id=account, address="198.51.100.1", session={}, now=later)


def test_a_school_over_its_limit_waits_at_every_address(world):
    account = world.users["resp_a"].pk
    for i in range(throttle.SCHOOL_LIMIT):
        rosters.tag_failure_record(account_id=account, address=f"10.0.{i}.1", session={}, now=T0)
    wait = rosters.tag_wait(account_id=account, address="203.0.113.9", session={}, now=T0)
    assert (wait.seconds, wait.scope) == (900, "school")
    other = world.users["coord_b"].pk  # another account's counters are its own
    assert not rosters.tag_wait(account_id=other, address="203.0.113.9", session={}, now=T0)


# --- Pilih Responden ------------------------------------------------------------------


def respondent_login(world):
    client = Client()
    client.force_login(world.users["resp_a"])
    return client


def choose(client, tag):
    return client.post("/ssqs/pilih/", {"tag_number": tag})


def test_nine_wrong_one_right_and_switching_does_not_reset_the_count(world, real_cycle):
    # The reproduction: 28 wrong guesses went through by interleaving a valid tag.
    client = respondent_login(world)
    good = respondents(real_cycle, world.a).first()
    let_through = 0
    for _round in range(3):
        for _ in range(9):
            let_through += choose(client, "ZZZZ-ZZZZ").status_code == 400
        choose(client, good.tag)
        client.post("/ssqs/tukar/")
    assert let_through == throttle.SESSION_FREE
    assert client.session.get("ssqs_respondent") is None  # the right tag waits too


def test_the_locked_page_says_how_long_to_wait(world, real_cycle):
    client = respondent_login(world)
    for _ in range(throttle.SESSION_FREE):
        response = choose(client, "ZZZZ-ZZZZ")
    assert "cuba lagi dalam 30 saat" in response.content.decode().lower()
    response = choose(client, respondents(real_cycle, world.a).first().tag)
    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert "cuba lagi dalam 30 saat" in response.content.decode().lower()
    assert client.session.get("ssqs_respondent") is None


def test_an_empty_post_to_pilih_while_locked_says_how_long_to_wait(world, real_cycle):
    client = respondent_login(world)
    for _ in range(throttle.SESSION_FREE):
        choose(client, "ZZZZ-ZZZZ")
    for response in (
        client.post("/ssqs/pilih/", {}),
        client.post("/ssqs/pilih/", data="{}", content_type="application/json"),
    ):
        assert response.status_code == 429
        assert "cuba lagi dalam" in response.content.decode().lower()


def test_one_pupils_typos_never_stop_the_class(world, real_cycle):
    # One computer lab: every pupil's browser has the school's one public address.
    typist = respondent_login(world)
    for _ in range(12):
        choose(typist, "ZZZZ-ZZZZ")
    assert choose(typist, "ZZZZ-ZZZZ").status_code == 429
    pupils = list(respondents(real_cycle, world.a, "pupil"))
    assert len(pupils) == 30
    for pupil in pupils:
        client = respondent_login(world)
        assert choose(client, "ZZZZ-ZZZ1").status_code == 400  # two typos each
        assert choose(client, "ZZZZ-ZZZ2").status_code == 400
        assert choose(client, pupil.tag).url == "/ssqs/domain/"


def test_with_the_cache_down_respondents_still_start_and_typos_still_wait(
    world, real_cycle, settings, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    client = Client()
    assert client.post("/login/", {"username": "BBA0001R", "password": PASSWORD}).status_code == 302
    for _ in range(throttle.SESSION_FREE):
        assert choose(client, "ZZZZ-ZZZZ").status_code == 400
    assert choose(client, "ZZZZ-ZZZZ").status_code == 429  # the session's own count holds
    other = Client()
    other.force_login(world.users["resp_a"])
    assert choose(other, respondents(real_cycle, world.a).first().tag).url == "/ssqs/domain/"
    assert "the cache is unavailable" in caplog.text
