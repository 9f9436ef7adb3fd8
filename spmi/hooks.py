"""What SPMI adds to the shared pages (see ssqs_portal.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def desktop_cards(request, school):
    return [
        {
            "key": "spmi",
            "act": "spmi.view",
            "icon": "bi-clipboard-data",
            "url": reverse("spmi:school", args=[school.code]),
            "title": _("SPMI: the school's quality cycle"),
            "text": _(
                "The self-evaluation pre-filled with the portal's figures, the improvement plan, "
                "its progress and the next cycle."
            ),
        }
    ]


def seed_demo(stdout):
    from .demo import seed

    return seed(stdout)
