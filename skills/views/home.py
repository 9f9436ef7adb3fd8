"""Where skills certification's people land: each goes to where they work.

The body's certification officer to the accreditations, a verifier (PPL) to
the intakes assigned to them, a centre's staff to their centre (the list of
them for an assessor working for several), a trainee to their own page.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path

from core.people import access

from ..access import centres_for
from ..models import Trainee


def landing(user) -> str | None:
    """Return the URL name (and args) a skills person starts from, or None."""
    if access.can(user, "skills.accreditation.decide"):
        return ("skills:accreditations", ())
    if access.can(user, "skills.verify"):
        return ("skills:verifications", ())
    centres = list(centres_for(user, "skills.centre.view").order_by("code")[:2])
    if len(centres) == 1:
        return ("skills:centre", (centres[0].code,))
    if centres:
        return ("skills:home", ())
    if Trainee.objects.filter(user=user).exists():
        return ("skills:me", ())
    return None


@login_required
def home(request):
    found = landing(request.user)
    if found is None:
        raise PermissionDenied
    name, args = found
    if name != "skills:home":
        return redirect(name, *args)
    centres = centres_for(request.user, "skills.centre.view").order_by("code")
    return render(request, "skills/home.html", {"centres": centres})


urlpatterns = [path("kemahiran/", home, name="home")]
