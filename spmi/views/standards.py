"""The national standard sets: each version, what it holds, and what changed between two."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from core.people import access

from .. import sources
from ..models import StandardSet
from ..selectors.evaluation import name_of
from ..standards import compare


def _version(raw, default):
    try:
        return int(str(raw)) if raw not in (None, "") else default
    except ValueError:
        return default


@login_required
def standards(request):
    """Every version; one version's standards; ?from=&to= compares two versions."""
    access.require(request.user, "spmi.view")
    versions = list(StandardSet.objects.order_by("-version"))  # a GET never loads one
    if not versions:
        raise Http404("No standard set yet")
    shown = get_object_or_404(
        StandardSet, version=_version(request.GET.get("v"), versions[0].version)
    )
    comparison = None
    if request.GET.get("from") and request.GET.get("to"):
        old = get_object_or_404(StandardSet, version=_version(request.GET.get("from"), 0))
        new = get_object_or_404(StandardSet, version=_version(request.GET.get("to"), 0))
        comparison = compare(old, new)
    tree = [
        (
            s,
            name_of(s),
            [
                (c, name_of(c), [(i, name_of(i)) for i in c.indicators.all()])
                for c in s.criteria.all()
            ],
        )
        for s in shown.standards.prefetch_related("criteria__indicators")
    ]
    return render(
        request,
        "spmi/standards.html",
        {
            "versions": versions,
            "shown": shown,
            "tree": tree,
            "comparison": comparison,
            "sources": sources.SOURCES,
        },
    )


urlpatterns = [path("spmi/standard/", standards, name="standards")]
