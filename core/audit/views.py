from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import presenters, selectors
from .access import get_school_history_for_user, history_parts

PER_PAGE = 50


@login_required
@require_GET
def school_history(request, code):
    """A school's history: its record, accounts, SSQS and PIBK data, newest first."""
    school = get_school_history_for_user(request.user, code)
    parts = history_parts(request.user, school)
    part = request.GET.get("part", "")
    if part not in parts:
        part = ""
    page = Paginator(selectors.school_history(school, part, parts), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audit/school_history.html",
        {
            "school": school,
            "page": page,
            "rows": presenters.rows(page.object_list),
            "part": part,
            "parts": parts,
            "recorded": connection.vendor == "postgresql",
        },
    )
