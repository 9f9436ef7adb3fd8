"""The Malay catalogue is complete: every string in the code is translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    "manage.py",
    "ssqs_portal",
    "accounts",
    "schools",
    "surveys",
    "pibk",
    "monitoring",
    "templates",
    "locale",
]


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools are not installed")
def test_every_string_has_a_malay_translation(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ms",
            "--no-obsolete",
            "-v0",
            "--settings=tests.settings",
        ],
        cwd=tmp_path,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    po = tmp_path / "locale" / "ms" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert untranslated.count("msgid ") <= 1, "untranslated:\n" + untranslated
    assert fuzzy.count("msgid ") <= 1, "fuzzy:\n" + fuzzy
