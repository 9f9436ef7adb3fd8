"""Back up the PostgreSQL database with pg_dump, and restore a backup with pg_restore.

`make backup` and `make restore FILE=...` call the `backup` and `restore`
commands, which call these functions; the backup drill (tests/test_backup.py)
calls them too. A backup is pg_dump's custom format (compressed, restorable
table by table), written to ``var/backups/ssqs-<UTC time>.dump``, readable by
its owner only (it holds personal data and password hashes).

The connection comes from the Django database settings (DATABASE_URL) and is
passed to the PostgreSQL tools through the PG* environment variables, so a
password never appears on a command line.
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP_MAGIC = b"PGDMP"  # the first bytes of every custom-format dump


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason."""


def database_settings(alias="default") -> dict:
    return connections[alias].settings_dict


def _require_postgresql(db: dict) -> None:
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL=postgres://...); this database is "
            f"{db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']}). A SQLite file can simply be copied."
        )


LIBPQ = {"NAME": "dbname", "HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}


def libpq_params(db: dict) -> dict:
    """Return libpq's connection parameters for a Django database entry."""
    params = {name: str(db[key]) for key, name in LIBPQ.items() if db.get(key)}
    if db.get("OPTIONS", {}).get("sslmode"):
        params["sslmode"] = db["OPTIONS"]["sslmode"]
    return params


def libpq_environment(db: dict) -> dict:
    """Return the environment for pg_dump/pg_restore to reach ``db`` (PGHOST, ...)."""
    names = {"dbname": "PGDATABASE"}  # the others are PG + the parameter's name
    params = libpq_params(db)
    return {**os.environ, **{names.get(k, f"PG{k.upper()}"): v for k, v in params.items()}}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return path


def _connect(db: dict):
    import psycopg

    try:
        return psycopg.connect(**libpq_params(db), autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise BackupError(f"Cannot connect to database {db['NAME']}: {exc}".strip()) from exc


def table_count(db: dict) -> int:
    """Return how many tables, views and sequences the database holds outside the catalogue."""
    with _connect(db) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
        ).fetchone()[0]


def dump(directory: Path | None = None, *, db: dict | None = None) -> Path:
    """Write a custom-format dump of the database and return its path.

    The dump is written beside its final name and renamed when pg_dump has
    succeeded, so a failed backup leaves no file that looks complete.
    """
    db = db or database_settings()
    _require_postgresql(db)
    pg_dump = _tool("pg_dump")
    directory = Path(directory or Path(settings.VAR_DIR) / "backups")
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"ssqs-{stamp}.dump"
    same_second = 1
    while path.exists() or path.with_name(path.name + ".partial").exists():
        same_second += 1
        path = directory / f"ssqs-{stamp}-{same_second}.dump"
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        result = subprocess.run(
            [pg_dump, "--format=custom", "--no-password"],
            stdout=out,
            stderr=subprocess.PIPE,
            env=libpq_environment(db),
            text=False,
        )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        message = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"pg_dump of {db['NAME']} failed: {message}")
    partial.replace(path)
    return path


def restore(path: Path, *, db: dict | None = None, force: bool = False) -> int:
    """Restore the dump at ``path`` into the database; return the tables it now holds.

    Refused unless the database is empty (created with createdb and nothing
    else), or ``force``: then every object the dump holds is dropped and
    recreated. Either way pg_restore runs in one transaction, so a failed
    restore changes nothing.
    """
    db = db or database_settings()
    _require_postgresql(db)
    pg_restore = _tool("pg_restore")
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as dump_file:
        if dump_file.read(len(DUMP_MAGIC)) != DUMP_MAGIC:
            raise BackupError(
                f"{path} is not a pg_dump custom-format backup (make backup writes those)."
            )
    existing = table_count(db)
    if existing and not force:
        raise BackupError(
            f"Database {db['NAME']} is not empty ({existing} tables and sequences). Restore "
            "into an empty database (createdb), or set FORCE=1 (--force) to replace what the "
            "backup holds."
        )
    command = [pg_restore, "--no-owner", "--single-transaction", "--exit-on-error"]
    if force:
        command += ["--clean", "--if-exists"]
    result = subprocess.run(
        [*command, "--dbname", str(db["NAME"]), str(path)],
        capture_output=True,
        env=libpq_environment(db),
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"pg_restore into {db['NAME']} failed, nothing changed: {message}")
    return table_count(db)
