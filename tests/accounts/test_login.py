import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import PASSWORD, coordinator_for


def post_login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def test_a_coordinator_logs_in_with_the_school_code_in_any_case(world, client):
    response = post_login(client, "bba0001")
    assert response.status_code == 302
    assert client.get("/").url == reverse("schools:mydesktop")


def test_a_wrong_password_says_so_without_saying_which(world, client):
    response = post_login(client, "BBA0001", "salah")
    assert response.status_code == 200
    assert "wrong" in response.content.decode() or "salah" in response.content.decode()


def test_each_role_lands_on_its_home(world, login):
    assert login(world.users["officer_d1"]).get("/").url == "/pemantauan/"
    assert login(world.users["coord_a"]).get("/").url == "/mydesktop/"


def test_a_default_password_must_be_changed_before_anything_else(world, client):
    user = coordinator_for(world.a)
    user.must_change_password = True
    user.save()
    post_login(client, "BBA0001")
    assert client.get("/mydesktop/").url == "/password/"
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Sekolah-Baru-2026!",
            "new_password2": "Sekolah-Baru-2026!",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Sekolah-Baru-2026!")
    assert client.get("/mydesktop/").status_code == 200


def test_repeated_failures_lock_the_account_with_a_clear_message(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = post_login(client, "BBA0001", "salah")
    assert response.status_code == 429
    assert 'data-lockout="true"' in response.content.decode()
    # Even the right password is refused while locked, in any case of the code.
    assert post_login(client, "bba0001").status_code == 429


def test_logout_is_a_post(world, login):
    client = login(world.users["coord_a"])
    assert client.post("/logout/").status_code == 302
    assert client.get("/mydesktop/").status_code == 302


def test_language_switch_to_english_and_back(world, login):
    client = login(world.users["coord_a"])
    assert "Log keluar" in client.get("/mydesktop/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/mydesktop/"})
    assert "Log out" in client.get("/mydesktop/").content.decode()


def test_create_officer_scopes_to_a_node(world):
    call_command(
        "create_officer",
        "ppd.petaling",
        "--level",
        "district",
        "--node",
        "sgr-petaling",
        "--password",
        "Pegawai-2026!",
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="ppd.petaling")
    grants = list(user.grants.values_list("role", "unit_kind", "unit_code", "programmes"))
    assert grants == [("officer", "district", world.d1.code, [])] and user.must_change_password
    with pytest.raises(CommandError, match="No district"):
        call_command(
            "create_officer", "x", "--level", "district", "--node", "NOWHERE", "--password", "p"
        )
    with pytest.raises(CommandError, match="needs --node"):
        call_command("create_officer", "y", "--level", "state", "--password", "p")


def test_health_reports_each_service_to_the_load_balancer(db, client, settings):
    settings.HEALTH_TOKEN = "lb-token"
    data = client.get("/health/", headers={"Authorization": "Bearer lb-token"}).json()
    assert data["status"] == "ok"
    assert (data["database"], data["cache"], data["broker"]) == ("ok", "ok", "eager")


def test_friendly_404(world, login):
    response = login(world.users["coord_a"]).get("/tiada/")
    assert response.status_code == 404 and 'data-error="404"' in response.content.decode()


def test_health_says_which_service_is_down(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.HEALTH_TOKEN = "lb-token"
    from ssqs_portal.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        anonymous = client.get("/health/")
        detail = client.get("/health/", headers={"Authorization": "Bearer lb-token"})
    finally:
        app.conf.broker_url = ""
    assert anonymous.status_code == 503
    assert anonymous.json() == {"status": "unavailable"}
    assert detail.status_code == 503
    data = detail.json()
    assert (data["database"], data["cache"], data["broker"]) == ("ok", "ok", "error")
