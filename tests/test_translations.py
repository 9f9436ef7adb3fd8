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
    "core",
    "pasr",
    "skills",
    "spmi",
    "api",
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


def test_no_module_hides_gettext_under_a_name_makemessages_does_not_read():
    """`gettext_lazy as _lazy` strings are never extracted, so they lose their Malay at
    the next `make messages` (the monitoring export headers did). Use the usual names."""
    import re

    known = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
             "pgettext_lazy", "gettext_noop", "N_"}  # fmt: skip
    alias = re.compile(r"import .*\b(?:n|p)?gettext(?:_lazy|_noop)? as (\w+)")
    wrong = []
    for name in SOURCES:
        for path in (ROOT / name).rglob("*.py") if (ROOT / name).is_dir() else []:
            for found in alias.findall(path.read_text(encoding="utf-8")):
                if found not in known:
                    wrong.append(f"{path.relative_to(ROOT)}: as {found}")
    assert not wrong, wrong
