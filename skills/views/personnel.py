"""Personnel (Modul Personel): applying to serve as PP or PPL, the body's desk and decisions.

Each view finds its objects through ``skills.access`` (a personal account applies; the
applicant sees their own applications and files; the body, ``skills.personnel.decide``,
everything), validates a form, calls one service and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access
from .. import files as evidence_files
from .. import personnel_rules as prules
from ..forms.personnel import ActForm, ApplyForm, RenewForm
from ..selectors import personnel as selectors
from ..services import personnel as services

DONE = {
    "approve": gettext_lazy("%(code)s approved."),
    "refuse": gettext_lazy("%(code)s refused."),
    "induct": gettext_lazy("The induction is recorded: %(code)s is in effect."),
    "suspend": gettext_lazy("%(code)s suspended."),
    "reinstate": gettext_lazy("%(code)s reinstated."),
    "revoke": gettext_lazy("%(code)s revoked."),
}
EVENT_LABELS = {
    "apply": gettext_lazy("Applied"),
    "renew": gettext_lazy("Applied to renew"),
    "approve": gettext_lazy("Approved"),
    "refuse": gettext_lazy("Refused"),
    "induct": gettext_lazy("Induction recorded"),
    "suspend": gettext_lazy("Suspended"),
    "reinstate": gettext_lazy("Reinstated"),
    "revoke": gettext_lazy("Revoked"),
}
ACT_LABELS = {
    "approve": gettext_lazy("Approve"),
    "refuse": gettext_lazy("Refuse"),
    "induct": gettext_lazy("Record the induction"),
    "suspend": gettext_lazy("Suspend"),
    "reinstate": gettext_lazy("Reinstate"),
    "revoke": gettext_lazy("Revoke"),
}


def _today():
    return timezone.localdate()


def _acts_for(line):
    """The body's acts allowed on ``line`` now, as (act, label) pairs."""
    return [
        (act, ACT_LABELS[act])
        for act in prules.ACTS
        if prules.act_refusal(
            act, line.state, reason="x", inducted=line.induction_on is not None,
            renewal=line.renews_id is not None,
        ) is None
    ]  # fmt: skip


@login_required
@require_GET
def mine(request):
    """The person's approvals (in force, awaiting induction, renewable) and applications."""
    access.personnel_applicant(request.user)
    today = _today()
    return render(
        request,
        "skills/personnel/mine.html",
        {
            "approvals": selectors.approvals_of(request.user, today),
            "applications": selectors.applications_of(request.user),
            "today": today,
            "rules": prules.rules_text(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """The application: role, standards, the person's qualification and its evidence."""
    access.personnel_applicant(request.user)
    initial = {"standards": (request.GET.get("standard") or "")[:40], "pp_years": 0}
    form = ApplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.personnel_apply(
                applicant=request.user, role=data["role"], standard_codes=data["standards"],
                sector=data["sector"], held_level=data["held_level"],
                industry_years=data["industry_years"], pp_years=data["pp_years"],
                qualifications=data["qualifications"], uploads=data["evidence"],
            )  # fmt: skip
        except services.PersonnelRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your application is sent to the body."))
            return redirect("skills:personnel_application", pk=application.pk)
    return render(
        request, "skills/personnel/apply.html", {"form": form, "rules": prules.rules_text()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def renew(request, pk):
    """Apply to renew one of the person's approvals (its qualification carried over)."""
    approval = access.personnel_approval_for(request.user, pk, own=True)
    form = RenewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.personnel_renew(
                approval_id=approval.pk, applicant=request.user,
                note=form.cleaned_data["note"], uploads=form.cleaned_data["evidence"],
            )  # fmt: skip
        except services.PersonnelRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your renewal is sent to the body."))
            return redirect("skills:personnel_application", pk=application.pk)
    today = _today()
    refusal = prules.renewal_refusal(approval.state, approval.expires_on, today,
                                     pending=selectors.renewal_pending(approval))  # fmt: skip
    return render(
        request,
        "skills/personnel/renew.html",
        {"approval": approval, "form": form, "refusal": refusal, "rules": prules.rules_text()},
    )


@login_required
@require_GET
def application(request, pk):
    """An application: its standards, qualification, files and history; the body's forms."""
    item = access.personnel_application_for(request.user, pk)
    body = access.personnel_body(request.user)
    lines, evidence, events = selectors.application_page(item)
    today = _today()
    rows = [
        {
            "line": line,
            "in_force": prules.in_force(line.state, line.valid_from, line.expires_on, today),
            "acts": _acts_for(line) if body else [],
        }
        for line in lines
    ]
    return render(
        request,
        "skills/personnel/application.html",
        {
            "item": item, "rows": rows, "evidence": evidence, "body": body, "today": today,
            "history": [(e, EVENT_LABELS.get(e.act, e.act)) for e in events],
        },
    )  # fmt: skip


@login_required
@require_POST
def act(request, pk):
    """The body's act on one standard of an application; back to the application."""
    line = access.personnel_approval_for(request.user, pk)
    form = ActForm(request.POST)
    back = reverse("skills:personnel_application", kwargs={"pk": line.application_id})
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(back)
    data = form.cleaned_data
    try:
        services.personnel_act(
            approval_id=line.pk, act=data["act"], by=request.user, reason=data["reason"],
            course=data["course"], induction_on=data["induction_on"],
        )  # fmt: skip
    except services.PersonnelRefused as exc:
        messages.error(request, f"{line.standard.code}: {exc}")
    else:
        messages.success(request, DONE[data["act"]] % {"code": line.standard.code})
    return redirect(back)


@login_required
@require_GET
def evidence(request, pk, file_pk):
    """An evidence file, as an attachment: for the applicant and the body only."""
    kept = access.personnel_evidence_for(request.user, pk, file_pk)
    return evidence_files.file_response(kept.file, kept.name)


@login_required
@require_GET
def desk(request):
    """The body's desk: awaiting decision, awaiting induction, expiring, the register."""
    access.personnel_desk(request.user)
    today = _today()
    standard = (request.GET.get("standard") or "").strip().upper()[:40]
    role = request.GET.get("role") or ""
    role = role if role in (prules.PP, prules.PPL) else ""
    return render(
        request,
        "skills/personnel/desk.html",
        {
            "awaiting": selectors.awaiting(),
            "inducting": selectors.awaiting_induction(),
            "expiring": selectors.expiring(today),
            "register": selectors.register(today, standard_code=standard, role=role),
            "standards": selectors.register_standards(),
            "chosen_standard": standard,
            "chosen_role": role,
            "roles": prules.ROLE_CHOICES,
            "today": today,
            "limit": selectors.REGISTER_PAGE,
        },
    )


urlpatterns = [
    path("kemahiran/personel/", mine, name="personnel_mine"),
    path("kemahiran/personel/mohon/", apply, name="personnel_apply"),
    path("kemahiran/personel/meja/", desk, name="personnel_desk"),
    path("kemahiran/personel/permohonan/<int:pk>/", application, name="personnel_application"),
    path("kemahiran/personel/permohonan/<int:pk>/fail/<int:file_pk>/", evidence,
         name="personnel_evidence"),
    path("kemahiran/personel/kelulusan/<int:pk>/tindakan/", act, name="personnel_act"),
    path("kemahiran/personel/kelulusan/<int:pk>/baharui/", renew, name="personnel_renew"),
]  # fmt: skip
