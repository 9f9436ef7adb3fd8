"""What PIBK adds to the shared pages (see ssqs_portal.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def desktop_cards(request, school):
    return [
        {
            "key": "pibk",
            "act": "pibk.view",
            "icon": "bi-people-fill",
            "url": reverse("pibk:school", args=[school.code]),
            "title": _("PIBK: parents"),
            "text": _(
                "Parent attendance at the six activities, volunteering, and the school's KPIs."
            ),
        }
    ]


def school_panels(request, school):
    from core.people.access import can

    from .selectors import school_year_for
    from .services import today

    if not can(request.user, "pibk.view", school):
        return []
    school_year = school_year_for(school, today().year)
    return [
        (
            "pibk/partials/school_panel.html",
            {
                "pibk": school_year,
                "pibk_url": reverse("pibk:school", args=[school.code]),
            },
        )
    ]


def seed_demo(stdout):
    from .demo import seed

    return seed(stdout)
