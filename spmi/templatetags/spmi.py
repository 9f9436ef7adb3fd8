from django import template

from spmi.sources import label

register = template.Library()


@register.filter
def source_label(source):
    """What a page calls an indicator's source (``spmi.sources.label``)."""
    return label(source)
