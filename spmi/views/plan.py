"""Step 2 (the plan, the head's approval, ``spmi-plan``), steps 3-4 (progress, closing) and
step 5 (the next cycle)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssqs_portal.pdf import document_response

from .. import pdfs
from ..access import action_for, cycle_for, cycle_or_404, may, year_from
from ..forms import ActionForm, CloseForm, ProgressForm
from ..models import Cycle, Indicator
from ..selectors.evaluation import actions_of, evaluation, movement, name_of, overdue
from ..services import Refused
from ..services.plan import action_close, action_create, plan_approve, progress_add
from ..services.rollover import cycle_roll_over


def _plan_url(school, year):
    return f"{reverse('spmi:plan', args=[school.code])}?year={year}"


def _indicator_choices(cycle):
    """The priority criteria's indicators, "criterion · indicator (source)"."""
    from ..sources import label

    rows = (
        Indicator.objects.filter(
            criterion__standard__standard_set_id=cycle.standard_set_id,
            criterion__in=cycle.ratings.filter(priority=True).values("criterion"),
        )
        .select_related("criterion")
        .order_by("criterion__standard__order", "criterion__order", "order")
    )
    return [
        (
            i.pk,
            f"{i.criterion.code} {name_of(i.criterion)} · {i.code} {name_of(i)} "
            f"({label(i.source)})",
        )
        for i in rows
    ]


def _add_errors(form, exc):
    for name, error in exc.errors:
        form.add_error(name if name in form.fields else None, error)


@login_required
def plan(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.view", year)
    cycle = cycle_or_404(cycle)
    can_write = cycle.stage == Cycle.Stage.PLANNING and may(request.user, "spmi.plan", school)
    form = None
    if can_write or request.method == "POST":
        form = ActionForm(request.POST or None, indicators=_indicator_choices(cycle))
    if request.method == "POST":
        school, cycle = cycle_for(request.user, code, "spmi.plan", year)
        if form.is_valid():
            data = dict(form.cleaned_data)
            indicator = (
                Indicator.objects.filter(
                    pk=data.pop("indicator"),
                    criterion__standard__standard_set_id=cycle.standard_set_id,
                )
                .select_related("criterion")
                .first()
            )
            if indicator is None:
                form.add_error("indicator", _("Choose an indicator of a priority criterion."))
            else:
                try:
                    action_create(
                        cycle=cycle,
                        criterion=indicator.criterion,
                        indicator=indicator,
                        by=request.user,
                        **data,
                    )
                except Refused as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("The action is added to the plan."))
                    return redirect(_plan_url(school, year))
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    actions = actions_of(cycle)
    today = timezone.localdate()
    return render(
        request,
        "spmi/plan.html",
        {
            "school": school,
            "year": year,
            "cycle": cycle,
            "actions": actions,
            "overdue": {a.pk for a in overdue(actions, today)},
            "form": form,
            "can_approve": cycle.stage == Cycle.Stage.PLANNING
            and may(request.user, "spmi.approve", school)
            and bool(actions),
            "can_roll_over": cycle.stage == Cycle.Stage.CARRYING_OUT
            and may(request.user, "spmi.approve", school),
            "held": list(cycle.held_levels.order_by("indicator_code")),
            "movement": movement(cycle, evaluation(cycle)),
            "can_mark": may(request.user, "spmi.model", school),
            **_review_context(request, school, year),
        },
    )


@login_required
@require_POST
def approve(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.approve", year)
    try:
        plan_approve(cycle=cycle_or_404(cycle), by=request.user)
    except Refused as exc:
        for _f, error in exc.errors:
            messages.error(request, error)
    else:
        messages.success(request, _("The plan is approved: steps 3 and 4 begin."))
    return redirect(_plan_url(school, year))


@login_required
def plan_pdf(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.view", year)
    cycle = cycle_or_404(cycle)
    return document_response(
        pdfs.plan_document(school=school, cycle=cycle, actions=actions_of(cycle), request=request)
    )


@login_required
def action_page(request, code, pk):
    school, action = action_for(request.user, code, pk, "spmi.view")
    cycle = action.cycle
    is_open = action.status == action.Status.OPEN and cycle.stage == Cycle.Stage.CARRYING_OUT
    can_record = is_open and may(request.user, "spmi.progress", school)
    progress_form = ProgressForm(initial={"on": timezone.localdate()}) if can_record else None
    close_form = CloseForm() if can_record else None
    if request.method == "POST":
        school, action = action_for(request.user, code, pk, "spmi.progress")
        which = "close" if "close" in request.POST else "progress"
        form = (CloseForm if which == "close" else ProgressForm)(request.POST, request.FILES)
        if form.is_valid():
            try:
                if which == "close":
                    action_close(action=action, by=request.user, **form.cleaned_data)
                else:
                    progress_add(action=action, by=request.user, **form.cleaned_data)
            except Refused as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The action is closed.")
                    if which == "close"
                    else _("The progress update is recorded."),
                )
                return redirect(request.path)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        if which == "close":
            close_form = form
        else:
            progress_form = form
    return render(
        request,
        "spmi/action.html",
        {
            "school": school,
            "year": cycle.year,
            "cycle": cycle,
            "action": action,
            "progress": list(action.progress.select_related("by").prefetch_related("files")),
            "history": _history(action),
            "is_portal": action.indicator.is_portal,
            "overdue": bool(overdue([action], timezone.localdate())),
            "progress_form": progress_form,
            "close_form": close_form,
        },
    )


def _review_context(request, school, year):
    """The district's review of the plan: its state, events, the head's and officers' forms."""
    from core.review.selectors import school_events, subject_of
    from core.review.views import submit_panel

    from ..review import CODE

    subject = subject_of(programme=CODE, year=year, school=school, window="") or None
    return {
        "review_subject": subject,
        "review_events": school_events(programme=CODE, year=year, school=school),
        "submit": submit_panel(request.user, school, subject, programme=CODE,
                               action=f"{reverse('spmi:submit', args=[school.code])}?year={year}"),
        "can_review": may(request.user, "spmi.review", school),
    }  # fmt: skip


def _history(action):
    """The actions this one rolled from, oldest last (their progress kept on each)."""
    out, seen = [], set()
    current = action.rolled_from
    while current is not None and current.pk not in seen and len(out) < 20:
        seen.add(current.pk)
        out.append(current)
        current = current.rolled_from
    return out


@login_required
@require_POST
def roll_over(request, code):
    year = year_from(request.GET.get("year"))
    school, cycle = cycle_for(request.user, code, "spmi.approve", year)
    try:
        cycle_roll_over(cycle=cycle_or_404(cycle), by=request.user)
    except Refused as exc:
        for _f, error in exc.errors:
            messages.error(request, error)
        return redirect(_plan_url(school, year))
    messages.success(
        request,
        _("The %(year)s cycle is closed; the next cycle starts from what was measured.")
        % {"year": year},
    )
    return redirect(f"{reverse('spmi:school', args=[school.code])}?year={year + 1}")


urlpatterns = [
    path("spmi/sekolah/<str:code>/pelan/", plan, name="plan"),
    path("spmi/sekolah/<str:code>/pelan/lulus/", approve, name="approve"),
    path("spmi/sekolah/<str:code>/pelan.pdf", plan_pdf, name="plan_pdf"),
    path("spmi/sekolah/<str:code>/tindakan/<int:pk>/", action_page, name="action"),
    path("spmi/sekolah/<str:code>/kitaran-seterusnya/", roll_over, name="roll_over"),
]
