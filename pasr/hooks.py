"""What PASR adds to the shared pages (see ssqs_portal.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def desktop_cards(request, school):
    return [
        {
            "key": "pasr",
            "act": "pasr.candidates",
            "icon": "bi-mortarboard",
            "url": reverse("pasr:school", args=[school.code]),
            "title": _("PASR: special-needs candidates"),
            "text": _(
                "Register candidates, rate each construct of ProKhas 1 and 2, moderate, verify "
                "and print the candidate reports."
            ),
        }
    ]


def school_panels(request, school):
    """The school page's PASR card: whether the school runs PASR and its candidates."""
    from core.people.access import can

    from . import calendar
    from .models import SchoolYear

    if not can(request.user, "pasr.view", school):
        return []
    year = calendar.today().year
    school_year = SchoolYear.objects.filter(school=school, year=year).first()
    return [
        (
            "pasr/partials/school_card.html",
            {
                "year": year,
                "runs_pasr": school.has_ppki or bool(school_year and school_year.partial_inclusive),
                "school_year": school_year,
                "url": reverse("pasr:school", args=[school.code]),
            },
        )
    ]


def seed_demo(stdout):
    from .demo import seed

    return seed(stdout)
