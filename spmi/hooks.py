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


def desktop_notices(request, school):
    """MyDesktop: the school's SPMI actions past their target date (for those who see SPMI)."""
    from django.utils import timezone

    from core.people.access import can

    from .models import Action

    if not can(request.user, "spmi.view", school):
        return []
    late = list(
        Action.objects.filter(school=school, status=Action.Status.OPEN,
                              target_date__lt=timezone.localdate())
        .select_related("criterion", "cycle", "school").order_by("target_date")[:10]
    )  # fmt: skip
    if not late:
        return []
    return [("spmi/partials/desktop_overdue.html", {"notices": late})]


def seed_demo(stdout):
    from .demo import seed

    return seed(stdout)
