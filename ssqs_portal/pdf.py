"""Printable documents: one template rendered to PDF by WeasyPrint."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Document:
    """A printed document: its PDF bytes and the file name it is offered under."""

    data: bytes
    filename: str


def render_pdf_bytes(template: str, context: dict, request=None) -> bytes:
    """Return ``template`` rendered with ``context`` as PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url, url_fetcher=_local_only).write_pdf()


def document_response(document: Document) -> HttpResponse:
    """Return the document as an inline ``application/pdf`` response."""
    response = HttpResponse(document.data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Cache-Control"] = "no-store, private"  # a school's data: never kept by a cache
    return response


def _local_only(url, *args, **kwargs):
    """Fetch only our own static files from disk; never the network."""
    from django.contrib.staticfiles import finders
    from weasyprint.urls import default_url_fetcher

    marker = settings.STATIC_URL
    if marker in url:
        path = finders.find(url.split(marker, 1)[1].split("?")[0])
        if path:
            return default_url_fetcher(f"file://{path}")
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"refusing to fetch {url} while printing")
