"""Officers follow the cycles of the schools under them: stage, plan and overdue actions."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core.people import access

from ..access import year_from
from ..models import Action, Cycle

PAGE = 50


@login_required
def follow(request):
    """One row per school cycle in the officer's scope, the overdue first."""
    access.require(request.user, "spmi.follow")
    year = year_from(request.GET.get("year"))
    today = timezone.localdate()
    schools = access.schools_for(request.user, act="spmi.follow")
    cycles = (
        Cycle.objects.filter(year=year, school__in=schools)
        .select_related("school__district")
        .annotate(
            n_actions=Count("actions"),
            n_overdue=Count(
                "actions",
                filter=Q(actions__status=Action.Status.OPEN, actions__target_date__lt=today),
            ),
        )
        .order_by("-n_overdue", "school__code")
    )
    if request.GET.get("overdue") == "1":
        cycles = cycles.filter(n_overdue__gt=0)
    page = Paginator(cycles, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "spmi/follow.html",
        {
            "year": year,
            "page": page,
            "stages": Cycle.Stage.choices,
            "only_overdue": request.GET.get("overdue") == "1",
        },
    )


urlpatterns = [path("spmi/pemantauan/", follow, name="follow")]
