"""PASR registration at the school: the exam secretary registers, the head verifies documents.

Every view finds the school through ``pasr.access.school_for`` with its act
(the one access rule), validates a form, calls one service and renders.
"""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import calendar, importing, rules
from ..access import may, school_for
from ..models import Candidate, InstrumentRelease
from ..registration_forms import ImportForm, OverrideAskForm, RegistrationForm, VerifyForm
from ..selectors import registration as selectors
from ..services import registration as services


def _year(request) -> int:
    return calendar.year_from(request.GET.get("year"))


def _url(name, school, year) -> str:
    return reverse(name, args=[school.code]) + "?" + urlencode({"year": year})


def _window(year: int) -> dict:
    board = calendar.assessment_year(year)
    return {
        "opens": board.registration_opens,
        "closes": board.registration_closes,
        "open": calendar.window_open(board, rules.REGISTRATION),
    }


def school_panel(request, school, year):
    """The registration panel of the school's PASR page (anyone who may see the page).

    Officers see whether the school runs PASR and its counts, never names.
    """
    user = request.user
    if not may(user, "pasr.view", school):
        return None
    staff = may(user, "pasr.candidates", school)
    may_download = may(user, "pasr.instrument.download", school)
    may_verify = may(user, "pasr.instrument.verify", school)
    school_year = selectors.school_year(school=school, year=year)
    return {
        "school_year": school_year,
        "runs": school.has_ppki or bool(school_year and school_year.partial_inclusive),
        "window": _window(year),
        "counts": _counts(school, year),
        "staff": staff,
        "may_register": may(user, "pasr.register", school),
        "may_declare": may(user, "pasr.declare", school),
        "may_download": may_download,
        "may_verify": may_verify,
        "releases": (
            selectors.releases_for(school=school, year=year) if may_download or may_verify else []
        ),
        "requests": selectors.school_requests(school=school, year=year, limit=10) if staff else [],
        "query": urlencode({"year": year}),
    }


def _counts(school, year) -> list[tuple]:
    """Return [(status, its name, n)] of the school's candidates, every status listed."""
    counts = selectors.status_counts(school=school, year=year)
    return [(code, name, counts.get(code, 0)) for code, name in Candidate.Status.choices]


def _refusal_context(form, outcome):
    return {
        "refusals": outcome.refusals,
        "overridable": outcome.overridable,
        "stored": form.stored() if outcome.overridable else {},
    }


@login_required
def register(request, code):
    """The registration form: one candidate per POST; a refusal names every failed rule."""
    school = school_for(request.user, code, "pasr.register")
    year = _year(request)
    form = RegistrationForm(request.POST or None)
    context = {}
    if request.method == "POST" and form.is_valid():
        outcome = services.candidate_register(
            school=school,
            year=year,
            fields=form.candidate_fields(),
            applicant=form.applicant(),
            by=request.user,
        )
        if outcome.candidate is not None:
            messages.success(
                request,
                _("%(name)s is registered for PASR %(year)s.")
                % {"name": outcome.candidate.name, "year": year},
            )
            return redirect(_url("pasr:register", school, year))
        context = _refusal_context(form, outcome)
    return _register_page(request, school, year, form, context)


def _register_page(request, school, year, form, context, status=200):
    return render(
        request,
        "pasr/register.html",
        {
            "school": school,
            "year": year,
            "form": form,
            "window": _window(year),
            "requests": selectors.school_requests(school=school, year=year),
            "query": urlencode({"year": year}),
            "ask_form": OverrideAskForm(),
            **context,
        },
        status=status,
    )


@login_required
@require_POST
def override_ask(request, code):
    """Ask the examinations board to override an overridable refusal (with a note)."""
    school = school_for(request.user, code, "pasr.register")
    year = _year(request)
    form = OverrideAskForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(_url("pasr:register", school, year))
    try:
        services.override_ask(
            school=school,
            year=year,
            data={k: v for k, v in form.stored().items() if k != "note"},
            applicant=form.applicant(),
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your request is sent to the examinations board; its decision will show here."),
        )
    return redirect(_url("pasr:register", school, year))


@login_required
def candidates_import(request, code):
    """Register a whole list (CSV or XLSX): every row passes, or nothing is saved."""
    school = school_for(request.user, code, "pasr.register")
    year = _year(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = services.candidates_import(
            school=school, year=year, data=upload.read(), filename=upload.name, by=request.user
        )
        if outcome.ok:
            messages.success(
                request,
                _("%(n)s candidates registered for PASR %(year)s.")
                % {"n": outcome.created, "year": year},
            )
            return redirect(_url("pasr:candidates", school, year))
        problems = outcome.problems
        messages.error(
            request,
            _("Nothing was registered: the file has %(n)s problems, listed below.")
            % {"n": len(problems)},
        )
    return render(
        request,
        "pasr/import.html",
        {
            "school": school,
            "year": year,
            "form": form,
            "problems": problems[:500],
            "more_problems": max(0, len(problems) - 500),
            "window": _window(year),
            "columns": list(importing.COLUMNS),
            "query": urlencode({"year": year}),
        },
    )


@login_required
def import_template(request, code):
    """A CSV to fill in: the registration form's columns and two example rows."""
    school_for(request.user, code, "pasr.register")
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pasr-{year}-calon-templat.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(importing.template_rows(year))
    return response


@login_required
def candidates(request, code):
    """The school's candidate list: the full identity number only for the exam secretary."""
    school = school_for(request.user, code, "pasr.candidates")
    year = _year(request)
    show_identity = may(request.user, "pasr.identity", school)
    rows = selectors.candidate_rows(school=school, year=year)
    for row in rows:
        number = row.candidate.id_number
        # data-candidate holds the digits only where the full number may be shown.
        row.data_id = number if show_identity else rules.mask_id(number)
        row.shown_id = rules.format_id(number) if show_identity else rules.mask_id(number)
    return render(
        request,
        "pasr/candidates.html",
        {
            "school": school,
            "year": year,
            "rows": rows,
            "show_identity": show_identity,
            "may_register": may(request.user, "pasr.register", school),
            "query": urlencode({"year": year}),
        },
    )


@login_required
@require_POST
def declare(request, code):
    """Declare partial inclusive education for the year (the school then runs PASR)."""
    school = school_for(request.user, code, "pasr.declare")
    year = _year(request)
    services.inclusive_declare(school=school, year=year, by=request.user)
    messages.success(
        request,
        _("Partial inclusive education is declared for %(year)s: the school runs PASR.")
        % {"year": year},
    )
    return redirect(_url("pasr:school", school, year))


@login_required
@require_POST
def undeclare(request, code):
    """Take back a partial-inclusive declaration made by mistake (no candidate sits)."""
    school = school_for(request.user, code, "pasr.declare")
    year = _year(request)
    try:
        services.inclusive_withdraw(school=school, year=year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The declaration of partial inclusive education for %(year)s is withdrawn.")
            % {"year": year},
        )
    return redirect(_url("pasr:school", school, year))


@login_required
@require_POST
def instrument_download(request, code, pk):
    """Hand out a published document (a POST: the download is recorded with who and when)."""
    school = school_for(request.user, code, "pasr.instrument.download")
    release = get_object_or_404(InstrumentRelease.objects.select_related("assessment_year"), pk=pk)
    year = release.assessment_year.year
    try:
        document = release.document.open("rb")
    except OSError:
        messages.error(request, _("The document cannot be found; ask the examinations board."))
        return redirect(_url("pasr:school", school, year))
    try:
        services.instrument_download(school=school, release=release, by=request.user)
    except ValidationError as exc:
        document.close()
        messages.error(request, " ".join(exc.messages))
        return redirect(_url("pasr:school", school, year))
    return FileResponse(
        document,
        as_attachment=True,
        filename=f"pasr-{year}-{release.instrument}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def instrument_verify(request, code, pk):
    """The head verifies the document the school downloaded (seed 6.10)."""
    school = school_for(request.user, code, "pasr.instrument.verify")
    release = get_object_or_404(InstrumentRelease.objects.select_related("assessment_year"), pk=pk)
    year = release.assessment_year.year
    form = VerifyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.instrument_verify(school=school, release=release, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(title)s is verified.") % {"title": release.title},
        )
    return redirect(_url("pasr:school", school, year))


urlpatterns = [
    path("pasr/sekolah/<str:code>/daftar/", register, name="register"),
    path("pasr/sekolah/<str:code>/daftar/rayuan/", override_ask, name="override_ask"),
    path("pasr/sekolah/<str:code>/daftar/fail/", candidates_import, name="import"),
    path("pasr/sekolah/<str:code>/daftar/templat.csv", import_template, name="import_template"),
    path("pasr/sekolah/<str:code>/calon/", candidates, name="candidates"),
    path("pasr/sekolah/<str:code>/inklusif/", declare, name="declare"),
    path("pasr/sekolah/<str:code>/inklusif/tarik-balik/", undeclare, name="undeclare"),
    path(
        "pasr/sekolah/<str:code>/instrumen/<int:pk>/muat-turun/",
        instrument_download,
        name="instrument_download",
    ),
    path(
        "pasr/sekolah/<str:code>/instrumen/<int:pk>/sahkan/",
        instrument_verify,
        name="instrument_verify",
    ),
]
