"""Reads of the API keys' pages."""

from .models import ApiCall, ApiKey

CALLS_SHOWN = 100


def key_list():
    return list(ApiKey.objects.select_related("created_by").order_by("revoked_at", "name", "pk"))


def key_get(pk: int):
    return ApiKey.objects.select_related("created_by").filter(pk=pk).first()


def key_calls(key, limit=CALLS_SHOWN):
    """The key's latest calls, newest first."""
    return list(ApiCall.objects.filter(key=key).order_by("-at", "-pk")[:limit])
