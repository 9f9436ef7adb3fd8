"""The read API's documentation page in Chromium, under the portal's CSP.

Swagger UI comes from our own static files: the page lists the operations,
fetches the schema, and nothing is blocked by the Content-Security-Policy.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_csp_browser import watched  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_works_under_the_csp(watched, live_server):  # noqa: F811
    page, violations = watched
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/schools").first).to_be_visible()
    assert page.locator(".opblock").count() >= 14
    assert violations == []
    assert all(url.startswith(live_server.url) for url in requested), requested
