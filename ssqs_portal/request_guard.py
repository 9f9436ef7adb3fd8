"""Refuse a request whose address or query carries a NUL character.

No page of the portal has a use for NUL (U+0000) in a path or a query
parameter, and PostgreSQL cannot hold it in text: left alone, a `%00` in a
search box or a school code surfaces as a database error (a 500) deep inside
whatever view reads it. Refusing it here, once, with a 400 that names the
parameter, keeps every present and future view safe. Form fields are checked
by the forms themselves (Django's CharField refuses NUL with a message beside
the field), so a POST body is left to them.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


class NulGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            if request.path.startswith("/api/"):  # the read API answers in problem details
                from api.problems import problem_response

                return problem_response(request, 400, problem)
            return render(request, "400.html", {"problem": problem}, status=400)
        return self.get_response(request)

    @staticmethod
    def problem(request):
        """Return a sentence naming where the NUL is, or an empty string."""
        if NUL in request.path:
            return _("The address contains a NUL character.")
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return _("The parameter “%(name)s” contains a NUL character.") % {
                    "name": name.replace(NUL, "")[:40]
                }
        return ""
