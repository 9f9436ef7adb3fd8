"""Template filters for the skills registry's bilingual names."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localised(obj, field):
    """Return ``obj.<field>_en`` on an English page, else ``obj.<field>_ms`` (Malay first)."""
    suffix = "en" if (get_language() or "").startswith("en") else "ms"
    return getattr(obj, f"{field}_{suffix}", "") or getattr(obj, f"{field}_ms", "")
