from django import template

from core.audit.access import may_see_history

register = template.Library()


@register.inclusion_tag("audit/partials/history_link.html", takes_context=True)
def history_link(context, school):
    """A link to ``school``'s history, for those who may read it (nothing otherwise)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"school": school, "show": user is not None and may_see_history(user, school)}
