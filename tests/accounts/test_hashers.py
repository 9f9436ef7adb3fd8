"""The production password hasher: Argon2id at OWASP's cost, old hashes upgraded.

The suite hashes with MD5 for speed (tests/settings.py); these tests switch to
the production list explicitly.
"""

import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, identify_hasher
from django.test import override_settings

from accounts.hashers import OwaspArgon2idHasher
from accounts.models import User
from ssqs_portal import settings as production
from tests.factories import PASSWORD, coordinator_for, respondent_account_for

production_hashers = override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)


def old_pbkdf2_hash(password=PASSWORD):
    # A genuine PBKDF2 hash as Django made them; few iterations keep the test quick.
    return PBKDF2PasswordHasher().encode(password, "oldsaltoldsalt", iterations=1000)


def test_production_hashes_with_argon2id_at_owasps_parameters():
    assert production.PASSWORD_HASHERS[0] == "accounts.hashers.OwaspArgon2idHasher"
    with production_hashers:
        hasher = get_hasher()
        encoded = hasher.encode(PASSWORD, hasher.salt())
        assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert hasher.verify(PASSWORD, encoded)
        assert not hasher.must_update(encoded)


def test_one_hash_and_one_verify_cost_50_ms_of_cpu_or_less():
    hasher = OwaspArgon2idHasher()
    hashes, verifies = [], []
    for _ in range(7):
        start = time.process_time()
        encoded = hasher.encode(PASSWORD, hasher.salt())
        hashes.append(time.process_time() - start)
        start = time.process_time()
        assert hasher.verify(PASSWORD, encoded)
        verifies.append(time.process_time() - start)
    assert statistics.median(hashes) <= 0.050
    assert statistics.median(verifies) <= 0.050


@pytest.mark.django_db
@production_hashers
def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_the_next_login(world, client):
    user = coordinator_for(world.a)
    User.objects.filter(pk=user.pk).update(password=old_pbkdf2_hash())

    response = client.post("/login/", {"username": "BBA0001", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password(PASSWORD)
    # The session is bound to the new hash: the next page is served, not a login.
    assert client.get("/mydesktop/").status_code == 200


@pytest.mark.django_db
@production_hashers
def test_an_argon2_hash_with_other_parameters_is_upgraded_too(world, client):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = coordinator_for(world.a)
    django_default = Argon2PasswordHasher().encode(PASSWORD, "oldsaltoldsalt")
    User.objects.filter(pk=user.pk).update(password=django_default)

    client.post("/login/", {"username": "BBA0001", "password": PASSWORD})

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.django_db
@production_hashers
def test_a_wrong_password_leaves_the_old_hash_alone(world, client):
    user = coordinator_for(world.a)
    old = old_pbkdf2_hash()
    User.objects.filter(pk=user.pk).update(password=old)

    client.post("/login/", {"username": "BBA0001", "password": "salah"})

    user.refresh_from_db()
    assert user.password == old


@pytest.mark.django_db
@production_hashers
def test_concurrent_logins_on_a_shared_account_upgrade_the_hash_once(world):
    account = respondent_account_for(world.a)
    User.objects.filter(pk=account.pk).update(password=old_pbkdf2_hash())
    # Two logins of the school's lab read the old hash before either upgrades.
    first, second = User.objects.get(pk=account.pk), User.objects.get(pk=account.pk)

    assert first.check_password(PASSWORD)
    assert second.check_password(PASSWORD)

    stored = User.objects.get(pk=account.pk).password
    assert stored.startswith("argon2$") and first.password == second.password == stored
    # Both sessions are bound to the same hash, so neither logs the other out.
    assert first.get_session_auth_hash() == second.get_session_auth_hash()
