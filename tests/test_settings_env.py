"""The settings as a newcomer and as a deployment meet them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=120,
    )


def test_debug_asked_for_runs_manage_py_on_the_first_look_defaults():
    # What the make targets and the first look do: DEBUG=1 and nothing else.
    result = manage("makemigrations", "--check", "--dry-run", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_bare_environment_is_not_debug_and_asks_for_its_secret_key():
    # Forgetting DATABASE_URL (or everything) must not silently switch DEBUG on.
    result = manage("check", env={})
    assert result.returncode != 0
    assert "Configuration error: Set the SECRET_KEY environment variable" in result.stderr
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_migration_check_runs_in_a_bare_checkout_but_serving_still_needs_a_secret():
    # makemigrations/makemessages only write source files: no secret to sign with.
    result = manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    for command in ("check", "runserver", "migrate", "shell"):
        result = manage(command, env={})
        assert result.returncode != 0, command
        assert "Set the SECRET_KEY environment variable" in result.stderr, command


def test_a_deployment_without_a_secret_key_is_told_so_plainly():
    result = manage("check", env={"DATABASE_URL": "sqlite:////tmp/ssqs-settings-test.sqlite3"})
    assert result.returncode != 0
    assert "Configuration error: Set the SECRET_KEY environment variable" in result.stderr
    assert "Models aren't loaded" not in result.stderr


def test_the_settings_flag_is_honoured_before_anything_is_loaded():
    # `make test` runs this with CI's DATABASE_URL exported and no SECRET_KEY.
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        "--settings=tests.settings",
        env={"DEBUG": "0", "DATABASE_URL": "sqlite:////tmp/ssqs-settings-test.sqlite3"},
    )
    assert result.returncode == 0, result.stderr
