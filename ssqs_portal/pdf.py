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
    return HTML(string=html, base_url=base_url, url_fetcher=_local_only_fetcher()).write_pdf()


def document_response(document: Document) -> HttpResponse:
    """Return the document as an inline ``application/pdf`` response."""
    response = HttpResponse(document.data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Cache-Control"] = "no-store, private"  # a school's data: never kept by a cache
    return response


def _local_only_fetcher():
    """Return a WeasyPrint URL fetcher that reads our own static files and data: URLs only.

    WeasyPrint 70 takes a ``URLFetcher`` instance (a plain function fails on
    the first resource it is asked for), so the rule lives in a subclass.
    """
    from django.contrib.staticfiles import finders
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            marker = settings.STATIC_URL
            if marker in url:
                path = finders.find(url.split(marker, 1)[1].split("?")[0])
                if path:
                    return super().fetch(f"file://{path}", headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"refusing to fetch {url} while printing")

    return LocalOnlyFetcher()
