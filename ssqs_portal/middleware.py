"""Response headers every page gets, whatever the mode (DEBUG or not)."""

from django.conf import settings

# The browser features the portal never uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Set Permissions-Policy on every response, and keep signed-in pages out of caches.

    A response for a signed-in user (a page, an export, a PDF) says
    ``Cache-Control: no-store, private`` unless its view chose otherwise, so a
    shared computer's back button or a proxy never shows one school's data to
    the next person. Static files are served by WhiteNoise before this runs and
    keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response and _signed_in(request):
            response["Cache-Control"] = "no-store, private"
        return response


def _signed_in(request):
    # A session cookie first: it needs no database, and a user is signed in only with one.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    try:
        return bool(user and user.is_authenticated)
    except Exception:  # noqa: BLE001 - the database is down: treat it as signed in
        return True
