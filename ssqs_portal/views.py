import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Send each user to the start page of their role."""
    user = request.user
    if user.is_coordinator:
        return redirect("schools:mydesktop")
    if user.is_respondent_account:
        return redirect("surveys:choose_respondent")
    if user.is_officer or user.is_ministry_admin:
        return redirect("schools:list")
    return render(request, "home.html")


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


@never_cache
@require_GET
def health(request):
    """Report whether the database, the cache and the broker answer."""
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
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors: the failure may be in one of them.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
