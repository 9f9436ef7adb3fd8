from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.people import access
from schools.models import School
from ssqs_portal.exports import csv_response
from ssqs_portal.pdf import document_response
from surveys.selectors import current_cycle

from . import certificate_batches, maps, pdfs, reminders, selectors
from .rollups import INDICATORS


def _context(request, level, code, act="monitoring.view"):
    node = selectors.node_for_user(request.user, level, code, act)
    cycle = current_cycle()
    if cycle is None:
        raise Http404(_("No SSQS cycle has been opened yet."))
    return node, cycle


@login_required
def home(request):
    """Send an officer to the dashboard of their own node (the school list before any cycle)."""
    level, code = selectors.home_node(request.user, "monitoring.view")
    if current_cycle() is None:
        messages.info(request, _("No SSQS cycle has been opened yet."))
        return redirect("schools:list")
    return redirect("monitoring:dashboard", level=level, code=code)


@login_required
def results(request):
    """The SSQS results of the officer's own node: its schools, best score first."""
    level, code = selectors.home_node(request.user, "monitoring.view")
    return redirect(reverse("monitoring:schools", args=[level, code]) + "?sort=-score")


@login_required
def dashboard(request, level, code):
    """A node's completeness board, star distribution and indicator means."""
    node, cycle = _context(request, level, code)
    rollup = selectors.rollup_for(cycle, node)
    children = selectors.child_rollups(cycle, node)
    schools = []
    if node.level == "district":
        schools = list(
            selectors.node_progress(cycle, node).select_related("school").order_by("school__code")
        )
    chart = None
    if rollup and rollup.schools:
        chart = {
            "stars": {"provisional": rollup.stars_provisional, "final": rollup.stars_final},
            # An indicator no school has data for is a gap, not a zero bar.
            "indicators": [
                None if (mean := getattr(rollup, f"mean_{name}")) is None else float(mean)
                for name in INDICATORS
            ],
        }
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "node": node,
            "cycle": cycle,
            "rollup": rollup,
            "children": children,
            "schools": schools,
            "chart": chart,
            "indicator_schools": _indicator_schools(rollup),
            "map": maps.node_map(cycle, node) if rollup and rollup.schools else None,
            "map_measures": maps.measure_choices(),
            "map_legend": maps.legend(),
            "table_url": reverse("monitoring:schools", args=[node.level, node.code]),
        },
    )


def _indicator_schools(rollup):
    """Return [(indicator label, schools with data, mean or None)] of a roll-up."""
    if not rollup:
        return []
    labels = [_("Usage"), _("Human capital"), _("Applications"), _("Infrastructure")]
    counts = rollup.indicator_schools or {}
    return [
        (label, counts.get(name, 0), getattr(rollup, f"mean_{name}"))
        for label, name in zip(labels, INDICATORS, strict=True)
    ]


@login_required
def map_points(request, level, code):
    """The node's schools as [longitude, latitude, stars, code] for the canvas map."""
    node, cycle = _context(request, level, code)
    points = [
        [round(float(lon), 3), round(float(lat), 3), stars or 0, school_code]
        for lon, lat, stars, school_code in selectors.node_progress(cycle, node)
        .filter(school__longitude__isnull=False, school__latitude__isnull=False)
        .values_list("school__longitude", "school__latitude", "stars", "school__code")
    ]
    return JsonResponse({"points": points})


@login_required
def schools(request, level, code):
    """The node's schools with search, filters, sorting, paging and exports."""
    node, cycle = _context(request, level, code)
    types = sorted(set(School.objects.values_list("type", flat=True).distinct()))
    table, by_type = selectors.SCHOOL_TABLE, selectors.type_filter(types)
    filters = table.clean(request.GET, **by_type)
    rows = table.rows(selectors.node_progress(cycle, node), filters, **by_type)
    return table.response(
        request,
        rows,
        filters,
        template="monitoring/schools.html",
        context={"node": node, "cycle": cycle, "types": types},
        filename=f"ssqs-{cycle.year}-{node.code}-sekolah",
        sheet=f"SSQS {cycle.year}",
    )


@login_required
@require_POST
def review(request, code):
    """An officer above the school verifies its data or returns it with a comment (core.review)."""
    from core.review.views import act_response, school_for_officer

    school = school_for_officer(request.user, code, "ssqs.review")
    cycle = current_cycle()
    if cycle is None:
        raise Http404(_("No SSQS cycle has been opened yet."))
    return act_response(
        request,
        programme="ssqs",
        school=school,
        year=cycle.year,
        back=reverse("schools:detail", args=[school.code]),
    )


@login_required
def remind(request, level, code):
    """Reminders to the node's not-started schools: first what would go (GET), then send (POST).

    The confirm page says how many schools, how many of them have an address,
    shows the e-mail as the first school would get it and when the last
    reminder under this node went.
    """
    node, cycle = _context(request, level, code, "monitoring.remind")
    school_ids = (
        selectors.node_progress(cycle, node)
        .filter(status="not_started")
        .values_list("school_id", flat=True)
    )
    schools = list(School.objects.filter(pk__in=list(school_ids)).order_by("code"))
    base_url = settings.PORTAL_BASE_URL or request.build_absolute_uri("/")
    if request.method == "POST":
        sent = reminders.reminders_send(
            cycle=cycle, schools=schools, by=request.user, base_url=base_url
        )
        messages.success(
            request,
            _("%(sent)s reminders sent (%(none)s schools have no e-mail).")
            % {"sent": sent, "none": len(schools) - sent},
        )
        return redirect("monitoring:dashboard", level=level, code=code)
    recipients = reminders.reminder_recipients(schools)
    sample = next((s for s in schools if s.pk in recipients), schools[0] if schools else None)
    preview = None
    if sample is not None:
        subject, body = reminders.reminder_message(
            cycle=cycle, school=sample, by=request.user, base_url=base_url
        )
        preview = {"subject": subject, "body": body, "to": recipients.get(sample.pk, [])}
    return render(
        request,
        "monitoring/remind.html",
        {
            "node": node,
            "cycle": cycle,
            "schools": schools,
            "reachable": len(recipients),
            "preview": preview,
            "last": selectors.last_reminder(cycle, node),
        },
    )


@login_required
def report(request, level, code):
    """The node's printable report (PDF): figures, charts and its completeness table."""
    node, cycle = _context(request, level, code)
    return document_response(
        pdfs.node_report(node=node, cycle=cycle, by=request.user, request=request)
    )


@login_required
@require_POST
def certificates_request(request, code):
    """Queue the district's star certificates; the officer watches the progress."""
    node, cycle = _context(request, "district", code, "monitoring.certificates")
    from schools.models import District

    district = District.objects.get(code=node.code)
    batch = certificate_batches.certificate_batch_request(
        cycle=cycle, district=district, by=request.user
    )
    if batch is None:
        messages.info(
            request,
            _(
                "No school of this district has a final rating yet: "
                "there is no certificate to build."
            ),
        )
        return redirect("monitoring:dashboard", level="district", code=node.code)
    return redirect("monitoring:certificates", pk=batch.pk)


def _batch_for_user(request, pk):
    from .models import CertificateBatch

    access.require(request.user, "monitoring.certificates")
    batch = (
        CertificateBatch.objects.select_related("district", "cycle")
        .filter(
            pk=pk,
            district__in=access.districts_for(request.user, act="monitoring.certificates"),
        )
        .first()
    )
    if batch is None:
        raise Http404
    return batch


@login_required
def certificates(request, pk):
    """The batch's progress (polled by htmx while it is being built) and its download."""
    batch = _batch_for_user(request, pk)
    template = "monitoring/certificates.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"batch": batch})


@login_required
@require_POST
def certificates_restart(request, pk):
    """Build a failed or stalled batch again (the officers who may start one may restart it)."""
    batch = _batch_for_user(request, pk)
    if certificate_batches.certificate_batch_restart(batch=batch):
        messages.success(request, _("The certificates are being built again."))
    else:
        messages.info(request, _("This batch is not stalled or failed: nothing to restart."))
    return redirect("monitoring:certificates", pk=batch.pk)


@login_required
def certificates_download(request, pk):
    batch = _batch_for_user(request, pk)
    if batch.status != batch.Status.DONE or not batch.total:
        raise Http404  # an empty batch has nothing to download
    return FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


# Respondent-level progress for officers: no tag (a login secret), no name, no answer.
RESPONDENT_COLUMNS = [
    (gettext_lazy("School code"), "school__code"),
    (gettext_lazy("District (PPD)"), "school__district__name"),
    (gettext_lazy("State"), "school__district__state__name"),
    (gettext_lazy("Category"), "category"),
    (gettext_lazy("Number"), "number"),
    (gettext_lazy("Started at"), "started_at"),
    (gettext_lazy("Completed at"), "completed_at"),
]  # fmt: skip


@login_required
def respondents_export(request, level, code):
    """Every respondent under the node, one CSV row each, streamed (memory stays flat)."""
    node, cycle = _context(request, level, code)
    from surveys.models import Respondent

    rows = selectors.node_respondents(cycle, node, [field for _h, field in RESPONDENT_COLUMNS])
    categories = dict(Respondent.Category.choices)
    category = 3  # the column of the category, shown by its label
    return csv_response(
        [h for h, _f in RESPONDENT_COLUMNS] + [gettext_lazy("Domains completed")],
        (
            (*values[:category], categories.get(values[category]), *values[category + 1 :])
            for values in rows.iterator(chunk_size=5000)
        ),
        f"ssqs-{cycle.year}-{node.code}-responden.csv",
    )
