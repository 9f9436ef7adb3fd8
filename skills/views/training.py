"""Skills certification: training views (see skills/urls.py).

Intakes and their trainees (Pendaftaran), results per CU (Penilaian), the
external verifier's check (Verifikasi) and the trainee's own page. Each view
finds its objects through ``skills.access``, validates a form, calls one
service and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.people import access as people

from .. import access, rules
from ..models import Intake
from ..selectors import training as selectors
from ..selectors.accreditation import accreditation_blocked
from ..selectors.certificates import certificates_of, intake_certificates
from ..selectors.ppt import applications_of
from ..services import intakes as intake_services
from ..services import results as result_services
from ..services import verification as verification_services
from ..training_forms import (
    AssignForm,
    IntakeForm,
    ResultsGrid,
    TraineeForm,
    TraineeListForm,
    VerifyForm,
)

MAX_ERRORS = 200


def _fail(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _intake_url(intake):
    from django.urls import reverse

    return reverse("skills:intake", kwargs={"code": intake.centre.code, "pk": intake.pk})


def _today():
    return timezone.localdate()


# -- intakes -----------------------------------------------------------------------


@login_required
def intakes(request, code):
    """The centre's intakes: programme, dates, trainees, state and verifier."""
    centre = access.centre_for(request.user, code, "skills.centre.view")
    return render(
        request,
        "skills/intakes.html",
        {
            "centre": centre,
            "intakes": selectors.centre_intakes(centre),
            "can_open": people.can(request.user, "skills.intake.manage", centre),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_new(request, code):
    """Open an intake of one of the centre's accreditations (refused while it blocks intakes)."""
    centre = access.centre_for(request.user, code, "skills.intake.manage")
    today = _today()
    accreditations = selectors.centre_accreditations(centre, today)
    # Every accreditation is offered: choosing a blocked one is refused with its reason.
    queryset = centre.accreditations.select_related("standard")
    form = IntakeForm(request.POST or None, accreditations=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            intake = intake_services.intake_open(
                centre=centre, accreditation=form.cleaned_data["accreditation"],
                code=form.cleaned_data["code"], starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"], by=request.user, today=today,
            )  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Intake %(code)s opened.") % {"code": intake.code})
            return redirect(_intake_url(intake))
    return render(
        request,
        "skills/intake_new.html",
        {
            "centre": centre,
            "form": form,
            "accreditations": accreditations,
            "any_open": any(blocked is None for _a, blocked in accreditations),
        },
    )


@login_required
def intake(request, code, pk):
    """An intake: its trainees and their results per CU, state, verifier, verification rounds."""
    intake = access.intake_for(request.user, code, pk, "skills.trainees.view")
    user, centre = request.user, intake.centre
    # A PPT application's intake is worked from the application's page.
    ppt = selectors.ppt_of(intake)
    manage = ppt is None and people.can(user, "skills.intake.manage", centre)
    units, rows = selectors.intake_grid(intake, full_ids=manage)
    editable = intake.state in intake_services.EDITABLE
    return render(
        request,
        "skills/intake.html",
        {
            "centre": centre,
            "intake": intake,
            "units": units,
            "rows": rows,
            "verifications": selectors.intake_verifications(intake),
            "blocked": accreditation_blocked(intake.accreditation, _today()),
            "editable": editable,
            "can_manage": manage and editable,
            "can_assess": ppt is None and editable and people.can(user, "skills.assess", centre),
            "ppt": ppt,
            "can_assign": intake.state != rules.INTAKE_VERIFIED
            and people.can(user, "skills.verifier.assign", centre),
            # The PPL the body assigned, while the intake waits for them.
            "can_verify": intake.verifier_id == user.pk
            and intake.state == rules.INTAKE_SUBMITTED
            and people.can(user, "skills.verify"),
            "can_certify": intake.state == rules.INTAKE_VERIFIED
            and people.can(user, "skills.certify", centre),
            # Whoever sees the intake sees its certificates (skills.access.certificate_for).
            "certificates": intake_certificates(intake),
            "trainee_form": TraineeForm() if manage and editable else None,
            # Giving trainees their logins (skills.services.accounts), at any stage.
            "can_give_logins": people.can(user, "skills.trainee.account", centre),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_register(request, code, pk):
    """Enrol one trainee: their record if the identity number is known (the name it has stays)."""
    intake = access.intake_for(request.user, code, pk, "skills.intake.manage")
    form = TraineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = intake_services.trainee_enrol(
                intake=intake, id_number=data["id_number"], name=data["name"],
                email=data["email"], by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        else:
            trainee = outcome.enrolment.trainee
            messages.success(request, _("%(name)s enrolled.") % {"name": trainee.name})
            if outcome.other_name:
                messages.warning(
                    request,
                    _(
                        "This identity number is already registered as %(kept)s; the name "
                        "stays as registered, not %(typed)s. Ask the certification officer to "
                        "correct it if it is wrong."
                    )
                    % {"kept": trainee.name, "typed": outcome.other_name},
                )
            return redirect(_intake_url(intake))
    return render(
        request, "skills/intake_register.html", {"centre": intake.centre, "intake": intake,
                                                 "form": form}
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def intake_import(request, code, pk):
    """Enrol a CSV/XLSX list of trainees: all or nothing, with the rows at fault listed."""
    intake = access.intake_for(request.user, code, pk, "skills.intake.manage")
    form = TraineeListForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = intake_services.trainees_import(
                intake=intake, data=upload.read(), filename=upload.name, by=request.user
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            if outcome.ok:
                messages.success(
                    request,
                    _(
                        "List enrolled: %(enrolled)s trainees (%(new)s new to the portal), "
                        "%(already)s already in the intake."
                    )
                    % {"enrolled": outcome.enrolled, "new": outcome.new_trainees,
                       "already": outcome.already},
                )  # fmt: skip
                for line, typed, kept in outcome.other_names[:50]:
                    messages.warning(
                        request,
                        _("Row %(row)s: registered as %(kept)s; the name stays, not %(typed)s.")
                        % {"row": line, "kept": kept, "typed": typed},
                    )
                return redirect(_intake_url(intake))
            errors = outcome.errors
            messages.error(
                request,
                _("Nothing was enrolled: the file has %(n)s problems, listed below.")
                % {"n": len(errors)},
            )
    return render(
        request,
        "skills/intake_import.html",
        {
            "centre": intake.centre,
            "intake": intake,
            "form": form,
            "errors": errors[:MAX_ERRORS],
            "more_errors": max(0, len(errors) - MAX_ERRORS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_submit(request, code, pk):
    """Submit the intake for verification; what has no result yet is named and confirmed."""
    intake = access.intake_for(request.user, code, pk, "skills.intake.manage")
    missing = None
    if request.method == "POST":
        try:
            intake_services.intake_submit(
                intake=intake, by=request.user, confirm=bool(request.POST.get("confirm"))
            )
        except intake_services.Incomplete as exc:
            missing = exc.missing
        except ValidationError as exc:
            _fail(request, exc)
            return redirect(_intake_url(intake))
        else:
            messages.success(request, _("Intake submitted for verification."))
            return redirect(_intake_url(intake))
    if missing is None and intake.state in intake_services.EDITABLE:
        missing = selectors.intake_missing(intake)
    return render(
        request,
        "skills/intake_submit.html",
        {
            "centre": intake.centre,
            "intake": intake,
            "missing": missing or [],
            "editable": intake.state in intake_services.EDITABLE,
        },
    )


# -- assessment --------------------------------------------------------------------


def _int(value):
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@login_required
@require_http_methods(["GET", "POST"])
def results(request, code, pk):
    """The assessor's results: a grid of every trainee by CU, or one trainee's CUs in detail."""
    intake = access.intake_for(request.user, code, pk, "skills.assess")
    ppt = selectors.ppt_of(intake)
    if ppt is not None:  # judged CU by CU on the application's page
        return redirect("skills:ppt_judge", code=code, pk=ppt.pk)
    source = request.POST if request.method == "POST" else request.GET
    single = _int(source.get("trainee"))
    units, rows = selectors.intake_grid(
        intake, full_ids=False, enrolments=[single] if single else None
    )
    if single and not rows:
        raise Http404
    editable = intake.state in intake_services.EDITABLE
    today = _today()
    grid = ResultsGrid(request.POST if request.method == "POST" else None, units=units,
                       rows=rows, single=bool(single), today=today)  # fmt: skip
    if request.method == "POST":
        if grid.is_valid():
            try:
                changed = result_services.results_record(
                    intake=intake, entries=grid.entries, by=request.user, today=today
                )
            except ValidationError as exc:
                _fail(request, exc)
            else:
                if changed:
                    messages.success(request, _("%(n)s results recorded.") % {"n": changed})
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect(request.get_full_path())
        else:
            for message in grid.errors:
                messages.error(request, message)
    table = grid.table()
    return render(
        request,
        "skills/results.html",
        {
            "centre": intake.centre,
            "intake": intake,
            "units": units,
            "rows": rows,
            "single": rows[0] if single else None,
            "grid_rows": table,
            "single_cells": table[0]["cells"] if single else None,
            "batch": grid.batch,
            "editable": editable,
            "blocked": accreditation_blocked(intake.accreditation, today),
            "today": today,
            "today_iso": today.isoformat(),
            "outcomes": [
                (rules.COMPETENT, _("Competent")),
                (rules.NOT_YET, _("Not yet competent")),
            ],
        },
    )


# -- verification ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intake_assign(request, code, pk):
    """The body assigns the intake's external verifier (PPL)."""
    intake = access.intake_for(request.user, code, pk, "skills.verifier.assign")
    form = AssignForm(request.POST or None, verifiers=selectors.verifiers(),
                      initial={"verifier": intake.verifier_id})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            intake = verification_services.verifier_assign(
                intake=intake, verifier_id=form.cleaned_data["verifier"].pk, by=request.user
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s will verify intake %(code)s.")
                % {"name": intake.verifier.get_full_name() or intake.verifier.username,
                   "code": intake.code},
            )  # fmt: skip
            return redirect(_intake_url(intake))
    return render(
        request,
        "skills/intake_assign.html",
        {"centre": intake.centre, "intake": intake, "form": form,
         "assessors": selectors.intake_assessors(intake)},
    )  # fmt: skip


@login_required
def verifications(request):
    """The intakes the body assigned to the external verifier signed in."""
    if not people.can(request.user, "skills.verify"):
        raise PermissionDenied
    return render(
        request, "skills/verifications.html", {"intakes": selectors.verifier_intakes(request.user)}
    )


def _assigned(user, pk) -> Intake:
    if not people.can(user, "skills.verify"):
        raise PermissionDenied
    code = Intake.objects.filter(pk=pk).values_list("centre__code", flat=True).first()
    if code is None:
        raise Http404
    return access.intake_for(user, code, pk, "skills.verify")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request, pk):
    """The verifier checks every trainee or a sample, writes findings, approves or returns."""
    intake = _assigned(request.user, pk)
    units, rows = selectors.intake_grid(intake, full_ids=False)
    form = VerifyForm(request.POST or None, enrolments=[r.enrolment for r in rows])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verification_services.intake_verify(
                intake=intake, verifier=request.user, whole_intake=data["scope"] == "all",
                sample_ids=data["sample"], findings=data["findings"], decision=data["decision"],
                comments=data["comments"],
            )  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        else:
            approved = data["decision"] == rules.APPROVED
            message = (
                _("Intake %(code)s approved: its results are verified.")
                if approved
                else _("Intake %(code)s returned to the centre with your comments.")
            )
            messages.success(request, message % {"code": intake.code})
            return redirect("skills:verifications")
    return render(
        request,
        "skills/verify.html",
        {
            "centre": intake.centre,
            "intake": intake,
            "units": units,
            "rows": rows,
            "form": form,
            "verifications": selectors.intake_verifications(intake),
            "assessed_here": request.user.pk in selectors.intake_assessors(intake),
            "may_verify": intake.state == rules.INTAKE_SUBMITTED,
            "ppt": selectors.ppt_of(intake),
        },
    )


# -- the trainee's own page --------------------------------------------------------


@login_required
def me(request):
    """The trainee's enrolments with their results per CU, and their certificates."""
    trainee = access.own_trainee(request.user)
    return render(
        request,
        "skills/me.html",
        {
            "trainee": trainee,
            "shown_id": rules.mask_id(trainee.id_number),
            "enrolments": selectors.trainee_page(trainee),
            # templates/skills/partials/my_certificates.html reads it.
            "certificates": certificates_of(trainee),
            "ppt_applications": applications_of(trainee),
        },
    )


urlpatterns = [
    path("kemahiran/pusat/<str:code>/pengambilan/", intakes, name="intakes"),
    path("kemahiran/pusat/<str:code>/pengambilan/baru/", intake_new, name="intake_new"),
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/", intake, name="intake"),
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/pelatih/", intake_register,
         name="intake_register"),
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/muat-naik/", intake_import,
         name="intake_import"),
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/keputusan/", results, name="results"),
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/hantar/", intake_submit,
         name="intake_submit"),
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/ppl/", intake_assign,
         name="intake_assign"),
    path("kemahiran/verifikasi/", verifications, name="verifications"),
    path("kemahiran/verifikasi/<int:pk>/", verify, name="verify"),
    path("kemahiran/saya/", me, name="me"),
]  # fmt: skip
