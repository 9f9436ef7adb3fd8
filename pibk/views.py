import csv
import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.people import access
from core.review import rules as review_rules
from core.review.selectors import school_events
from core.review.views import act_response, school_for_officer, school_for_school, submit_panel
from core.rollups import selectors as rollups
from ssqs_portal.hierarchy import home_node, node_for_user
from ssqs_portal.pdf import document_response

from . import entry, family_register, kpi, pdfs, rules, selectors, services, windows
from .forms import (
    ActivityDateForm,
    CountsForm,
    RegisterForm,
    SearchForm,
    TargetsForm,
)
from .models import Activity, Family, PibkRollUp, Pupil

PAGE_SIZE = 40
YEAR_PATTERN = re.compile(r"[0-9]{4}")
# Sports participants (E) and award winners (F) are marked in the window of those two days.
FLAGS_WINDOW = rules.window_of("E")


def _year(request, default=None):
    """Return the ?year= asked for, or the current one; nonsense falls back with a message.

    Only ASCII digits make a year: str.isdigit() also takes "²" (which int()
    refuses) and "٢٠٢٦" (which it reads), so neither decides here.
    """
    current = default or services.today().year
    raw = request.GET.get("year", "")
    if raw == "":
        return current
    if YEAR_PATTERN.fullmatch(raw) and rules.FIRST_YEAR <= int(raw) <= current + 1:
        return int(raw)
    shown = raw[:10].replace("\x00", "")
    messages.warning(request, _("Ignored the year '%(year)s'.") % {"year": shown})
    return current


def _search(request):
    """Return the list's search text; one a database cannot search is ignored with a message."""
    form = SearchForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["q"]
    messages.warning(
        request,
        _("Search ignored: %(error)s") % {"error": " ".join(form.errors["q"])},
    )
    return ""


def _own_school_year(request):
    """The PIBK coordinator's own school and this year's PIBK record (created on first use)."""
    school = access.desk_school(request, "pibk.enter")
    return services.school_year_ensure(school=school, year=services.today().year)


def _fail(request, exc):
    messages.error(request, " ".join(exc.messages))


def login_required_htmx(view):
    """``login_required``, and for an htmx request (a tick, a search) a whole-page redirect.

    After the session has ended, Django's redirect would be followed inside
    the request and the login page swapped into a row, the tick silently
    lost. Instead the server answers HX-Redirect to the login page (back to
    the list afterwards), with a message that the change was not saved.
    """
    protected = login_required(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or not request.htmx:
            return protected(request, *args, **kwargs)
        if request.method == "POST":
            messages.warning(
                request,
                _("Your session had ended: your last change was not saved. Sign in and redo it."),
            )
        back = request.htmx.current_url_abs_path or request.get_full_path()
        login = resolve_url(settings.LOGIN_URL)
        return HttpResponseClientRedirect(f"{login}?{urlencode({REDIRECT_FIELD_NAME: back})}")

    return wrapped


@login_required
def home(request):
    """The PIBK coordinator's school page, an officer's dashboard, a head's school page."""
    user = request.user
    if access.school_codes(user, "pibk.enter"):
        return redirect("pibk:school", code=access.desk_school(request, "pibk.enter").code)
    if access.home_node(user, "pibk.view") is None and access.school_codes(user, "pibk.view"):
        return redirect("pibk:school", code=access.desk_school(request, "pibk.view").code)
    return officer_home(request)


# -- the school's page and report -----------------------------------------------------------


def _school_context(request, code):
    school = selectors.school_for_user(request.user, code)
    year = _year(request)
    can_enter = access.can(request.user, "pibk.enter", school)
    if can_enter and year == services.today().year:
        services.school_year_ensure(school=school, year=year)
    school_year = selectors.school_year_for(school, year)
    context = {
        "school": school,
        "year": year,
        "school_year": school_year,
        "can_enter": can_enter,
        "targets": selectors.targets_for(year),
        "threshold": kpi.THRESHOLD,
        "baseline": kpi.BASELINE_2015,
        "window_names": rules.WINDOW_NAMES,
    }
    if school_year is not None:
        activities, result = selectors.school_figures(school_year)
        states = windows.window_states(school_year)
        submit_url = reverse("pibk:submit", args=[school.code]) + f"?year={year}"
        context.update(
            activities=[
                {
                    "activity": a,
                    "name": rules.ACTIVITIES[a.code],
                    "rate": result.rates.get(a.code),
                    "left_out": result.left_out.get(a.code),
                    "window": rules.window_of(a.code),
                    "open": states[rules.window_of(a.code)][1].open,
                }
                for a in activities
            ],
            result=result,
            kpi2=kpi.kpi2(school_year.volunteers, school_year.families),
            windows=[
                {
                    "code": code,
                    "name": rules.WINDOW_NAMES[code],
                    "deadline": rules.deadline(year, code),
                    "subject": subject,
                    "state": state,
                    "submit": submit_panel(
                        request.user,
                        school,
                        subject,
                        programme=windows.CODE,
                        action=submit_url,
                        window=code,
                    ),
                }
                for code, (subject, state) in states.items()
            ],
            events=school_events(programme=windows.CODE, year=year, school=school),
            history=[
                (past, selectors.school_figures(past)[1], kpi.kpi2(past.volunteers, past.families))
                for past in selectors.history(school, year)
            ],
        )
    return context


@login_required
def school(request, code):
    """A school's PIBK year: rates per activity, the average against 65%, volunteering."""
    context = _school_context(request, code)
    user = request.user
    context["can_review"] = context["school_year"] and access.can(
        user, "pibk.review", context["school"]
    )
    context["is_current"] = context["year"] == services.today().year
    return render(request, "pibk/school.html", context)


@login_required
def report(request, code):
    """The school's printable PIBK report (pibk-report)."""
    context = _school_context(request, code)
    if context["school_year"] is None:
        raise Http404(_("No PIBK data for this year."))
    return document_response(pdfs.school_report(context=context, by=request.user, request=request))


# -- the coordinator's data entry -------------------------------------------------------


@login_required
def register(request):
    """Import the family register (CSV or XLSX): all or nothing, with row-level errors."""
    school_year = _own_school_year(request)
    form = RegisterForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = family_register.register_import(
                school_year=school_year, data=upload.read(), filename=upload.name
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Register imported: %(families)s families (%(added)s new, %(removed)s "
                        "removed), %(pupils)s pupils."
                    )
                    % {
                        "families": result.families,
                        "added": result.added,
                        "removed": result.removed,
                        "pupils": result.pupils,
                    },
                )
                return redirect("pibk:register")
            errors = result.errors
            messages.error(
                request,
                _("Nothing was imported: the file has %(n)s problems, listed below.")
                % {"n": len(errors)},
            )
    return render(
        request,
        "pibk/register.html",
        {
            "school_year": school_year,
            "school": school_year.school,
            "form": form,
            "errors": errors[:200],
            "more_errors": max(0, len(errors) - 200),
            "summary": selectors.register_summary(school_year),
            "families": school_year.register.count(),
        },
    )


@login_required
def register_template(request):
    """A CSV to fill in: the register's columns and two example rows."""
    primary = access.desk_school(request, "pibk.enter").level == "primary"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pibk-daftar-templat.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["ID_KELUARGA", "NAMA_PENJAGA", "NAMA_MURID", "TAHUN", "KELAS", "SUKAN", "ANUGERAH"]
    )
    writer.writerow(
        [
            "K0001",
            "Aminah binti Ali",
            "Nur Aisyah",
            "1" if primary else "T1",
            "1 Bestari" if primary else "1 Amanah",
            "TIDAK",
            "TIDAK",
        ]
    )
    writer.writerow(
        [
            "K0001",
            "Aminah binti Ali",
            "Muhammad Irfan",
            "6" if primary else "T5",
            "6 Cemerlang" if primary else "5 Sains",
            "YA",
            "YA",
        ]
    )
    return response


def _school_list(request, school_year, rows_for, window, template, target, **extra):
    """Render one of the coordinator's searchable lists: a page of ``rows_for(q)``.

    With the window's state (open, or the message why not). An htmx search
    aimed at ``target`` gets only the list back.
    """
    q = _search(request)
    page = Paginator(rows_for(q), PAGE_SIZE).get_page(request.GET.get("page"))
    is_open, closed_message = windows.window_open(school_year, window)
    if request.htmx and request.htmx.target == target:
        template += f"#{target}"
    context = {"school_year": school_year, "page": page, "q": q, "open": is_open,
               "closed_message": closed_message, **extra}  # fmt: skip
    return render(request, template, context)


def _activity(school_year, code):
    """Return the school's activity ``code`` (A-F); anything else is not found (never a 500)."""
    if code.upper() not in rules.CODES:
        raise Http404
    return get_object_or_404(Activity, school_year=school_year, code=code.upper())


@login_required_htmx
def attendance(request, activity_code):
    """The attendance list of one activity: search a family, tick it (works on a phone)."""
    school_year = _own_school_year(request)
    activity = _activity(school_year, activity_code)
    return _school_list(
        request,
        school_year,
        lambda q: selectors.attendance_list(school_year, activity, q).order_by("guardian", "key"),
        rules.window_of(activity.code),
        "pibk/attendance.html",
        "family-list",
        activity=activity,
        name=rules.ACTIVITIES[activity.code],
    )


@login_required_htmx
@require_POST
def attendance_tick(request, activity_code, family_id):
    school_year = _own_school_year(request)
    activity = _activity(school_year, activity_code)
    family = get_object_or_404(Family, school_year=school_year, pk=family_id)
    present = request.POST.get("present") == "1"
    error = None
    try:
        activity = entry.attendance_set(activity=activity, family=family, present=present)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("pibk:attendance", activity_code=activity.code)
    family = selectors.attendance_list(school_year, activity).filter(pk=family.pk).first() or family
    return render(
        request,
        "pibk/attendance.html#family-row",
        {"family": family, "activity": activity, "open": True, "oob_counts": True, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def activity_date(request, activity_code):
    school_year = _own_school_year(request)
    activity = _activity(school_year, activity_code)
    form = ActivityDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["held_on"]))
        return redirect("pibk:attendance", activity_code=activity.code)
    try:
        entry.activity_date_set(activity=activity, held_on=form.cleaned_data["held_on"])
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Date saved."))
    return redirect("pibk:attendance", activity_code=activity.code)


@login_required_htmx
def volunteers(request):
    """Families who volunteered this year, each once however often."""
    school_year = _own_school_year(request)
    return _school_list(
        request,
        school_year,
        lambda q: selectors.volunteer_list(school_year, q).order_by("guardian", "key"),
        "K2-NOV",
        "pibk/volunteers.html",
        "family-list",
        kpi2=kpi.kpi2(school_year.volunteers, school_year.families),
    )


@login_required_htmx
@require_POST
def volunteer_tick(request, family_id):
    school_year = _own_school_year(request)
    family = get_object_or_404(Family, school_year=school_year, pk=family_id)
    error = None
    try:
        entry.volunteer_set(
            school_year=school_year, family=family, volunteering=request.POST.get("on") == "1"
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("pibk:volunteers")
    school_year.refresh_from_db()
    family = selectors.volunteer_list(school_year).get(pk=family.pk)
    return render(
        request,
        "pibk/volunteers.html#family-row",
        {"family": family, "open": True, "school_year": school_year, "oob_counts": True,
         "kpi2": kpi.kpi2(school_year.volunteers, school_year.families), "error": error},
        status=400 if error else 200,
    )  # fmt: skip


@login_required_htmx
def pupils(request):
    """The register's pupils, to mark sports-day participants and award winners."""
    school_year = _own_school_year(request)
    return _school_list(
        request,
        school_year,
        lambda q: selectors.pupil_list(school_year, q),
        FLAGS_WINDOW,
        "pibk/pupils.html",
        "pupil-list",
    )


@login_required_htmx
@require_POST
def pupil_flag(request, pupil_id, flag):
    """Mark a pupil as taking part in sports day (E) or receiving an award (F)."""
    school_year = _own_school_year(request)
    pupil = get_object_or_404(
        Pupil.objects.select_related("family__school_year__school"),
        family__school_year=school_year,
        pk=pupil_id,
    )
    if flag not in ("sports", "award"):
        raise Http404
    error = None
    try:
        entry.pupil_flag_set(pupil=pupil, flag=flag, value=request.POST.get("on") == "1")
    except ValidationError as exc:
        pupil.refresh_from_db()
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("pibk:pupils")
    is_open, _why = windows.window_open(school_year, FLAGS_WINDOW)
    return render(
        request,
        "pibk/pupils.html#pupil-row",
        {"pupil": pupil, "open": is_open, "error": error},
        status=400 if error else 200,
    )


@login_required
def counts(request):
    """Counts only, for a school without a register: expected and attended per activity."""
    school_year = _own_school_year(request)
    states = windows.window_states(school_year)
    locked = {code for code in rules.CODES if not states[rules.window_of(code)][1].open}
    kpi2_locked = not states["K2-NOV"][1].open
    initial = {"families": school_year.families, "volunteers": school_year.volunteers}
    for a in school_year.activities.all():
        initial |= {
            f"held_on_{a.code}": a.held_on,
            f"expected_{a.code}": a.expected,
            f"attended_{a.code}": a.attended,
        }
    form = CountsForm(
        request.POST or None,
        initial=initial,
        year=school_year.year,
        locked=locked,
        kpi2_locked=kpi2_locked,
    )
    if request.method == "POST":
        if form.is_valid():
            entry.counts_save(school_year=school_year, cleaned=form.cleaned_data)
            messages.success(request, _("Counts saved."))
            return redirect("pibk:school", code=school_year.school.code)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "pibk/counts.html",
        {"school_year": school_year, "form": form, "locked": locked, "kpi2_locked": kpi2_locked},
    )


# -- the district's acts -----------------------------------------------------------------


def _window_act(request, school, act=None):
    """An act on one window of a school's year (core.review), then back to its page."""
    school_year = selectors.school_year_for(school, _year(request))
    if school_year is None:
        raise Http404
    return act_response(
        request,
        programme=windows.CODE,
        school=school,
        year=school_year.year,
        act=act,
        back=f"{_school_url(school)}?year={school_year.year}",
    )


def _district_act(request, code, act=None):
    """The district's act: verify or return (``act`` None: the form says which), or reopen."""
    right = "pibk.reopen" if act == "reopened" else "pibk.review"
    return _window_act(request, school_for_officer(request.user, code, right), act)


@login_required
@require_POST
def review(request, code):
    """The district verifies a window's data (locking it) or returns it with a comment."""
    return _district_act(request, code)


@login_required
@require_POST
def reopen(request, code):
    """The district reopens a closed window until a date (recorded)."""
    return _district_act(request, code, act="reopened")


@login_required
@require_POST
def submit(request, code):
    """The school's PIBK coordinator submits a window's data for the district's review."""
    school = school_for_school(request.user, code, windows.CODE)
    return _window_act(request, school, review_rules.SUBMIT)


def _school_url(school):
    from django.urls import reverse

    return reverse("pibk:school", args=[school.code])


# -- officers' dashboards -----------------------------------------------------------------


@login_required
def officer_home(request):
    level, code = home_node(request.user, "pibk.view")
    return redirect("pibk:dashboard", level=level, code=code)


@login_required
def dashboard(request, level, code):
    """A node's KPI 1 and KPI 2 against targets, the trend, its children and weak schools."""
    node = node_for_user(request.user, level, code, "pibk.view")
    year = _year(request)
    rollup = rollups.rollup_for(PibkRollUp, year, node)
    trend = rollups.rollup_trend(PibkRollUp, node)
    targets = selectors.targets_for(year)
    chart = None
    if rollup and rollup.schools:
        chart = {
            "activities": [rollup.activity_rates.get(c) for c in rules.CODES],
            "years": [r.year for r in trend],
            "kpi1": [float(r.kpi1) if r.kpi1 is not None else None for r in trend],
            "kpi2": [float(r.kpi2) if r.kpi2 is not None else None for r in trend],
            "kpi1_target": float(targets.kpi1_target),
            "kpi2_target": float(targets.kpi2_target),
        }
    return render(
        request,
        "pibk/dashboard.html",
        {
            "node": node,
            "year": year,
            "year_query": f"?year={year}",
            "years": selectors.years_available(),
            "rollup": rollup,
            "trend": trend,
            "targets": targets,
            "children": rollups.child_rollups(PibkRollUp, year, node),
            "below": selectors.below_threshold(year, node),
            "grid": selectors.verification_grid(year, node, services.today()),
            "chart": chart,
            "windows": rules.WINDOW_NAMES,
            "window_short": rules.WINDOW_SHORT_NAMES,
            "baseline": kpi.BASELINE_2015,
            "can_edit_targets": access.can(request.user, "pibk.targets"),
        },
    )


@login_required
def schools(request, level, code):
    """The node's schools with search, filters, sorting, paging and CSV/XLSX."""
    node = node_for_user(request.user, level, code, "pibk.view")
    year = _year(request)
    table = selectors.SCHOOL_TABLE
    filters = table.clean(request.GET)
    return table.response(
        request,
        table.rows(selectors.node_schools(year, node), filters),
        filters,
        template="pibk/schools.html",
        context={"node": node, "year": year, "year_query": f"?year={year}"},
        filename=f"pibk-{year}-{node.code}-sekolah",
        sheet=f"PIBK {year}",
    )


@login_required
def targets(request):
    """The year's targets: national officers and ministry admins only."""
    access.require(request.user, "pibk.targets")
    year = _year(request)
    current = selectors.targets_for(year)
    form = TargetsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            services.targets_save(year=year, values=form.cleaned_data, by=request.user)
            messages.success(request, _("Targets for %(year)s saved.") % {"year": year})
            return redirect("pibk:officer_home")
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(request, "pibk/targets.html", {"form": form, "year": year})
