"""The page language: Malay unless the person chose English.

Django's LocaleMiddleware also follows the browser's Accept-Language, so a
first visit from a browser set to English would open in English. The portal
is Malay first: only the choice made with the language button (Django's
set_language view, which stores it in the LANGUAGE_COOKIE_NAME cookie for
LANGUAGE_COOKIE_AGE) changes the language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_from_cookie(request) -> str:
    """Return the language chosen in the cookie, else LANGUAGE_CODE (never Accept-Language)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Activate the chosen language for the request; in place of LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(language_from_cookie(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
