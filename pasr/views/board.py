"""The examinations board's page (LP): windows, instrument documents, the override queue.

Setting windows and publishing documents is the national board's
(``pasr.window``); deciding override requests is ``pasr.override``'s, each
officer within their scope (a state's LP officer: that state's schools).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.people import access as people_access

from .. import calendar, rules
from ..models import OverrideRequest
from ..registration_forms import DecisionForm, InstrumentForm, ResultsDueForm, WindowForm
from ..selectors import registration as selectors
from ..services import calendar as calendar_services
from ..services import registration as services

WINDOW_NAMES = rules.CHANGE_NAMES


def _year(request) -> int:
    return calendar.year_from(request.GET.get("year"))


def _board_url(year: int) -> str:
    return reverse("pasr:board") + "?" + urlencode({"year": year})


@login_required
def board(request):
    """The board's page for one assessment year."""
    return _page(request, _year(request))


def _page(request, year, *, status=200, **forms):
    user = request.user
    may_window = people_access.can(user, "pasr.window")
    may_override = people_access.can(user, "pasr.override")
    if not (may_window or may_override):
        raise PermissionDenied
    board_year = calendar.assessment_year(year)
    pending = selectors.override_queue(user=user, year=year) if may_override else []
    return render(
        request,
        "pasr/board.html",
        {
            "year": year,
            "calendar": board_year,
            "may_window": may_window,
            "may_override": may_override,
            "history": selectors.window_history(year=year) if may_window else [],
            "window_names": WINDOW_NAMES,
            "releases": selectors.board_releases(year=year),
            "window_form": forms.get("window_form") or WindowForm(),
            "results_form": forms.get("results_form") or ResultsDueForm(),
            "instrument_form": forms.get("instrument_form") or InstrumentForm(),
            "pending": [(r, _messages_of(r)) for r in pending],
            "decided": (
                selectors.override_queue(user=user, year=year, pending=False, limit=30)
                if may_override
                else []
            ),
            "decision_form": DecisionForm(),
            "query": urlencode({"year": year}),
        },
        status=status,
    )


def _messages_of(override: OverrideRequest) -> list:
    """Return the request's failed rules with their messages (as the school saw them)."""
    return [(rule, rules.MESSAGES[rule]) for rule in override.failed if rule in rules.MESSAGES]


@login_required
@require_POST
def window_set(request):
    """Set or reopen a window (recorded with the reason)."""
    people_access.require(request.user, "pasr.window")
    year = _year(request)
    form = WindowForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_services.window_set(
                year=year, window=data["window"], opens=data["opens"], closes=data["closes"],
                reason=data["reason"], by=request.user, source="page",
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(window)s %(year)s: %(opens)s to %(closes)s.")
                % {
                    "window": rules.WINDOW_NAMES[data["window"]],
                    "year": year,
                    "opens": data["opens"].isoformat(),
                    "closes": data["closes"].isoformat(),
                },
            )
            return redirect(_board_url(year))
    return _page(request, year, window_form=form)


@login_required
@require_POST
def results_due_set(request):
    """Set the last day for ratings, moderation and verification (recorded)."""
    people_access.require(request.user, "pasr.window")
    year = _year(request)
    form = ResultsDueForm(request.POST)
    if form.is_valid():
        try:
            calendar_services.results_due_set(
                year=year, due=form.cleaned_data["due"], reason=form.cleaned_data["reason"],
                by=request.user, source="page",
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Results of %(year)s are due on %(date)s.")
                % {"year": year, "date": form.cleaned_data["due"].isoformat()},
            )
            return redirect(_board_url(year))
    return _page(request, year, results_form=form)


@login_required
@require_POST
def instrument_publish(request):
    """Publish an instrument's document (PDF only, size checked before reading)."""
    people_access.require(request.user, "pasr.window")
    year = _year(request)
    form = InstrumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            release = services.instrument_publish(
                year=year, instrument=form.cleaned_data["instrument"],
                title=form.cleaned_data["title"], upload=form.cleaned_data["document"],
                by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(title)s is published.") % {"title": release.title})
            return redirect(_board_url(year))
    return _page(request, year, instrument_form=form)


@login_required
@require_POST
def override_decide(request, pk):
    """Override (registering the candidate) or decline a school's request, with a reason."""
    people_access.require(request.user, "pasr.override")
    found = get_object_or_404(OverrideRequest.objects.select_related("school"), pk=pk)
    if not people_access.can(request.user, "pasr.override", found.school):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_board_url(found.year))
    approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
    try:
        services.override_decide(
            override=found, approve=approve, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (
                _("%(name)s is registered by the board's override.")
                if approve
                else _("The request for %(name)s is declined.")
            )
            % {"name": found.name},
        )
    return redirect(_board_url(found.year))


urlpatterns = [
    path("pasr/lp/", board, name="board"),
    path("pasr/lp/tetingkap/", window_set, name="board_window"),
    path("pasr/lp/tarikh-keputusan/", results_due_set, name="board_results_due"),
    path("pasr/lp/instrumen/", instrument_publish, name="board_instrument"),
    path("pasr/lp/rayuan/<int:pk>/", override_decide, name="override_decide"),
]
