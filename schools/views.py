from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.people import access
from ssqs_portal import registry

from .models import School
from .selectors import SchoolFilters, district_choices, school_list


@login_required
@require_http_methods(["GET", "POST"])
def mydesktop(request):
    """The school's home page ("MyDesktop"): every card the person's roles there open.

    A person with roles in several schools chooses the school here (POST
    ``school``); the school-level pages then work on it.
    """
    codes = access.school_codes(request.user, "desktop.view")
    if request.method == "POST":
        code = request.POST.get("school", "")
        if code in codes:
            request.session[access.DESK_SESSION_KEY] = code
        return redirect("schools:mydesktop")
    school = access.desk_school(request, "desktop.view")
    cards = [
        card
        for provider in registry.DESKTOP_CARDS
        for card in provider(request, school)
        if access.can(request.user, card["act"], school)
    ]
    if access.can(request.user, "staff.manage", school):
        cards.append(
            {
                "key": "staff",
                "act": "staff.manage",
                "icon": "bi-person-badge",
                "url": reverse("people:staff"),
                "title": _("School staff"),
                "text": _("Staff accounts and their roles: add a person, a role, a new password."),
            }
        )
    notices = [n for provider in registry.DESKTOP_NOTICES for n in provider(request, school)]
    return render(
        request,
        "schools/mydesktop.html",
        {
            "school": school,
            "desktop_cards": cards,
            "desk_schools": codes,
            "desktop_notices": notices,
        },
    )


@login_required
def school_list_view(request):
    """The officer's home: the schools under their node, searchable and paged."""
    access.require(request.user, "schools.list")
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
    school = access.get_school(request.user, code, "schools.view")
    panels = [panel for provider in registry.SCHOOL_PANELS for panel in provider(request, school)]
    context = {
        "school": school,
        "school_panels": panels,
        "can_list_schools": access.can(request.user, "schools.list"),
    }
    return render(request, "schools/school_detail.html", context)
