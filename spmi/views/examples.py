"""Model schools (seed 001): officers mark them; every school's people open their plans."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.people import access

from ..access import cycle_for, cycle_or_404, year_from
from ..models import Cycle
from ..selectors.evaluation import actions_of, criteria_rows, evaluation
from ..services.model_schools import model_mark


@login_required
@require_POST
def mark(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.model", year)
    cycle = model_mark(cycle=cycle_or_404(cycle), is_model=request.POST.get("model") == "1",
                       by=request.user)  # fmt: skip
    if cycle.is_model:
        text = _("%(code)s is marked as a model school.")
    else:
        text = _("%(code)s is no longer a model school.")
    messages.success(request, text % {"code": school.code})
    return redirect(f"{reverse('spmi:plan', args=[school.code])}?year={year}")


@login_required
def examples(request):
    """The year's model schools, for anyone who follows or runs an SPMI cycle."""
    access.require(request.user, "spmi.view")
    year = year_from(request.GET.get("year"))
    cycles = (
        Cycle.objects.filter(year=year, is_model=True)
        .select_related("school__district__state")
        .order_by("school__district__state__name", "school__code")
    )
    return render(request, "spmi/examples.html", {"year": year, "cycles": cycles})


@login_required
def example(request, pk):
    """A model school's plan, read only: its priority criteria and actions."""
    access.require(request.user, "spmi.view")
    cycle = get_object_or_404(
        Cycle.objects.select_related("school__district", "standard_set"), pk=pk, is_model=True
    )
    rows = criteria_rows(evaluation(cycle))
    return render(request, "spmi/example.html", {
        "cycle": cycle, "school": cycle.school, "year": cycle.year,
        "priorities": [r for r in rows if r.rating and r.rating.priority],
        "actions": actions_of(cycle),
    })  # fmt: skip


urlpatterns = [
    path("spmi/sekolah/<str:code>/contoh/", mark, name="model_mark"),
    path("spmi/contoh/", examples, name="examples"),
    path("spmi/contoh/<int:pk>/", example, name="example"),
]
