"""Template filters for accreditation (Pentauliahan) pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACT_LABELS = {
    "apply": _("Applied"),
    "approve": _("Approved"),
    "refuse": _("Refused"),
    "suspend": _("Suspended"),
    "reinstate": _("Reinstated"),
    "revoke": _("Revoked"),
}
ACT_BUTTONS = {
    "approve": _("Approve"),
    "refuse": _("Refuse"),
    "suspend": _("Suspend"),
    "reinstate": _("Reinstate"),
    "revoke": _("Revoke"),
}
STATE_BADGES = {
    "applied": "text-bg-info",
    "approved": "text-bg-success",
    "refused": "text-bg-secondary",
    "suspended": "text-bg-warning",
    "revoked": "text-bg-danger",
}


@register.filter
def act_label(act):
    """Return what an accreditation event's act reads as in its history."""
    return ACT_LABELS.get(act, act)


@register.filter
def act_button(act):
    return ACT_BUTTONS.get(act, act)


@register.filter
def state_badge(state):
    return STATE_BADGES.get(state, "text-bg-light")
