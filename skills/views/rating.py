"""The centre star rating (Modul Penarafan Bintang): the centre's drill-down, the body's
list and criteria upload, the published criteria and the public centre page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.people import access
from schools.models import State
from ssqs_portal.exports import csv_response, xlsx_response

from .. import rating_rules
from ..access import centre_for
from ..selectors import rating as selectors
from ..services.rating import scheme_upload


@login_required
@require_GET
def centre_rating(request, code):
    """A centre's star rating with each criterion's value, points, weight and basis."""
    centre = centre_for(request.user, code, "skills.rating.view")
    years = selectors.centre_rating_years(centre=centre)
    year = selectors.year_of(request.GET.get("year"), years)
    rating = selectors.centre_rating(centre=centre, year=year)
    lines = [selectors.explain(line) for line in rating.lines.all()] if rating else []
    can_complaints = access.can(request.user, "skills.complaint.view", centre) or access.can(
        request.user, "skills.complaint.handle"
    )
    return render(request, "skills/rating/centre.html",
                  {"centre": centre, "rating": rating, "lines": lines, "years": years,
                   "can_complaints": can_complaints})  # fmt: skip


HEADERS = [gettext_lazy("Year"), gettext_lazy("Centre code"), gettext_lazy("Centre"),
           gettext_lazy("State"), gettext_lazy("Points"), gettext_lazy("Stars"),
           gettext_lazy("Criteria version")]  # fmt: skip


@login_required
@require_GET
def ratings(request):
    """Every centre's rating of a year for the body: filters, sorting, CSV and XLSX."""
    if not access.can(request.user, "skills.rating.manage"):
        raise PermissionDenied
    years = selectors.rating_years()
    filters = selectors.rating_filters(request.GET, years)
    found = selectors.rating_list(filters=filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            (r.year, r.centre.code, r.centre.name, r.centre.state.name if r.centre.state else "",
             r.total, r.stars, r.scheme.version)
            for r in found.iterator(chunk_size=2000)
        )  # fmt: skip
        filename = f"skills-ratings-{filters.year or 'none'}.{fmt}"
        if fmt == "csv":
            return csv_response(HEADERS, rows, filename)
        return xlsx_response(HEADERS, rows, filename, str(filters.year or "ratings"))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "years": years,
               "states": State.objects.order_by("name")}  # fmt: skip
    return render(request, "skills/rating/list.html", context)


@require_GET
def criteria(request):
    """The published criteria, every version (public: the centres and anyone may read them)."""
    return render(request, "skills/rating/criteria.html",
                  {"schemes": selectors.schemes(), "measures": rating_rules.MEASURES})  # fmt: skip


class SchemeUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Criteria file (YAML)"))
    from_year = forms.IntegerField(label=gettext_lazy("Applies from the year"),
                                   min_value=2000, max_value=2100)  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > rating_rules.MAX_SCHEME_BYTES:  # the size before reading it
            raise forms.ValidationError(
                _("The file is larger than %(n)s KB.")
                % {"n": rating_rules.MAX_SCHEME_BYTES // 1024}
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def criteria_upload(request):
    """The body publishes the next version of the criteria by uploading it."""
    if not access.can(request.user, "skills.rating.manage"):
        raise PermissionDenied
    current = selectors.schemes()[:1]
    initial = {"from_year": timezone.localdate().year}
    form = SchemeUploadForm(request.POST or None, request.FILES or None, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            scheme, created = scheme_upload(data=form.cleaned_data["file"].read(),
                                            from_year=form.cleaned_data["from_year"],
                                            by=request.user)  # fmt: skip
        except rating_rules.SchemeErrors as errors:
            problems = errors.problems
        else:
            if created:
                messages.success(request, _("Version %(v)s of the criteria is published; the "
                                            "ratings from %(year)s are being recomputed.")
                                 % {"v": scheme.version, "year": scheme.from_year})  # fmt: skip
            else:
                messages.info(request, _("These criteria are already the current version: "
                                         "nothing changed."))  # fmt: skip
            return redirect("skills:rating_criteria")
    return render(request, "skills/rating/upload.html",
                  {"form": form, "problems": problems, "current": current[0] if current else None},
                  status=400 if problems or form.errors else 200)  # fmt: skip


@require_GET
def public_centre(request, code):
    """An accredited centre's public page: no login, no personal data."""
    if "\x00" in code:
        raise Http404
    context = selectors.public_centre(code=code[:20], today=timezone.localdate())
    if context is None:
        raise Http404
    return render(request, "skills/rating/public_centre.html", context)


urlpatterns = [
    path("kemahiran/pusat/<str:code>/penarafan/", centre_rating, name="centre_rating"),
    path("kemahiran/penarafan/", ratings, name="ratings"),
    path("kemahiran/penarafan/kriteria/", criteria, name="rating_criteria"),
    path("kemahiran/penarafan/kriteria/muat-naik/", criteria_upload, name="rating_upload"),
    path("kemahiran/pusat-bertauliah/<str:code>/", public_centre, name="public_centre"),
]
