"""The NOSS registry (Modul NOSS): public pages, no login, no personal data."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..selectors.registry import (
    LEVELS,
    sector_choices,
    standard_filters,
    standard_list,
    standard_page,
)

PAGE_SIZE = getattr(settings, "SKILLS_STANDARDS_PAGE_SIZE", 25)


@require_GET
def standards(request):
    """The standards, searchable by code or title, filtered by sector and level, paged."""
    filters = standard_filters(request.GET)
    page = Paginator(standard_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "skills/registry/standards.html",
        {
            "filters": filters,
            "page": page,
            "sectors": sector_choices(),
            "levels": LEVELS,
            "any_demo": any(s.is_demo for s in page),
        },
    )


@require_GET
def standard(request, code):
    """One standard: its CUs and hours, its versions, and the centres accredited to run it."""
    if "\x00" in code:
        raise Http404
    context = standard_page(code=code[:30], today=timezone.localdate())
    if context is None:
        raise Http404
    return render(request, "skills/registry/standard.html", context)


urlpatterns = [
    path("kemahiran/noss/", standards, name="standards"),
    path("kemahiran/noss/<str:code>/", standard, name="standard"),
]
