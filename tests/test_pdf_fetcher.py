"""Printing reads the portal's own static files and nothing from the network."""

import pytest
from django.conf import settings

from ssqs_portal.pdf import _local_only_fetcher


def test_a_static_file_is_read_from_disk_while_printing():
    response = _local_only_fetcher().fetch(f"http://testserver{settings.STATIC_URL}favicon.ico")
    body = response.read() if hasattr(response, "read") else response.body
    assert body and len(body) > 100


@pytest.mark.parametrize(
    "url", ["https://example.org/logo.png", "http://10.0.0.1/x.css", "file:///etc/passwd"]
)
def test_anything_else_is_refused_while_printing(url):
    with pytest.raises(ValueError, match="refusing to fetch"):
        _local_only_fetcher().fetch(url)


def test_a_page_with_a_static_image_prints(rf):
    from weasyprint import HTML

    from ssqs_portal.pdf import Document, render_pdf_bytes  # noqa: F401

    html = f'<img src="{settings.STATIC_URL}favicon.ico"><p>Sijil</p>'
    pdf = HTML(string=html, base_url="http://testserver/", url_fetcher=_local_only_fetcher())
    assert pdf.write_pdf().startswith(b"%PDF")
