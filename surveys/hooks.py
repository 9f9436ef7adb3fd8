"""What SSQS adds to the shared pages (see ssqs_portal.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def desktop_cards(request, school):
    cards = [
        {
            "key": "profile",
            "act": "ssqs.roster.manage",
            "icon": "bi-building-gear",
            "url": reverse("surveys:profile"),
            "title": _("School profile"),
            "text": _("Check the school's facts and fill in the “Other school facts” domain."),
        },
        {
            "key": "roster",
            "act": "ssqs.roster.manage",
            "icon": "bi-people",
            "url": reverse("surveys:roster"),
            "title": _("Respondent information"),
            "text": _("Tag numbers to print and hand out, names, progress."),
        },
        {
            "key": "result",
            "act": "ssqs.results.view",
            "icon": "bi-stars",
            "url": reverse("surveys:result", args=[school.code]),
            "title": _("SSQS result"),
            "text": _("The school's score, band and stars, and who has finished."),
        },
    ]
    return cards


def school_panels(request, school):
    from core.people.access import can

    cycle = selectors.current_cycle()
    if cycle is None or not can(request.user, "ssqs.results.view", school):
        return []
    return [
        (
            "surveys/partials/school_panel.html",
            {
                "cycle": cycle,
                "rating": selectors.rating_for(cycle=cycle, school=school),
                "url": reverse("surveys:result", args=[school.code]),
            },
        )
    ]


def seed_demo(stdout):
    from .demo import seed

    return seed(stdout)


def schools_imported():
    """Give schools imported after the cycle opened their roster at once."""
    from .rosters import roster_ensure

    cycle = selectors.current_cycle()
    if cycle is not None:
        roster_ensure(cycle=cycle)
