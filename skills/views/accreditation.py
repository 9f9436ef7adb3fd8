"""Accreditation (Pentauliahan): the centre's home and application, the body's decisions."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.people import access

from .. import rules
from ..access import centre_for
from ..forms.accreditation import ApplyForm, DecisionForm
from ..models import Accreditation, Standard
from ..selectors.accreditation import (
    EXPIRING_DAYS,
    AccreditationFilters,
    accreditation_blocked,
    accreditation_detail,
    accreditation_list,
    centre_accreditations,
)
from ..services.accreditation import AccreditationRefused, accreditation_act, accreditation_apply

PAGE_SIZE = getattr(settings, "SKILLS_ACCREDITATIONS_PAGE_SIZE", 50)
DONE = {
    "approve": gettext_lazy("The accreditation is approved."),
    "refuse": gettext_lazy("The application is refused."),
    "suspend": gettext_lazy("The accreditation is suspended."),
    "reinstate": gettext_lazy("The accreditation is reinstated."),
    "revoke": gettext_lazy("The accreditation is revoked."),
}


def _rows(accreditations, today):
    """Each accreditation with what blocks it and whether it expires soon."""
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    return [
        {
            "accreditation": a,
            "blocked": accreditation_blocked(a, today),
            "expiring": a.state == rules.APPROVED
            and a.expires_on is not None
            and today <= a.expires_on <= soon,
        }
        for a in accreditations
    ]


@login_required
@require_GET
def centre(request, code):
    """The centre's home: its accreditations, their state, conditions, expiry and history."""
    centre = centre_for(request.user, code, "skills.centre.view")
    today = timezone.localdate()
    return render(
        request,
        "skills/accreditation/centre.html",
        {
            "centre": centre,
            "rows": _rows(centre_accreditations(centre=centre), today),
            "can_apply": access.can(request.user, "skills.accreditation.apply", centre),
            "can_open": access.can(request.user, "skills.intake.manage", centre),
            "can_decide": access.can(request.user, "skills.accreditation.decide", centre),
            "can_rating": access.can(request.user, "skills.rating.view", centre),
            "can_ppt": access.can(request.user, "skills.ppt.view", centre),
            "can_facilities": access.can(request.user, "skills.facilities.view", centre),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, code):
    """The centre's administrator applies to run a standard, full or modular."""
    centre = centre_for(request.user, code, "skills.accreditation.apply")
    chosen = (request.POST.get("standard") or request.GET.get("standard") or "")[:30]
    # No standard's code has a NUL (PostgreSQL cannot even compare one): "not found".
    standard = (
        Standard.objects.filter(code=chosen, superseded_by__isnull=True)
        .prefetch_related("units")
        .first()
        if chosen and "\x00" not in chosen
        else None
    )
    form = None
    if standard is not None:
        form = ApplyForm(request.POST or None, standard=standard)
        if request.method == "POST" and form.is_valid():
            try:
                accreditation_apply(
                    centre=centre, standard=standard, mode=form.cleaned_data["mode"],
                    unit_ids=form.cleaned_data["units"], note=form.cleaned_data["note"],
                    by=request.user,
                )  # fmt: skip
            except AccreditationRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("The application for %(code)s is sent to the body.")
                    % {"code": standard.code},
                )
                return redirect("skills:centre", centre.code)
    elif request.method == "POST" or chosen:
        messages.error(request, _("Choose a standard of the registry that is not superseded."))
    standards = Standard.objects.filter(superseded_by__isnull=True).order_by("code")
    return render(
        request,
        "skills/accreditation/apply.html",
        {
            "centre": centre,
            "standard": standard,
            "standards": standards.only("code", "title_ms", "title_en", "level"),
            "form": form,
        },
    )


@login_required
@require_GET
def accreditations(request):
    """The body's officer: applications and accreditations, by state, expiring within 90 days."""
    access.require(request.user, "skills.accreditation.decide")
    # The act is held only in the body (JPK) or the nation, which contain every centre.
    state = request.GET.get("state", "")
    filters = AccreditationFilters(
        state=state if state in Accreditation.State.values else "",
        expiring=request.GET.get("expiring") == "1",
        q=(request.GET.get("q") or "")[:40].replace("\x00", "").strip(),
    )
    today = timezone.localdate()
    page = Paginator(accreditation_list(filters=filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "skills/accreditation/list.html",
        {
            "filters": filters,
            "page": page,
            "rows": _rows(page, today),
            "states": Accreditation.State.choices,
            "expiring_days": EXPIRING_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accreditation(request, pk):
    """One application or accreditation: its history, and the acts its state allows (POST)."""
    access.require(request.user, "skills.accreditation.decide")
    try:
        item = accreditation_detail(pk=pk)
    except Accreditation.DoesNotExist as exc:
        raise Http404 from exc
    access.require(request.user, "skills.accreditation.decide", item.centre)
    form = DecisionForm(request.POST or None)
    failed_act = None
    if request.method == "POST":
        if form.is_valid():
            act = form.cleaned_data["act"]
            try:
                accreditation_act(
                    accreditation_id=item.pk, act=act, by=request.user,
                    reason=form.cleaned_data["reason"],
                    conditions=form.cleaned_data["conditions"],
                    valid_from=form.cleaned_data["valid_from"],
                    expires_on=form.cleaned_data["expires_on"],
                )  # fmt: skip
            except AccreditationRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, DONE[act])
                return redirect("skills:accreditation", item.pk)
        failed_act = request.POST.get("act")
    today = timezone.localdate()
    acts = [act for act, states in rules.ACCREDITATION_ACTS.items() if item.state in states]
    return render(
        request,
        "skills/accreditation/detail.html",
        {
            "item": item,
            "row": _rows([item], today)[0],
            "acts": acts,
            "form": form,
            "failed_act": failed_act,
            "today": today,
            "default_expiry": today + datetime.timedelta(days=3 * 365),
        },
    )


urlpatterns = [
    path("kemahiran/pusat/<str:code>/", centre, name="centre"),
    path("kemahiran/pusat/<str:code>/mohon/", apply, name="apply"),
    path("kemahiran/pentauliahan/", accreditations, name="accreditations"),
    path("kemahiran/pentauliahan/<int:pk>/", accreditation, name="accreditation"),
]
