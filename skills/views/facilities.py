"""Facilities self-declared and checked (Kemudahan): the centre's declaration, the body's
queue and check, the checklist (public) and its upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.people import access as people

from .. import access
from .. import facility_rules as frules
from ..forms.facilities import CheckForm, ChecklistUploadForm, DeclarationForm
from ..selectors import facilities as selectors
from ..selectors.rating import year_of
from ..services import facilities as services


def _text_rows(items, language):
    return {i["code"]: {"text": selectors.localised(i, "text", language),
                        "evidence": selectors.localised(i, "evidence", language)}
            for i in items}  # fmt: skip


def _centre_page(request, centre, *, form=None, problems=(), status=200):
    """The centre's facilities of a year: its declaration and the body's findings, and
    (this year, before the check, for its administrator) the declaration form."""
    this = timezone.localdate().year
    years = sorted({this, *selectors.declaration_years(centre=centre)}, reverse=True)
    year = year_of(request.GET.get("year"), years) or this
    declaration = selectors.declaration_of(centre=centre, year=year)
    language = translation.get_language()
    may_declare = (
        year == this and people.can(request.user, access.FACILITIES_DECLARE, centre)
        and (declaration is None or declaration.state == frules.DECLARED)
    )  # fmt: skip
    may_check = declaration is not None and people.can(request.user, access.FACILITIES_CHECK,
                                                       centre)  # fmt: skip
    context = {"centre": centre, "year": year, "years": years, "declaration": declaration,
               "may_declare": may_declare, "may_check": may_check, "this_year": this}  # fmt: skip
    if declaration is not None:
        texts = _text_rows(declaration.checklist.items, language)
        context["rows"] = [{"item": r["item"], **texts.get(r["item"].code, {})}
                           for r in selectors.rows(declaration)]  # fmt: skip
    if may_declare:
        checklist, items = selectors.checklist_in_force()
        texts = _text_rows(items, language)
        known = {r["item"].code: r["item"] for r in context.get("rows", [])}
        errors = dict(problems)
        sent = form.data if form is not None else {}
        context["checklist"] = checklist
        context["form_rows"] = [
            {"code": i["code"], **texts[i["code"]],
             "in_place": sent.get(f"in_place-{i['code']}") if form is not None else
             ({True: "yes", False: "no"}.get(known[i["code"]].in_place) if i["code"] in known
              else ""),
             "how": (sent.get(f"how-{i['code']}") or "") if form is not None else
             (known[i["code"]].how if i["code"] in known else ""),
             "error": errors.get(i["code"], "")}
            for i in items
        ]  # fmt: skip
        context["form_errors"] = (
            [e for name, errs in form.errors.items() for e in errs] if form is not None else []
        )
    return render(request, "skills/facilities/centre.html", context, status=status)


@login_required
@require_GET
def facilities(request, code):
    """A centre's facilities declarations (its administrator declares this year's here)."""
    return _centre_page(request, access.centre_for(request.user, code, access.FACILITIES_VIEW))


@login_required
@require_POST
def facilities_declare(request, code):
    """The centre's administrator declares (or, before the check, re-declares) this year's."""
    centre = access.centre_for(request.user, code, access.FACILITIES_DECLARE)
    _checklist, items = selectors.checklist_in_force()
    form = DeclarationForm(request.POST, items=items)
    problems = []
    if form.is_valid():
        try:
            services.facilities_declare(centre=centre, year=timezone.localdate().year,
                                        answers=form.answers(), by=request.user)  # fmt: skip
        except services.FacilitiesRefused as refused:
            messages.error(request, str(refused))
            problems = refused.problems
        else:
            messages.success(request, _("Your declaration is recorded; the body checks it on "
                                        "its visit."))  # fmt: skip
            return redirect("skills:facilities", code=centre.code)
    return _centre_page(request, centre, form=form, problems=problems, status=400)


@login_required
@require_GET
def declarations(request):
    """The body's list: declarations awaiting a check (oldest first), or checked ones."""
    access.facilities_checker(request.user)
    years = selectors.queue_years()
    filters = selectors.queue_filters(request.GET, years)
    page = Paginator(selectors.queue(filters=filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "skills/facilities/list.html",
                  {"page": page, "filters": filters, "years": years,
                   "states": frules.STATE_CHOICES})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def declaration_check(request, pk):
    """The body checks a declaration on its visit: each item in place confirmed or rejected."""
    declaration = access.declaration_for_check(request.user, pk)
    items = list(declaration.items.all())
    # The visit's day: the one recorded, or today (the officer records it after the visit).
    initial = {"visited_on": declaration.visited_on or timezone.localdate(),
               "note": declaration.check_note}  # fmt: skip
    for item in items:
        if item.finding in (frules.CONFIRMED, frules.REJECTED):
            initial[f"finding-{item.code}"] = item.finding
            initial[f"finding_note-{item.code}"] = item.finding_note
    form = CheckForm(request.POST or None, items=items, initial=initial)
    problems, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.facilities_check(
                    declaration=declaration, findings=form.findings(),
                    visited_on=form.cleaned_data["visited_on"],
                    note=form.cleaned_data["note"], by=request.user,
                )  # fmt: skip
            except services.FacilitiesRefused as refused:
                messages.error(request, str(refused))
                problems = refused.problems
            else:
                messages.success(request, _("The check of %(centre)s's declaration is recorded; "
                                            "the star rating of %(year)s is being recomputed.")
                                 % {"centre": declaration.centre.code,
                                    "year": declaration.year})  # fmt: skip
                return redirect("skills:facility_declarations")
    texts = _text_rows(declaration.checklist.items, translation.get_language())
    errors = dict(problems)
    bound = form.is_bound
    rows = []
    for item in items:
        key = f"finding-{item.code}"
        rows.append({
            "item": item, **texts.get(item.code, {}), "error": errors.get(item.code, ""),
            "finding": (form.data.get(key) if bound else initial.get(key)) or "",
            "note": (form.data.get(f"finding_note-{item.code}") if bound
                     else initial.get(f"finding_note-{item.code}")) or "",
        })  # fmt: skip
    return render(request, "skills/facilities/check.html",
                  {"declaration": declaration, "form": form, "rows": rows,
                   "today": timezone.localdate()}, status=status)  # fmt: skip


@require_GET
def checklist(request):
    """The facilities checklist, every version (public, as the rating's criteria are)."""
    stored, items = selectors.checklist_in_force()
    language = translation.get_language()
    texts = _text_rows(items, language)
    return render(request, "skills/facilities/checklist.html", {
        "current": stored, "items": [{"code": i["code"], **texts[i["code"]]} for i in items],
        "earlier": selectors.checklists()[1:],
        "may_upload": people.can(request.user, access.FACILITIES_CHECKLIST),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def checklist_upload(request):
    """The body publishes the next version of the facilities checklist by uploading it."""
    if not people.can(request.user, access.FACILITIES_CHECKLIST):
        raise PermissionDenied
    form = ChecklistUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            stored, created = services.checklist_upload(data=form.cleaned_data["file"].read(),
                                                        by=request.user)  # fmt: skip
        except frules.ChecklistErrors as errors:
            problems = errors.problems
        else:
            if created:
                messages.success(request, _("Version %(v)s of the facilities checklist is "
                                            "published; the next declarations use it.")
                                 % {"v": stored.version})  # fmt: skip
            else:
                messages.info(request, _("This checklist is already the current version: "
                                         "nothing changed."))  # fmt: skip
            return redirect("skills:facility_checklist")
    stored, _items = selectors.checklist_in_force()
    source = stored.source if stored else services.DEFAULT_FILE.read_text(encoding="utf-8")
    return render(request, "skills/facilities/upload.html",
                  {"form": form, "problems": problems, "source": source},
                  status=400 if problems or form.errors else 200)  # fmt: skip


urlpatterns = [
    path("kemahiran/pusat/<str:code>/kemudahan/", facilities, name="facilities"),
    path("kemahiran/pusat/<str:code>/kemudahan/isytihar/", facilities_declare,
         name="facilities_declare"),
    path("kemahiran/kemudahan/", declarations, name="facility_declarations"),
    path("kemahiran/kemudahan/<int:pk>/", declaration_check, name="facility_check"),
    path("kemahiran/kemudahan/senarai-semak/", checklist, name="facility_checklist"),
    path("kemahiran/kemudahan/senarai-semak/muat-naik/", checklist_upload,
         name="facility_checklist_upload"),
]  # fmt: skip
