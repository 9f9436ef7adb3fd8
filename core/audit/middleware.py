from ssqs_portal.clientip import client_ip

from .context import audit_context, set_actor


class AuditContextMiddleware:
    """Open the audit context of a request: actor, address, method and path.

    Placed after the authentication middleware; the user is read here (the
    forced-password-change middleware reads it for every request anyway), and
    a login during the request replaces the actor (``user_logged_in``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(ip=client_ip(request), method=request.method, path=request.path[:300]):
            set_actor(getattr(request, "user", None))
            return self.get_response(request)
