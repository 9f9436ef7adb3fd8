"""Headers every response carries, in production and in development mode alike."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

CSP_MUST = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
]


def _directives(response):
    return [d.strip() for d in response["Content-Security-Policy"].split(";")]


@pytest.mark.parametrize("debug", [False, True])
def test_every_page_has_a_strict_csp_and_a_permissions_policy(world, login, debug):
    with override_settings(DEBUG=debug):
        for user, url in ((None, "/login/"), (world.users["coord_a"], "/mydesktop/")):
            response = login(user).get(url)
            assert response.status_code == 200
            directives = _directives(response)
            for directive in CSP_MUST:
                assert directive in directives, (url, directive)
            assert "unsafe-inline" not in response["Content-Security-Policy"]
            assert "unsafe-eval" not in response["Content-Security-Policy"]
            policy = response["Permissions-Policy"]
            for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
                assert feature in policy


@pytest.mark.parametrize("debug", [False, True])
def test_signed_in_pages_are_not_stored_by_any_cache(world, login, debug):
    with override_settings(DEBUG=debug):
        client = login(world.users["coord_a"])
        for url in ("/mydesktop/", "/sekolah/BBA0001/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "no-store, private", url


def test_a_pdf_is_not_stored_by_any_cache(world, real_cycle, login):
    response = login(world.users["coord_a"]).get("/ssqs/responden/slip.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"


def test_no_template_carries_an_inline_script_handler_or_style():
    """What the CSP would block in a browser: inline <script>, on*= handlers, style=."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        if "pdf" in path.parts or path.name == "pdf_base.html":
            continue  # printed by WeasyPrint on the server, never shown by a browser
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+=", r"\sstyle=", r"hx-on"):
            offenders += [f"{path.relative_to(root)}: {m}" for m in re.findall(pattern, text)]
    assert offenders == []
