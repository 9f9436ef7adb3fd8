"""Cursor pages: stable ordering by a unique key, an opaque cursor naming the last row.

The cursor is the last row's ordering key (e.g. a school code), signed and
base64-encoded so that a client cannot forge a position into another query
(the scope is applied again on every page anyway). A page asks the database
for ``limit + 1`` rows to know whether there is a next one: one query per page
whatever its position (keyset, not OFFSET, so the 100th page costs the same
as the first).
"""

from django.core import signing
from django.utils.translation import gettext as _

from .problems import Problem

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
SALT = "api.cursor"


def encode(value: str, resource: str) -> str:
    return signing.dumps([resource, value], salt=SALT, compress=False)


def decode(cursor: str | None, resource: str) -> str | None:
    if not cursor:
        return None
    try:
        found = signing.loads(cursor[:300], salt=SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        found = None
    if (
        not isinstance(found, list)
        or len(found) != 2
        or found[0] != resource
        or not isinstance(found[1], str)
    ):
        raise Problem(400, _("The cursor is not one this API gave: start again without it."))
    return found[1]


def page(
    request, rows, *, key: str, resource: str, limit: int, cursor: str | None, build, cast=str
):
    """Return {"items": [...], "next": url|None, "next_cursor": str|None} of ``rows``.

    ``rows`` is a queryset; ``key`` the unique field it is ordered by (a path
    such as ``school__code``); ``build`` turns a row into an item.
    """
    after = decode(cursor, resource)
    if after is not None:
        try:
            after = cast(after)
        except ValueError:
            raise Problem(
                400, _("The cursor is not one this API gave: start again without it.")
            ) from None
        rows = rows.filter(**{f"{key}__gt": after})
    found = list(rows.order_by(key)[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    items = [build(row) for row in found]
    next_cursor = None
    next_url = None
    if more:
        last = found[-1]
        if isinstance(last, dict):  # rows read with .values(): the key is one of them
            last = last[key]
        else:
            for part in key.split("__"):
                last = getattr(last, part)
        next_cursor = encode(str(last), resource)
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": items, "next": next_url, "next_cursor": next_cursor}
