"""PPT, recognition of prior achievement (Modul PPT): the centre's applications and the body's desk.

A centre's administrator (``skills.ppt.manage``) makes an application for a
person, gathers the evidence per CU and submits it; its assessor (PP,
``skills.assess`` on the application's intake) judges each CU and sends it to
the external verifier; the body assigns the PPL and certifies, through the
core's own pages and services. Each view finds its objects through
``skills.access``, validates a form, calls one service and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.people import access as people

from .. import access, files, ppt_rules, rules
from ..models import Accreditation, CompetencyUnit
from ..ppt_forms import ApplicationForm, EvidenceForm, JudgeForm, WithdrawForm
from ..selectors import ppt as selectors
from ..selectors.training import centre_accreditations
from ..services import ppt as services
from ..services.certificates import certificates_issue_for_enrolment

PAGE_SIZE = 50


def _fail(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _url(application):
    return reverse("skills:ppt", kwargs={"code": application.centre.code, "pk": application.pk})


def _listing(request, rows, context, template):
    stage = request.GET.get("stage", "")
    query = request.GET.get("q", "")
    found = rows(stage=stage if stage in ppt_rules.STAGES else None, query=query)
    page = Paginator(found.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.page_rows(page.object_list)
    return render(
        request, template,
        {**context, "page": page, "stage": stage, "q": query[:100],
         "stages": [(code, ppt_rules.STAGE_NAMES[code]) for code in ppt_rules.STAGES]},
    )  # fmt: skip


@login_required
def ppt_desk(request):
    """Every PPT application the person may see (the body: every centre's), by stage."""
    scope = access.ppt_centres(request.user)
    if scope is not None and len(scope) == 1:
        return redirect("skills:ppt_list", code=scope[0].code)

    def rows(**kwargs):
        found = selectors.applications(**kwargs)
        return found if scope is None else found.filter(centre__in=scope)

    return _listing(request, rows, {"counts": selectors.stage_counts() if scope is None
                                    else None}, "skills/ppt/desk.html")  # fmt: skip


@login_required
def ppt_list(request, code):
    """A centre's PPT applications, by stage."""
    centre = access.centre_for(request.user, code, access.PPT_VIEW)

    def rows(**kwargs):
        return selectors.applications(centre=centre, **kwargs)

    return _listing(
        request, rows,
        {"centre": centre, "counts": selectors.stage_counts(centre=centre),
         "can_apply": people.can(request.user, access.PPT_MANAGE, centre)},
        "skills/ppt/list.html",
    )  # fmt: skip


def _accreditations(centre, today):
    return Accreditation.objects.filter(
        pk__in=[a.pk for a, blocked in centre_accreditations(centre, today) if blocked is None]
    ).select_related("standard")


@login_required
@require_http_methods(["GET", "POST"])
def ppt_new(request, code):
    """Make a PPT application for a person at the centre (a draft: the evidence comes next)."""
    centre = access.centre_for(request.user, code, access.PPT_MANAGE)
    today = timezone.localdate()
    accreditations = _accreditations(centre, today)
    units = (
        CompetencyUnit.objects.filter(standard__accreditations__in=accreditations)
        .select_related("standard")
        .order_by("standard__code", "order", "code")
        .distinct()
    )
    form = ApplicationForm(request.POST or None, accreditations=accreditations, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.ppt_apply(
                centre=centre, accreditation=data["accreditation"], id_number=data["id_number"],
                name=data["name"], email=data["email"], mode=data["mode"],
                unit_ids=data["units"], channel=data["channel"], agency=data["agency"],
                experience=data["experience"], years=data["years"], by=request.user, today=today,
            )  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request,
                _("Application %(ref)s made: add the evidence for each CU, then submit it.")
                % {"ref": application.reference},
            )
            return redirect(_url(application))
    return render(request, "skills/ppt/new.html",
                  {"centre": centre, "form": form, "none": not accreditations})  # fmt: skip


def _page(request, application, **extra):
    certificate = selectors.application_certificate(application)
    application.certified = certificate is not None
    selectors.with_stage(application)
    lines = selectors.application_page(application)
    may = access.ppt_acts(request.user, application)
    context = {
        "centre": application.centre,
        "application": application,
        "shown_id": rules.mask_id(application.trainee.id_number),
        "lines": lines,
        "certificate": certificate,
        "evidence_form": EvidenceForm(units=[line.unit for line in lines])
        if may["evidence"] else None,
        **{f"can_{act}": allowed for act, allowed in may.items()},
        "withdraw_form": WithdrawForm(),
        "max_files": files.MAX_FILES,
    }  # fmt: skip
    context.update(extra)
    return render(request, "skills/ppt/detail.html", context)


@login_required
def ppt_detail(request, code, pk):
    """One application: the person (identity number masked), the CUs with their evidence,
    the assessor's judgements, the verification and the certificate."""
    return _page(request, access.ppt_visible(request.user, code, pk))


@login_required
@require_POST
def ppt_evidence_add(request, code, pk):
    application = access.ppt_for(request.user, code, pk, access.PPT_MANAGE)
    form = EvidenceForm(request.POST, request.FILES,
                        units=selectors.application_units(application))  # fmt: skip
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                application=application, unit_id=form.cleaned_data["unit"],
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"], by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("%(name)s kept for %(unit)s.")
                             % {"name": evidence.name, "unit": evidence.unit.code})  # fmt: skip
            return redirect(_url(application) + "#evidence")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _page(request, access.ppt_visible(request.user, code, pk), evidence_form=form)


@login_required
@require_POST
def ppt_evidence_remove(request, code, pk, evidence):
    application = access.ppt_for(request.user, code, pk, access.PPT_MANAGE)
    try:
        services.evidence_remove(application=application, evidence_id=evidence, by=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The file was removed."))
    return redirect(_url(application) + "#evidence")


@login_required
def ppt_evidence_file(request, pk):
    """Hand out one evidence file to someone who may see the application (else 404)."""
    evidence = access.ppt_evidence_for(request.user, pk)
    try:
        return files.file_response(evidence.file, evidence.name)
    except OSError:
        messages.error(request, _("The file cannot be found; ask the centre to upload it again."))
        return redirect(_url(evidence.application))


@login_required
@require_POST
def ppt_submit(request, code, pk):
    application = access.ppt_for(request.user, code, pk, access.PPT_MANAGE)
    try:
        services.ppt_submit(application=application, by=request.user,
                            today=timezone.localdate())  # fmt: skip
    except ValidationError as exc:
        _fail(request, exc)
    else:
        message = _("Application %(ref)s submitted: the centre's assessor judges it next.")
        messages.success(request, message % {"ref": application.reference})
    return redirect(_url(application))


@login_required
@require_http_methods(["GET", "POST"])
def ppt_judge(request, code, pk):
    """The assessor (PP) judges each applied CU from the evidence (and an interview or a
    practical assessment, recorded); with every CU judged, sends it to the verifier."""
    application = access.ppt_for(request.user, code, pk, "skills.assess")
    application.certified = False
    selectors.with_stage(application)
    lines = selectors.application_page(application)
    today = timezone.localdate()
    form = JudgeForm(request.POST if request.method == "POST" else None, lines=lines, today=today)
    if request.method == "POST":
        if form.is_valid():
            send = "send" in request.POST
            try:
                changed = services.ppt_judge(application=application,
                                             judgements=form.judgements, by=request.user,
                                             today=today, send=send)  # fmt: skip
            except ValidationError as exc:
                _fail(request, exc)
            else:
                if send:
                    messages.success(request, _("Judgements kept and sent to the external "
                                                "verifier."))  # fmt: skip
                    return redirect(_url(application))
                messages.success(request, _("%(n)s judgement(s) kept.") % {"n": changed})
                return redirect(reverse("skills:ppt_judge", args=[code, pk]))
        else:
            for message in form.errors:
                messages.error(request, message)
    return render(
        request, "skills/ppt/judge.html",
        {"centre": application.centre, "application": application,
         "shown_id": rules.mask_id(application.trainee.id_number),
         "rows": [(line, {k: form.value(line, k) for k in ("outcome", "method", "record",
                                                          "date")}) for line in lines],
         "methods": ppt_rules.METHOD_CHOICES,
         "outcomes": [(rules.COMPETENT, _("Competent")), (rules.NOT_YET, _("Not yet competent"))],
         "today": today},
    )  # fmt: skip


@login_required
@require_POST
def ppt_withdraw(request, code, pk):
    application = access.ppt_for(request.user, code, pk, access.PPT_MANAGE)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_url(application))
    try:
        services.ppt_withdraw(application=application, by=request.user,
                              reason=form.cleaned_data["reason"])  # fmt: skip
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, _("Application %(ref)s withdrawn.") % {"ref": application.reference}
        )
    return redirect(_url(application))


@login_required
@require_POST
def ppt_certify(request, code, pk):
    """The certification officer issues what the verified application earned (rules.award)."""
    application = access.ppt_for(request.user, code, pk, "skills.certify")
    enrolment = application.intake.enrolments.first() if application.intake_id else None
    if enrolment is None or application.intake.state != rules.INTAKE_VERIFIED:
        messages.error(request, _("Only a verified application is certified."))
        return redirect(_url(application))
    issued = certificates_issue_for_enrolment(enrolment=enrolment, by=request.user)
    if issued.certificate is not None:
        messages.success(request, _("Certificate %(number)s issued.")
                         % {"number": issued.certificate.reference})  # fmt: skip
    else:
        messages.error(request, issued.why_not)
    return redirect(_url(application))


urlpatterns = [
    path("kemahiran/ppt/", ppt_desk, name="ppt_desk"),
    path("kemahiran/ppt/bukti/<int:pk>/", ppt_evidence_file, name="ppt_evidence_file"),
    path("kemahiran/pusat/<str:code>/ppt/", ppt_list, name="ppt_list"),
    path("kemahiran/pusat/<str:code>/ppt/baru/", ppt_new, name="ppt_new"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/", ppt_detail, name="ppt"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/bukti/", ppt_evidence_add, name="ppt_evidence"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/bukti/<int:evidence>/buang/",
         ppt_evidence_remove, name="ppt_evidence_remove"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/hantar/", ppt_submit, name="ppt_submit"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/penilaian/", ppt_judge, name="ppt_judge"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/tarik-balik/", ppt_withdraw,
         name="ppt_withdraw"),
    path("kemahiran/pusat/<str:code>/ppt/<int:pk>/persijilan/", ppt_certify, name="ppt_certify"),
]  # fmt: skip
