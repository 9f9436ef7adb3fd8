"""The school's PASR page: its year, the board's calendar, and each area's panel.

Each area of the app (registration, results, reports) gives the page one
panel: ``PANELS`` names its template and the function building its context
(``(request, school, year) -> dict``, or None when the person may not see it).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.module_loading import import_string

from core.people import access as people_access

from .. import calendar
from ..access import school_for

PANELS = [
    ("pasr/school/_registration.html", "pasr.views.registration.school_panel"),
    ("pasr/school/_results.html", "pasr.views.results.school_panel"),
    ("pasr/school/_reports.html", "pasr.views.reports.school_panel"),
]


@login_required
def home(request):
    """A school's staff go to their school's page; officers and the board to the dashboards."""
    if people_access.can(request.user, "pasr.candidates"):
        school = people_access.schools_for(request.user, act="pasr.candidates").order_by("code")
        first = school.first()
        if first is not None:
            return redirect("pasr:school", first.code)
    people_access.require(request.user, "pasr.view")
    return redirect(reverse("pasr:dashboard"))


@login_required
def school_page(request, code):
    school = school_for(request.user, code, "pasr.view")
    year = calendar.year_from(request.GET.get("year"))
    panels = []
    for template, builder in PANELS:
        context = import_string(builder)(request, school, year)
        if context is not None:
            panels.append((template, context))
    return render(
        request,
        "pasr/school.html",
        {
            "school": school,
            "year": year,
            "calendar": calendar.assessment_year(year),
            "panels": panels,
        },
    )


urlpatterns = [
    path("pasr/", home, name="home"),
    path("pasr/sekolah/<str:code>/", school_page, name="school"),
]
