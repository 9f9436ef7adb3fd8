"""/health/: up or down for anyone, the detail for the load balancer and admins.

The database-down tests point the connection at a real dead target (a closed
port on PostgreSQL, an unopenable file on SQLite): a refused connection, as in
production, not a mock.
"""

import time
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client, override_settings

from ssqs_portal.tasks import HEARTBEAT_KEY, heartbeat

TOKEN = "lb-token-0123456789abcdef"


@pytest.fixture
def health_token(settings):
    settings.HEALTH_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@contextmanager
def database_down():
    """The default connection refuses inside the block; the real one is kept aside."""
    saved = (connection.settings_dict, connection.connection)
    dead = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        dead.update(HOST="127.0.0.1", PORT="1")
    else:
        dead.update(NAME="/nonexistent-ssqs-dir/down.sqlite3")
    connection.settings_dict, connection.connection = dead, None
    try:
        yield
    finally:
        connection.settings_dict, connection.connection = saved


def test_a_stranger_learns_only_up_or_down(db, client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_load_balancers_token_sees_each_part(db, client, health_token):
    body = client.get("/health/", **health_token).json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["cache"] == "ok" and body["broker"] == "eager"
    assert body["worker"] == {"status": "eager"}
    wrong = client.get("/health/", HTTP_AUTHORIZATION="Bearer not-the-token").json()
    assert wrong == {"status": "ok"}


def test_no_token_configured_means_no_token_is_accepted(db, client, settings):
    settings.HEALTH_TOKEN = ""
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_an_administrator_sees_the_detail_and_a_coordinator_does_not(world, login):
    assert "database" in login(world.users["admin"]).get("/health/").json()
    assert login(world.users["coord_a"]).get("/health/").json() == {"status": "ok"}


@override_settings(CELERY_BROKER_URL="memory://")
def test_a_dead_worker_makes_the_detail_degraded_but_the_site_stays_up(db, client, health_token):
    from django.core.cache import cache

    cache.delete(HEARTBEAT_KEY)
    body = client.get("/health/", **health_token).json()
    assert body["status"] == "degraded"
    assert body["worker"] == {"status": "stale", "last_heartbeat_seconds": None}
    cache.set(HEARTBEAT_KEY, time.time() - 600)
    response = client.get("/health/", **health_token)
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert response.json()["worker"]["last_heartbeat_seconds"] >= 600
    assert client.get("/health/").json() == {"status": "ok"}  # the load balancer keeps us
    heartbeat()
    body = client.get("/health/", **health_token).json()
    assert body["status"] == "ok" and body["broker"] == "ok"
    assert body["worker"]["status"] == "ok" and body["worker"]["last_heartbeat_seconds"] < 5


def test_beat_sends_the_heartbeat_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="ssqs_portal.tasks.heartbeat")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_health_answers_json_503(health_token):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/health/")
        detail = client.get("/health/", **health_token).json()
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable"}
    assert detail["status"] == "unavailable" and detail["database"] == "error"
    assert detail["cache"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_people_get_the_try_again_page(world):
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(world.users["coord_a"])
    stranger = Client(raise_request_exception=False)
    with database_down():
        responses = [
            signed_in.get("/mydesktop/"),  # the session cannot be read
            stranger.post("/login/", {"username": "BBA0001", "password": "x"}),  # ATOMIC_REQUESTS
        ]
    for response in responses:
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        content = response.content.decode()
        assert 'data-error="503"' in content and "Perkhidmatan tidak tersedia" in content
