from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ssqs_portal import registry
from ssqs_portal.scoping import get_school_for_user, require_coordinator, require_officer

from .models import School
from .selectors import SchoolFilters, district_choices, school_list


@login_required
def mydesktop(request):
    """The school's home page ("MyDesktop") for its coordinator."""
    require_coordinator(request.user)
    school = get_school_for_user(request.user, request.user.school.code)
    cards = [card for provider in registry.DESKTOP_CARDS for card in provider(request, school)]
    notices = [n for provider in registry.DESKTOP_NOTICES for n in provider(request, school)]
    return render(
        request,
        "schools/mydesktop.html",
        {"school": school, "desktop_cards": cards, "desktop_notices": notices},
    )


@login_required
def school_list_view(request):
    """The officer's home: the schools under their node, searchable and paged."""
    require_officer(request.user)
    filters = SchoolFilters(
        # A NUL cannot be searched for (PostgreSQL refuses it in a query): drop it.
        q=request.GET.get("q", "")[:100].replace("\x00", ""),
        district=request.GET.get("district", ""),
        level=request.GET.get("level", ""),
        skm=request.GET.get("skm", ""),
    )
    districts = district_choices(user=request.user)
    if filters.district and filters.district not in {code for code, _label in districts}:
        filters.district = ""
    paginator = Paginator(
        school_list(user=request.user, filters=filters), settings.SCHOOL_LIST_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "districts": districts,
        "levels": School.Level.choices,
        "querystring": query.urlencode(),
        "title": _("Schools"),
    }
    template = "schools/school_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
def school_detail(request, code):
    """One school's facts, for the officers above it and its own coordinator."""
    school = get_school_for_user(request.user, code)
    panels = [panel for provider in registry.SCHOOL_PANELS for panel in provider(request, school)]
    return render(
        request, "schools/school_detail.html", {"school": school, "school_panels": panels}
    )
