"""Officers follow the cycles of the schools under them: stage, plan and overdue actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.people import access

from ..access import year_from
from ..models import Action, Cycle
from ..services.cycles import national_opening_request, opening_progress

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
    may_open = access.can(request.user, "spmi.open")
    home = access.home_node(request.user, "spmi.follow")
    return render(
        request,
        "spmi/follow.html",
        {
            "year": year,
            "page": page,
            "stages": Cycle.Stage.choices,
            "only_overdue": request.GET.get("overdue") == "1",
            "may_open": may_open,
            "home": home,
            "progress": opening_progress(year) if may_open else None,
        },
    )


@login_required
@require_POST
def open_national(request):
    """The ministry opens every school's cycle of the year, pre-filled, in the background."""
    access.require(request.user, "spmi.open")
    year = year_from(request.POST.get("year"))
    national_opening_request(year=year)
    messages.success(
        request,
        _(
            "Every school's %(year)s cycle is being opened and pre-filled; "
            "this page shows how far it has gone."
        )
        % {"year": year},
    )
    return redirect(f"{reverse('spmi:follow')}?year={year}")


@login_required
def node(request, level, code):
    """A district's, state's or the nation's cycles by stage and overdue actions (roll-up kit)."""
    from core.rollups.selectors import child_rollups, rollup_for
    from ssqs_portal.hierarchy import node_for_user

    from ..models import SpmiRollUp

    found = node_for_user(request.user, level, code, "spmi.follow")
    year = year_from(request.GET.get("year"))
    return render(request, "spmi/node.html", {
        "node": found, "year": year, "year_query": f"?year={year}",
        "rollup": rollup_for(SpmiRollUp, year, found),
        "children": child_rollups(SpmiRollUp, year, found),
    })  # fmt: skip


urlpatterns = [
    path("spmi/pemantauan/<str:level>/<str:code>/", node, name="node"),
    path("spmi/pemantauan/", follow, name="follow"),
    path("spmi/pemantauan/buka/", open_national, name="open_national"),
]
