"""The client address behind a reverse proxy (issue 11, item 5)."""

import pytest
from django.test import RequestFactory

from ssqs_portal.clientip import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.2"


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # forged header ignored
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # client-written entry ignored
        (1, PROXY, "198.51.100.1:5555", "198.51.100.1"),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (1, PROXY, None, PROXY),  # no header: only the connecting address is known
        (1, PROXY, "not an address", PROXY),
        (2, PROXY, "198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, PROXY, "10.0.0.9", PROXY),  # fewer hops than proxies
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    settings, count, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from(remote, forwarded)) == expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "0"), ({"TRUSTED_PROXY_COUNT": "2"}, "2"), ({"AXES_PROXY_COUNT": "1"}, "1")],
)
def test_the_proxy_count_is_read_from_the_environment_under_both_names(env, expected):
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
        ],
        cwd=Path(__file__).resolve().parent.parent.parent,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "ssqs_portal.settings",
            "DEBUG": "1",
            **env,
        },
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr


def wrong_login(client, forwarded):
    return client.post(
        "/login/",
        {"username": "BBA0001", "password": "salah"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_one_proxy_a_lockout_stops_only_the_address_that_failed(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = wrong_login(client, "198.51.100.1")
    assert response.status_code == 429
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]
    # The coordinator at another address, through the same proxy, still logs in.
    response = client.post(
        "/login/",
        {"username": "BBA0001", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert response.status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_does_not_dodge_the_lockout(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3
    for i in range(3):
        response = wrong_login(client, f"198.51.100.{i}")
    assert response.status_code == 429
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
