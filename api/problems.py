"""Errors as RFC 9457 problem details (``application/problem+json``)."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://ssqs.moe.gov.my/api/problems/"

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    429: "Too many requests",
}
TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    429: "rate-limited",
}


class Problem(Exception):
    """Raise to answer with a problem: ``status``, ``detail`` and extra headers."""

    def __init__(self, status: int, detail: str, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(request, status: int, detail: str, headers=None, **extra) -> HttpResponse:
    body = {
        "type": TYPE_BASE + TYPES.get(status, "error"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.get_full_path()[:500],
        **extra,
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def unauthorized(request) -> HttpResponse:
    return problem_response(
        request,
        401,
        _("Send a valid, unrevoked API key as 'Authorization: Bearer <key>'."),
        {"WWW-Authenticate": 'Bearer realm="ssqs-api"'},
    )


def rate_limited(wait: int) -> Problem:
    return Problem(
        429,
        _("Too many calls: try again in %(s)d seconds.") % {"s": wait},
        {"Retry-After": str(wait)},
        retry_after=wait,
    )
