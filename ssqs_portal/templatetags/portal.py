from datetime import timedelta

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(value):
    """Return a timedelta as whole minutes (at least 1)."""
    if isinstance(value, timedelta):
        return max(1, round(value.total_seconds() / 60))
    return value


@register.simple_tag
def star_icons(stars, total=5):
    """Return ``stars`` filled and the rest empty star icons, with a text label."""
    stars = int(stars or 0)
    icons = "".join(
        '<i class="bi bi-star-fill" aria-hidden="true"></i>'
        if i < stars
        else '<i class="bi bi-star off" aria-hidden="true"></i>'
        for i in range(total)
    )
    label = _("%(n)s of %(total)s stars") % {"n": stars, "total": total}
    return mark_safe(f'<span class="stars" role="img" aria-label="{label}">{icons}</span>')  # noqa: S308


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """Return the current query string with ``kwargs`` replaced."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


def _number(value):
    from decimal import Decimal
    from fractions import Fraction

    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


@register.filter
def pct(value, places=1):
    """Return a percentage (a Fraction, Decimal or number) as text, or an en dash for none."""
    number = _number(value)
    return "–" if number is None else f"{number:.{int(places)}f}"


@register.filter
def ratio_pct(value, places=1):
    """Return a ratio 0..1 as a percentage text, or an en dash for none."""
    number = _number(value)
    return "–" if number is None else f"{number * 100:.{int(places)}f}"


@register.filter
def width_class(value):
    """Return the class giving a progress bar ``value`` percent width (portal.css, w-pct-0..100).

    A class, not a style attribute: the Content-Security-Policy allows no inline styles.
    """
    number = _number(value)
    return f"w-pct-{0 if number is None else min(100, max(0, round(number)))}"
