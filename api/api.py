"""The read API (/api/v1/): django-ninja, its OpenAPI 3 description generated from the code.

Every call goes through ``ReadApi``: the key (``KeyAuth``) or, on the public
endpoints, the address is rate-limited; the answer gets an ETag (304 on a
matching If-None-Match); errors are RFC 9457 problem details; the call is
logged (one INSERT into ``ApiCall``).
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from ssqs_portal.clientip import client_ip

from . import keys, throttle
from .models import ApiCall
from .problems import CONTENT_TYPE, Problem, problem_response, rate_limited, unauthorized

DESCRIPTION = """Read-only data of the SSQS Portal for the ministry's other systems.

**Keys.** Send `Authorization: Bearer <key>`. A key is made by a ministry administrator
for one system, in one unit (the nation `KPM`, a state or a district) and for some
programmes; it sees what an officer of that unit sees, for those programmes only.
The public endpoints (`/public/...`) need no key.

**Pages.** Lists are cursor pages in a stable order: follow `next` until it is null.
`limit` is 1 to 500 (100 by default). Resources with an update time take
`updated_since` (ISO 8601 with offset) for incremental pulls.

**Caching.** Every answer carries an `ETag`; send it back as `If-None-Match` to get
`304 Not Modified` when nothing changed.

**Limits.** Per key (9,000 calls in any 15 minutes) and, on the public endpoints, per
address (900); over the limit the answer is `429` with `Retry-After`.

**Errors** are RFC 9457 problem details (`application/problem+json`).
Times are ISO 8601 with their offset; labels come in Malay (`ms`) and English (`en`).
"""


class KeyAuth(HttpBearer):
    """Find the key (one query), count the call against its limit, act as its principal."""

    def authenticate(self, request, token):
        key = keys.find(token)
        if key is None:
            return None
        request.api_key = key  # the call is logged against it, a revoked key's too
        if key.revoked_at is not None:
            return None
        wait = throttle.take(f"key:{key.pk}", throttle.key_limit())
        if wait:
            raise rate_limited(wait)
        keys.touch(key)
        return keys.Principal(key)


def public_gate(request) -> None:
    """A public endpoint's rate limit: per client address."""
    wait = throttle.take(f"addr:{client_ip(request)}", throttle.public_limit())
    if wait:
        raise rate_limited(wait)


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in wanted


class Docs(Swagger):
    """Swagger UI from our own static files (ninja's wheel ships them): no CDN, and its
    settings in a json_script, so the page runs under the portal's CSP unchanged."""

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", {"swagger_config": settings, "api": api})


class ReadApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            etag = _etag(response.content)
            if _matches(request.headers.get("If-None-Match", ""), etag):
                response = HttpResponseNotModified()
            response["ETag"] = etag
        return self._finish(request, response)

    def on_exception(self, request, exc):
        return self._finish(request, super().on_exception(request, exc))

    def _finish(self, request, response):
        response.setdefault("Cache-Control", "private, no-cache")
        response.setdefault("Vary", "Authorization")
        if not getattr(request, "_api_logged", False):
            request._api_logged = True
            log_call(request, response.status_code)
        return response

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        # Problem details are served as application/problem+json (RFC 9457).
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for parameter in operation.get("parameters", ()):
                    _no_nul(parameter.get("schema", {}))
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if str(status).startswith("4") and content and "application/json" in content:
                        response["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


# No text parameter may carry a NUL (ssqs_portal.request_guard refuses it: 400).
NO_NUL = "^[^\\x00]*$"


def _no_nul(schema: dict) -> None:
    if schema.get("type") == "string" and "format" not in schema and "enum" not in schema:
        schema.setdefault("pattern", NO_NUL)
    for alternative in schema.get("anyOf", ()):
        _no_nul(alternative)


def log_call(request, status: int) -> None:
    """Record the call: one INSERT (the API's reads in the audit trail)."""
    key = getattr(request, "api_key", None)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # The request's transaction (ATOMIC_REQUESTS) commits without waiting for the
        # disk: a read's only write is this line (and last_used_at), and a crash may
        # lose the last fraction of a second of log lines, never corrupt anything.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    ApiCall.objects.create(
        key=key,
        at=timezone.now(),
        method=request.method[:8],
        path=request.get_full_path()[:500].replace("\x00", ""),
        status=status,
        address=client_ip(request)[:45],
    )


api = ReadApi(
    title="SSQS Portal read API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=KeyAuth(),
    docs=Docs(settings={"persistAuthorization": False}),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(request, exc.status, exc.detail, exc.headers, **exc.extra)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return unauthorized(request)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    parts = []
    for error in exc.errors[:10]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {error.get('msg', '')}" if where else str(error.get("msg", "")))
    return problem_response(request, 400, _("Invalid parameters.") + " " + "; ".join(parts)[:800])


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, 404, _("Nothing here, or not in this key's scope."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem_response(
        request, 403, _("This key's programmes or unit do not cover this resource.")
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(request, exc.status_code, str(exc.message))


from . import resources  # noqa: E402, F401  (registers the endpoints on ``api``)
