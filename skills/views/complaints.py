"""Complaints (Modul Aduan, Borang Aduan Masalah): the public form and lookup, the body's desk.

Public, no login: ``aduan/baru/`` files a complaint (spam rules in
``skills.complaint_rules``, counted per address and for everyone with
``skills.throttle``), ``aduan/terima-kasih/`` shows its reference once,
``aduan/semak/`` shows a complaint's status and the body's public answers by
reference (rate-limited per address). The body's handlers
(``skills.complaint.handle``) list, open and act on complaints; a centre's
administrator (``skills.complaint.view``) reads those about their centre.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ssqs_portal.clientip import client_ip

from .. import access, throttle
from .. import complaint_rules as crules
from ..forms.complaints import ComplaintActForm, ComplaintForm, LookupForm, form_stamp
from ..selectors import complaints as selectors
from ..services import complaints as services

THANKS_KEY = "skills_complaint_reference"


def _too_many(request, template, wait, context):
    response = render(request, template, {**context, "wait": wait, "throttled": True},
                      status=429)  # fmt: skip
    response["Retry-After"] = str(wait)
    return response


def _prefill(user):
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"name": user.get_full_name() or user.username, "email": user.email or ""}


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Borang Aduan Masalah: anyone files a complaint; logged-in people find it prefilled."""
    template = "skills/complaints/new.html"
    if request.method != "POST":
        form = ComplaintForm(initial=_prefill(request.user))
        return render(
            request, template, {"form": form, "stamp": form_stamp(), "sla_days": crules.SLA_DAYS}
        )
    form = ComplaintForm(request.POST)
    context = {"form": form, "stamp": form_stamp(), "sla_days": crules.SLA_DAYS}
    address = client_ip(request)
    tries = {f"complaint:try:{address}": crules.ATTEMPTS_PER_ADDRESS}
    counters = {f"complaint:addr:{address}": crules.FILINGS_PER_ADDRESS,
                "complaint:all": crules.FILINGS_EVERYONE}  # fmt: skip
    wait = throttle.wait_seconds(tries | counters)
    if wait:
        return _too_many(request, template, wait, context)
    throttle.count(list(tries))
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    complaint = services.complaint_file(
        category=data["category"], subject=data["subject"], description=data["description"],
        name=data["name"], email=data["email"], phone=data["phone"], centre=data["centre"],
        certificate=data["certificate_number"], by=request.user,
        lookup_url=request.build_absolute_uri(reverse("skills:complaint_lookup")),
    )  # fmt: skip
    throttle.count(list(counters))
    request.session[THANKS_KEY] = complaint.reference
    return redirect("skills:complaint_thanks")


def complaint_thanks(request):
    """The reference, shown once (then it is gone from the session)."""
    reference = request.session.pop(THANKS_KEY, None)
    if reference is None:
        return redirect("skills:complaint_lookup")
    return render(request, "skills/complaints/thanks.html",
                  {"reference": reference, "sla_days": crules.SLA_DAYS})  # fmt: skip


@transaction.non_atomic_requests
def complaint_lookup(request):
    """Semak aduan: a complaint's status, dates and public answers by reference; nothing else."""
    template = "skills/complaints/lookup.html"
    typed = (request.GET.get("no") or "").strip()
    form = LookupForm(request.GET if typed else None)
    if not typed:
        return render(request, template, {"form": form})
    address = client_ip(request)
    counters = {f"complaint:lookup:{address}": crules.LOOKUPS_PER_ADDRESS}
    wait = throttle.wait_seconds(counters)
    if wait:
        return _too_many(request, template, wait, {"form": form})
    throttle.count(list(counters))
    reference = crules.normalise_reference(typed)
    # One indexed query whether the shape is right or not (a reference never found).
    found = selectors.public_status(reference or "-")
    if found is None:
        return render(request, template, {"form": form, "not_found": typed[:40]}, status=404)
    return render(request, template, {"form": form, "found": found})


@login_required
def complaints(request):
    """The body's list (a centre's administrator: their centres'), overdue first."""
    scope = access.complaint_scope(request.user)
    handler = scope is None
    data = request.GET
    status = data.get("status", "")
    status = status if status in dict(crules.STATUS_CHOICES) or status == "all" else ""
    category = data.get("category", "")
    category = category if category in dict(crules.CATEGORY_CHOICES) else ""
    centre_code = (data.get("centre") or "").strip()[:20]
    centre = None
    if centre_code and "\x00" not in centre_code:
        from ..models import Centre

        centre = Centre.objects.filter(code=centre_code).only("pk", "code", "name").first()
        if centre is None:
            messages.info(request, _("No centre has that code; every centre is shown."))
    overdue = data.get("overdue") == "1"
    rows = selectors.complaints_list(centres=scope, status=status, category=category,
                                     centre=centre, overdue=overdue)  # fmt: skip
    page = Paginator(rows.values_list("pk", flat=True), selectors.PAGE_SIZE).get_page(
        data.get("page")
    )
    page.object_list = selectors.page_rows(page.object_list)
    return render(request, "skills/complaints/list.html", {
        "page": page, "handler": handler, "status": status, "category": category,
        "centre_code": centre.code if centre else "", "overdue": overdue,
        "statuses": crules.STATUS_CHOICES, "categories": crules.CATEGORY_CHOICES,
        "overdue_count": selectors.overdue_count() if handler else None,
        "sla_days": crules.SLA_DAYS,
    })  # fmt: skip


def _detail(request, complaint, form=None, status=200):
    handler = access.complaint_handler(request.user)
    today = timezone.localdate()
    context = {
        "complaint": complaint,
        "handler": handler,
        "events": selectors.timeline(complaint, internal=handler),
        "late": crules.is_overdue(status=complaint.status, due=complaint.due_on,
                                  answered=complaint.first_answered_at is not None,
                                  today=today),  # fmt: skip
        "form": form or (ComplaintActForm(handlers=selectors.handlers()) if handler else None),
        "may": {act: crules.act_refusal(act, status=complaint.status,
                                        answered=complaint.first_answered_at is not None,
                                        level=complaint.level) is None
                for act in crules.HANDLER_ACTS},
    }  # fmt: skip
    return render(request, "skills/complaints/detail.html", context, status=status)


@login_required
def complaint(request, pk):
    """A complaint: for the handler everything and the acts; for a centre the public face."""
    return _detail(request, access.complaint_for(request.user, pk))


@login_required
@require_POST
def complaint_act(request, pk):
    """One of the body's acts (assign, answer, note, escalate, close, reopen)."""
    found = access.complaint_for(request.user, pk, access.COMPLAINT_HANDLE)
    handlers = selectors.handlers()
    form = ComplaintActForm(request.POST, handlers=handlers)
    if form.is_valid():
        data = form.cleaned_data
        assignee = data.get("assignee")
        if assignee is not None and not access.complaint_handler(assignee):
            form.add_error("assignee", _("This person does not handle complaints."))
        else:
            try:
                services.complaint_act(complaint=found, act=data["act"], by=request.user,
                                       note=data.get("note", ""), assignee=assignee,
                                       upheld=data.get("upheld"))  # fmt: skip
            except services.ComplaintRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Recorded."))
                return redirect("skills:complaint", pk=found.pk)
    return _detail(request, found, form=form, status=400)


urlpatterns = [
    path("kemahiran/aduan/", complaints, name="complaints"),
    path("kemahiran/aduan/baru/", complaint_new, name="complaint_new"),
    path("kemahiran/aduan/terima-kasih/", complaint_thanks, name="complaint_thanks"),
    path("kemahiran/aduan/semak/", complaint_lookup, name="complaint_lookup"),
    path("kemahiran/aduan/<int:pk>/", complaint, name="complaint"),
    path("kemahiran/aduan/<int:pk>/tindakan/", complaint_act, name="complaint_act"),
]
