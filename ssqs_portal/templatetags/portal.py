from datetime import timedelta

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ssqs_portal.numbers import exact, fixed, round_half_up

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


@register.filter
def figure(value, places=2):
    """Return a figure with ``places`` decimals (two unless asked), halves up, exactly.

    The one filter for every figure a page or PDF shows (SSQS, PIBK,
    monitoring): ssqs_portal.numbers.fixed, so 15.625 shows as 15.63 on every
    page, never 15.62 as Python's float formatting (halves to even) would.
    None shows as an en dash.
    """
    return fixed(value, int(places))


@register.filter
def ratio_figure(value, places=2):
    """Return a ratio 0..1 as a percentage figure (``figure`` of value x 100)."""
    if value is None or value == "" or isinstance(value, bool):
        return fixed(None)
    try:
        return fixed(exact(value) * 100, int(places))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def width_class(value):
    """Return the class giving a progress bar ``value`` percent width (portal.css, w-pct-0..100).

    A class, not a style attribute: the Content-Security-Policy allows no inline styles.
    """
    try:
        number = 0 if value is None or isinstance(value, bool) else round_half_up(value)
    except (TypeError, ValueError):
        number = 0
    return f"w-pct-{min(100, max(0, number))}"
