"""The client's address, behind a configured number of trusted reverse proxies.

One function for every per-address rule (django-axes' login lockout and the
tag throttle), so both see the same client. With ``TRUSTED_PROXY_COUNT = 0``
(no proxy) it is ``REMOTE_ADDR`` and any X-Forwarded-For is ignored, since a
client can write that header itself. With N proxies, each appends the address
it received the request from, so the client is the N-th entry from the right
of X-Forwarded-For; entries further left were written by the client and are
never trusted. python-ipware does the parsing (ports, IPv6, IPv4-mapped).
"""

from functools import cache

from django.conf import settings
from python_ipware import IpWare


@cache
def _resolver(proxy_count: int) -> IpWare:
    # python-ipware counts the proxies listed *in* the header; the last proxy
    # is REMOTE_ADDR and is not in it, hence N - 1.
    return IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxy_count - 1)


def client_ip(request) -> str:
    """Return the client address of ``request`` as text ('' if unknown)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    ip, _trusted = _resolver(count).get_client_ip(request.META)
    # Too few hops in the header: the request did not come through every
    # proxy, so the only address we know is the connecting one.
    return str(ip) if ip is not None else remote
