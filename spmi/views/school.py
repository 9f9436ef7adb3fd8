"""Step 1 of a school's cycle: the pre-filled self-evaluation, ratings and the divergence view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.people import access as people_access

from .. import rules, sources
from ..access import cycle_for, cycle_or_404, may, year_from
from ..forms import RatingForm
from ..models import Criterion, Cycle
from ..selectors.evaluation import criteria_rows, evaluation
from ..services import Refused
from ..services.cycles import cycle_open_for
from ..services.evaluation import RATING_STAGES, evaluation_finish, rating_save


@login_required
def home(request):
    """A school's people go to their school's cycle; officers to their schools' list."""
    codes = people_access.school_codes(request.user, "spmi.view")
    if codes:
        return redirect("spmi:school", codes[0])
    people_access.require(request.user, "spmi.follow")
    return redirect("spmi:follow")


def _page_url(school, year):
    return f"{reverse('spmi:school', args=[school.code])}?year={year}"


def _context(request, school, cycle, year, forms=None):
    standards = evaluation(cycle) if cycle else []
    rows = criteria_rows(standards)
    forms = forms or {}
    can_rate = (
        bool(cycle) and cycle.stage in RATING_STAGES and may(request.user, "spmi.evaluate", school)
    )
    for row in rows:
        row.form = forms.get(row.criterion.pk) or (
            RatingForm(
                prefix=f"c{row.criterion.pk}",
                initial={
                    "level": row.rating.level,
                    "evidence": row.rating.evidence,
                    "justification": row.rating.justification,
                    "priority": row.rating.priority,
                }
                if row.rating
                else None,
            )
            if can_rate
            else None
        )
    return {
        "school": school,
        "year": year,
        "cycle": cycle,
        "standards": standards,
        "sources": sources.SOURCES,
        "level_names": rules.LEVEL_NAMES,
        "divergent": [r for r in rows if r.diverges],
        "rated": sum(1 for r in rows if r.rating),
        "total": len(rows),
        "can_rate": can_rate,
        "can_open": cycle is None and may(request.user, "spmi.evaluate", school),
        "can_finish": bool(cycle)
        and cycle.stage == Cycle.Stage.MAPPING
        and may(request.user, "spmi.evaluate", school),
    }


@login_required
def school_page(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.view", year)
    return render(request, "spmi/school.html", _context(request, school, cycle, year))


@login_required
@require_POST
def open_cycle(request, code):
    """The quality team opens its school's cycle (pre-filled) if the ministry has not yet."""
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.evaluate", year)
    if cycle is None:
        cycle_open_for(school=school, year=year)
        messages.success(
            request,
            _("The %(year)s cycle is open, pre-filled with the portal's figures.") % {"year": year},
        )
    return redirect(_page_url(school, year))


@login_required
@require_POST
def rate(request, code, pk):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.evaluate", year)
    cycle = cycle_or_404(cycle)
    criterion = get_object_or_404(Criterion, pk=pk, standard__standard_set=cycle.standard_set_id)
    form = RatingForm(request.POST, request.FILES, prefix=f"c{pk}")
    if form.is_valid():
        try:
            rating_save(cycle=cycle, criterion=criterion, by=request.user, **form.cleaned_data)
        except Refused as exc:
            for name, error in exc.errors:
                form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(
                request, _("The rating of %(code)s is saved.") % {"code": criterion.code}
            )
            return redirect(f"{_page_url(school, year)}#c-{criterion.code}")
    messages.error(request, _("Nothing was saved: correct the fields marked below."))
    context = _context(request, school, cycle, year, forms={criterion.pk: form})
    return render(request, "spmi/school.html", context, status=200)


@login_required
@require_POST
def finish(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.evaluate", year)
    try:
        evaluation_finish(cycle=cycle_or_404(cycle), by=request.user)
    except Refused as exc:
        for _field, error in exc.errors:
            messages.error(request, error)
        return redirect(_page_url(school, year))
    messages.success(request, _("The self-evaluation is finished: write the plan."))
    return redirect(f"{reverse('spmi:plan', args=[school.code])}?year={year}")


urlpatterns = [
    path("spmi/", home, name="home"),
    path("spmi/sekolah/<str:code>/", school_page, name="school"),
    path("spmi/sekolah/<str:code>/buka/", open_cycle, name="open"),
    path("spmi/sekolah/<str:code>/kriteria/<int:pk>/", rate, name="rate"),
    path("spmi/sekolah/<str:code>/selesai/", finish, name="finish"),
]
