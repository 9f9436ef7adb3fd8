"""The portal has a favicon; the browser's own /favicon.ico finds it (issue 13, item 22)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.factories import coordinator_for


@pytest.mark.django_db
def test_every_page_links_the_favicon_and_it_exists(client):
    page = client.get("/login/").content.decode()
    links = re.findall(r'<link rel="icon" href="/static/(favicon\.\w+)"', page)
    assert links == ["favicon.svg", "favicon.ico"]
    for name in links:
        assert finders.find(name), name
    assert Path(finders.find("favicon.svg")).read_text().startswith("<svg")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


@pytest.mark.django_db
def test_the_browsers_own_favicon_request_does_not_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"


@pytest.mark.django_db
def test_the_favicon_is_reachable_before_a_forced_password_change(world, client):
    user = coordinator_for(world.a)
    user.must_change_password = True
    user.save()
    client.force_login(user)
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.ico"
