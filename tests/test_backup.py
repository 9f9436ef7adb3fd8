"""The backup drill: back up, restore into a fresh database, same ratings.

`make backup` / `make restore FILE=...` run the `backup` and `restore`
commands, which call ssqs_portal/backup.py; these tests run those commands and
functions against the test database and a database created for the drill.
"""

import os
import secrets
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ssqs_portal.backup import BackupError, _connect, dump, restore
from surveys.models import Rating
from surveys.selectors import ratings_fingerprint
from tests.surveys.conftest import complete, respondents


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (CI runs it; set DATABASE_URL)")


@pytest.fixture
def fresh_database(postgresql):
    """An empty database beside the test database, dropped afterwards."""
    from psycopg import sql

    source = connection.settings_dict
    target = {**source, "NAME": f"{source['NAME']}_drill_{secrets.token_hex(4)}"}
    with _connect({**source, "NAME": "postgres"}) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target["NAME"])))
    yield target
    with _connect({**source, "NAME": "postgres"}) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(target["NAME"])
            )
        )


@pytest.fixture
def rated_world(postgresql, mini_cycle, world):
    """School C complete (final), one teacher of A (provisional), B not started."""
    for respondent in respondents(mini_cycle, world.c).select_related("cycle", "school"):
        complete(respondent)
    complete(respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school").first())
    call_command("recompute_ratings", "--cycle", "2026", stdout=open(os.devnull, "w"))  # noqa: SIM115
    statuses = dict(Rating.objects.values_list("school__code", "status"))
    assert statuses["ABA0003"] == "final" and statuses["BBA0001"] == "provisional"
    return mini_cycle


def restored_fingerprint(db):
    with _connect(db) as conn, conn.cursor() as cursor:
        return ratings_fingerprint(cursor, with_times=True)


def counts(db=None):
    query = "SELECT (SELECT count(*) FROM surveys_answer), (SELECT count(*) FROM accounts_user)"
    if db is None:
        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchone()
    with _connect(db) as conn:
        return conn.execute(query).fetchone()


def test_a_backup_restored_into_a_fresh_database_has_the_same_ratings(
    rated_world, fresh_database, tmp_path, capsys
):
    before = ratings_fingerprint(with_times=True)

    call_command("backup", "--dir", str(tmp_path))
    path = tmp_path / capsys.readouterr().out.strip().rsplit("/", 1)[-1]
    restore(path, db=fresh_database)

    assert restored_fingerprint(fresh_database) == before
    assert counts(fresh_database) == counts()
    # The fingerprint sees a changed rating, so the equality above means something.
    Rating.objects.filter(school__code="BBA0001").update(score=99)
    assert ratings_fingerprint(with_times=True) != before


def test_a_backup_is_a_custom_format_dump_only_its_owner_can_read(rated_world, tmp_path):
    path = dump(tmp_path)
    assert path.parent == tmp_path and path.name.startswith("ssqs-") and path.suffix == ".dump"
    assert path.read_bytes()[:5] == b"PGDMP"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert dump(tmp_path) != path  # a second backup in the same second keeps the first
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    rated_world, fresh_database, tmp_path
):
    path = dump(tmp_path)
    restore(path, db=fresh_database)
    before = restored_fingerprint(fresh_database)
    with _connect(fresh_database) as conn:
        conn.execute("UPDATE surveys_rating SET score = 1")

    with pytest.raises(BackupError, match="is not empty"):
        restore(path, db=fresh_database)
    assert restored_fingerprint(fresh_database) != before  # untouched by the refusal

    restore(path, db=fresh_database, force=True)
    assert restored_fingerprint(fresh_database) == before


def test_the_restore_command_refuses_the_live_database_and_names_the_remedy(rated_world, tmp_path):
    path = dump(tmp_path)
    before = ratings_fingerprint(with_times=True)
    with pytest.raises(CommandError, match="FORCE=1"):
        call_command("restore", str(path))
    assert ratings_fingerprint(with_times=True) == before


def test_restore_refuses_a_file_that_is_not_a_backup(fresh_database, tmp_path):
    bogus = tmp_path / "notes.dump"
    bogus.write_text("not a dump")
    with pytest.raises(BackupError, match="not a pg_dump custom-format backup"):
        restore(bogus, db=fresh_database)
    with pytest.raises(BackupError, match="does not exist"):
        restore(tmp_path / "missing.dump", db=fresh_database)


def test_a_backup_of_sqlite_says_it_needs_postgresql(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
    with pytest.raises(BackupError, match="need PostgreSQL"):
        dump(tmp_path, db=sqlite)
    assert not list(tmp_path.iterdir())
