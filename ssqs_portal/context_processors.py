from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.people import access

from . import registry


def nav_links(user, place):
    """Return the registered (label, url name) links ``user`` may use in ``place``."""
    holds = {"school": access.school_codes, "node": access.home_node}.get(place, access.can)
    # The same link registered for two acts (a PP who is also a PPL) shows once.
    return list(dict.fromkeys((label, name) for act, where, label, name in registry.NAV
                              if where == place and holds(user, act)))  # fmt: skip


def navigation(request):
    """Return the navigation links of what the user may do (the access rule decides)."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated and not user.must_change_password:
        if access.school_codes(user, "desktop.view"):
            items.append((_("MyDesktop"), reverse("schools:mydesktop")))
        items += [(label, reverse(name)) for label, name in nav_links(user, "school")]
        # The programmes' pages first (monitoring is where officers land).
        items += [(label, reverse(name)) for label, name in nav_links(user, "node")]
        items += [(label, reverse(name)) for label, name in nav_links(user, "anywhere")]
        if access.can(user, "schools.list"):
            items.append((_("Schools"), reverse("schools:list")))
        if user.is_staff and access.can(user, "officers.manage"):
            items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items}
