from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import registry


def navigation(request):
    """Return the navigation links that fit the user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated and not user.must_change_password:
        if user.is_coordinator:
            items = [(_("MyDesktop"), reverse("schools:mydesktop"))]
            items += _extra("coordinator")
        elif user.is_respondent_account:
            items = _extra("respondent")
        elif user.is_officer or user.is_ministry_admin:
            # The programmes' pages first (monitoring is where officers land).
            items = _extra("officer") + [(_("Schools"), reverse("schools:list"))]
            if user.is_ministry_admin and user.is_staff:
                items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items}


def _extra(role):
    return [(label, reverse(name)) for label, name in registry.NAV[role]]
