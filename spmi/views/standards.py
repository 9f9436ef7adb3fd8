"""The national standard sets: each version, what it holds, and what changed between two."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.people import access

from .. import sources
from ..models import StandardSet
from ..selectors.evaluation import name_of
from ..standards import StandardsError, compare, standards_upload


def _version(raw, default):
    try:
        return int(str(raw)) if raw not in (None, "") else default
    except ValueError:
        return default


class UploadForm(forms.Form):
    document = forms.FileField(label=gettext_lazy("A changed standard set (YAML, at most 1 MB)"))


@login_required
@require_POST
def upload(request):
    """The ministry loads a changed set: the next version (earlier cycles keep theirs)."""
    access.require(request.user, "spmi.standards")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a standard-set file to load."))
        return redirect("spmi:standards")
    try:
        found, created = standards_upload(form.cleaned_data["document"])
    except StandardsError as exc:
        for error in exc.errors[:20]:
            messages.error(request, error)
        return redirect("spmi:standards")
    if created:
        messages.success(request, _("Version %(v)s is loaded; cycles opened before keep their "
                                    "version.") % {"v": found.version})  # fmt: skip
    else:
        messages.info(request, _("Nothing changed: the file is version %(v)s.") % {
            "v": found.version})  # fmt: skip
    return redirect(f"{reverse('spmi:standards')}?v={found.version}")


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


urlpatterns = [
    path("spmi/standard/", standards, name="standards"),
    path("spmi/standard/muat-naik/", upload, name="standards_upload"),
]
