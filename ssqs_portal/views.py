import hmac
import logging
import sys
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# How long the "try again in a moment" page asks a client to wait.
RETRY_AFTER_SECONDS = 30


@login_required
def home(request):
    """Send each user to where they work: MyDesktop, Pilih Responden, or their first node page."""
    from core.people import access

    from . import registry
    from .context_processors import nav_links

    user = request.user
    if access.school_codes(user, "desktop.view"):
        return redirect("schools:mydesktop")
    if access.can(user, "ssqs.answer"):
        return redirect("surveys:choose_respondent")
    # Officers land where they work: the first programme page registered for
    # them (monitoring, "Pemantauan"), the school list only without one.
    node_pages = nav_links(user, "node")
    if node_pages:
        return redirect(node_pages[0][1])
    if access.can(user, "schools.list"):
        return redirect("schools:list")
    anywhere = nav_links(user, "anywhere")
    if anywhere:
        return redirect(anywhere[0][1])
    for landing in registry.LANDINGS:
        found = landing(user)
        if found is not None:
            return redirect(found[0], *found[1])
    return render(request, "home.html")


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and other clients ask for on their own: the static icon."""
    response = redirect(static("favicon.ico"), permanent=True)
    response["Cache-Control"] = "public, max-age=86400"
    return response


# The worker's heartbeat (ssqs_portal.tasks.heartbeat, sent by beat every
# minute) older than this means no worker is taking tasks.
HEARTBEAT_STALE_SECONDS = 3 * 60


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache():
    cache.set("health-check", "1", 10)
    if cache.get("health-check") != "1":
        raise RuntimeError("cache did not return what was written")
    return "ok"


def _check_broker():
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from ssqs_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _worker():
    """The worker's last heartbeat: its age in seconds and whether it is recent enough."""
    if not settings.CELERY_BROKER_URL:
        return {"status": "eager"}  # tasks run in the web process: no worker to watch
    from ssqs_portal.tasks import HEARTBEAT_KEY

    beat = cache.get(HEARTBEAT_KEY)
    age = None if beat is None else max(0, round(time.time() - beat))
    fresh = age is not None and age <= HEARTBEAT_STALE_SECONDS
    return {"status": "ok" if fresh else "stale", "last_heartbeat_seconds": age}


def _may_see_detail(request):
    """The load balancer's token, or a signed-in administrator."""
    token = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return request.user.is_authenticated and request.user.is_staff
    except DatabaseError:
        return False  # the session cannot be read: answer as to a stranger


@transaction.non_atomic_requests
@never_cache
@require_GET
def health(request):
    """Up or down for anyone; for the token or an admin, each part and the worker's heartbeat.

    Not inside ATOMIC_REQUESTS: a database that is down must give this JSON 503,
    not the error page of a transaction that could not be opened.
    """
    checks, healthy = {}, True
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports any failure
            logger.warning("health check %s failed: %s", name, exc)
            checks[name] = "error"
            healthy = False
    try:
        checks["worker"] = _worker()
    except Exception as exc:  # noqa: BLE001
        logger.warning("health check worker failed: %s", exc)
        checks["worker"] = {"status": "error"}
    status = 200 if healthy else 503
    if not _may_see_detail(request):
        return JsonResponse({"status": "ok" if healthy else "unavailable"}, status=status)
    if not healthy:
        overall = "unavailable"
    elif checks["worker"]["status"] in ("ok", "eager"):
        overall = "ok"
    else:
        overall = "degraded"  # pages work; queued work (roll-ups, certificates) waits
    return JsonResponse({"status": overall, **checks}, status=status)


def error_403(request, exception=None):
    # A refusal that says why (skills.access.NotApproved) shows its message.
    reason = getattr(exception, "message_shown", "")
    link = getattr(exception, "link_shown", None)  # (url name, label): where to go instead
    context = {"reason": reason}
    if link:
        context["reason_link"], context["reason_label"] = reverse(link[0]), link[1]
    return render(request, "403.html", context, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """The error page; a database that cannot be reached gets "try again in a moment" (503)."""
    # No context processors: the failure may be in one of them.
    from django.http import HttpResponseServerError
    from django.template import loader

    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        if request.path == reverse("health"):
            response = JsonResponse({"status": "unavailable"}, status=503)
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
