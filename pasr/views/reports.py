"""PASR reports: candidates' reports (PDF), the school's analysis, QA visits, officers' dashboards.

Every view finds its school, candidate or node through the one access rule
(``pasr.access``, ``ssqs_portal.hierarchy.node_for_user``) for its act:
``pasr.report`` (the school's staff), ``pasr.analysis`` (figures without
names: the school's leaders and everyone above it), ``pasr.qa.view`` and
``pasr.qa.record``. Nothing here writes on a GET.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from ssqs_portal.exports import csv_response, xlsx_response
from ssqs_portal.hierarchy import home_node, node_for_user
from ssqs_portal.pdf import document_response

from .. import calendar, pdfs, rules
from ..access import candidate_for, may, school_for
from ..forms_qa import QaVisitForm
from ..selectors import reports as selectors
from ..services.qa import qa_visit_record

CLASS_PARAM = "kelas"
MAX_CLASS = 40  # Candidate.class_name


def _year(request) -> int:
    return calendar.year_from(request.GET.get("year"))


# -- candidates' reports (pasr-report) --------------------------------------------------------


@login_required
def candidate_report(request, code, pk):
    """One candidate's report: one page, every construct with its level, descriptor and stage."""
    school, candidate = candidate_for(request.user, code, pk, "pasr.report", here_only=True)
    reports = selectors.candidate_reports([candidate])
    document = pdfs.candidate_reports(
        school=school, year=candidate.year, reports=reports, request=request,
        name=f"pasr-{candidate.year}-{school.code}-calon-{candidate.pk}",
    )  # fmt: skip
    return document_response(document)


@login_required
def class_report(request, code):
    """A class's reports as one PDF, one page per candidate (the whole school without ?kelas=)."""
    school = school_for(request.user, code, "pasr.report")
    year = _year(request)
    class_name = request.GET.get(CLASS_PARAM, "")
    if len(class_name) > MAX_CLASS:
        raise Http404(_("No class has that name."))
    candidates = selectors.class_candidates(school=school, year=year, class_name=class_name)
    if not candidates:
        raise Http404(_("No candidate sits PASR %(year)s in this class.") % {"year": year})
    suffix = f"-{_file_part(class_name)}" if class_name else ""
    document = pdfs.candidate_reports(
        school=school, year=year, reports=selectors.candidate_reports(candidates),
        request=request, name=f"pasr-{year}-{school.code}-laporan{suffix}",
    )  # fmt: skip
    return document_response(document)


def _file_part(text: str) -> str:
    """A class name as safe file-name characters (letters, digits, dashes)."""
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text).strip("-") or "x"


# -- the school's analysis -------------------------------------------------------------------


@login_required
def analysis(request, code):
    """The school's levels per construct (verified) against its state and the nation."""
    school = school_for(request.user, code, "pasr.analysis")
    year = _year(request)
    own = may(request.user, "pasr.candidates", school)
    found = selectors.school_analysis(school=school, year=year, own_school=own)
    kind = request.GET.get("format")
    if kind in ("csv", "xlsx"):
        headers = selectors.analysis_export_headers(school.district.state.name)
        rows = selectors.analysis_export_rows(found["rows"], _("held back"))
        filename = f"pasr-{year}-{school.code}-analisis.{kind}"
        if kind == "csv":
            return csv_response(headers, rows, filename)
        return xlsx_response(headers, rows, filename, f"PASR {year}")
    return render(
        request,
        "pasr/analysis.html",
        {**found, "school": school, "year": year, "own_school": own, "levels": _levels()},
    )


def _levels():
    return [(code, rules.LEVEL_NAMES[code]) for code in rules.LEVELS]


# -- quality-assurance visits (seed 6.2-6.7) ----------------------------------------------------


@login_required
def qa(request, code):
    """The school's QA visits; those who may record one (POST) get the form."""
    school = school_for(request.user, code, "pasr.qa.view")
    year = _year(request)
    form = QaVisitForm(request.POST or None)
    if request.method == "POST":
        school = school_for(request.user, code, "pasr.qa.record")
        if form.is_valid():
            try:
                qa_visit_record(school=school, year=year, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect(f"{request.path}?year={year}")
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "pasr/qa.html",
        {
            "school": school,
            "year": year,
            "visits": selectors.qa_visits(school=school, year=year),
            "form": form,
            "can_record": may(request.user, "pasr.qa.record", school),
            "roles": rules.QA_ROLES,
        },
    )


# -- officers' dashboards (core.rollups) --------------------------------------------------------


@login_required
def dashboard_home(request):
    """Officers, the board and administrators go to their highest node."""
    level, code = home_node(request.user, "pasr.analysis")
    return redirect("pasr:node", level=level, code=code)


@login_required
def dashboard(request, level, code):
    """A node's registration progress, verified levels per construct, schools behind, children."""
    node = node_for_user(request.user, level, code, "pasr.analysis")
    year = _year(request)
    rollup = selectors.rollup_for(year, node)
    board = calendar.assessment_year(year)
    due = board.results_due or board.prokhas2_closes
    return render(
        request,
        "pasr/dashboard.html",
        {
            "node": node,
            "year": year,
            "year_query": f"?year={year}",
            "years": selectors.years_available(),
            "rollup": rollup,
            "rows": selectors.node_levels(rollup),
            "children": selectors.child_rollups(year, node),
            "behind": selectors.schools_behind(year, node),
            "due": due,
            "past_due": due is not None and calendar.today() > due,
            "levels": _levels(),
            "qa_kinds": list(rules.QA_KIND_NAMES.items()),
        },
    )


@login_required
def schools(request, level, code):
    """The node's schools running PASR: search, filters, sorting, paging and CSV/XLSX."""
    node = node_for_user(request.user, level, code, "pasr.analysis")
    year = _year(request)
    table = selectors.SCHOOL_TABLE
    filters = table.clean(request.GET)
    return table.response(
        request,
        table.rows(selectors.node_schools(year, node), filters),
        filters,
        template="pasr/schools.html",
        context={"node": node, "year": year, "year_query": f"?year={year}"},
        filename=f"pasr-{year}-{node.code}-sekolah",
        sheet=f"PASR {year}",
    )


# -- the school page's panel -------------------------------------------------------------------


def school_panel(request, school, year):
    """Reports by class, the analysis, and the latest QA visits (what the person may see)."""
    user = request.user
    reports = may(user, "pasr.report", school)
    analysis_ = may(user, "pasr.analysis", school)
    qa_view = may(user, "pasr.qa.view", school)
    if not (reports or analysis_ or qa_view):
        return None
    return {
        "classes": selectors.classes_of(school=school, year=year) if reports else None,
        "analysis": analysis_,
        "qa": qa_view,
        "visits": selectors.qa_visits(school=school, year=year, limit=3) if qa_view else [],
        "class_param": CLASS_PARAM,
    }


urlpatterns = [
    path("pasr/sekolah/<str:code>/calon/<int:pk>/laporan.pdf", candidate_report, name="report"),
    path("pasr/sekolah/<str:code>/laporan.pdf", class_report, name="class_report"),
    path("pasr/sekolah/<str:code>/analisis/", analysis, name="analysis"),
    path("pasr/sekolah/<str:code>/jaminan-kualiti/", qa, name="qa"),
    path("pasr/pemantauan/", dashboard_home, name="dashboard"),
    path("pasr/pemantauan/<str:level>/<str:code>/", dashboard, name="node"),
    path("pasr/pemantauan/<str:level>/<str:code>/sekolah/", schools, name="schools"),
]
