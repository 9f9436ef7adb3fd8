"""The executive report (Modul Laporan Eksekutif): one page a tier, printable and exportable.

``/kemahiran/laporan-eksekutif/?year=&state=|sector=|centre=&format=csv|xlsx|pdf``. The tier
is found by ``skills.access.executive_tier`` (the body: every tier; a centre's
administrator: their own centre), the figures by ``skills.selectors.executive``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssqs_portal.exports import csv_response, xlsx_response
from ssqs_portal.pdf import document_response

from .. import access, pdfs
from .. import executive_rules as xrules
from ..forms.executive import ExecutiveForm
from ..selectors import executive as selectors

HEADERS = [
    gettext_lazy("Section"), gettext_lazy("Code"), gettext_lazy("Name"),
    gettext_lazy("Level or standard"), gettext_lazy("Count"), gettext_lazy("Last year"),
    gettext_lazy("Change (%)"), gettext_lazy("Date"), gettext_lazy("Note"),
]  # fmt: skip


def overdue_definition():
    return _(
        "An intake is overdue for verification when its training ended more than %(days)s "
        "days ago and it is not yet verified (open, submitted or returned); a centre is "
        "overdue when it has at least one such intake."
    ) % {"days": xrules.VERIFICATION_DUE_DAYS}


def compared_label(report):
    if report.same_period:
        return _("%(year)s to %(date)s (same period)") % {
            "year": report.year - 1, "date": formats.date_format(report.compared_to),
        }  # fmt: skip
    return _("%(year)s (whole year)") % {"year": report.year - 1}


def compared_short(report):
    """The comparison column's heading: "2025 to 27 Nov" or "2025"."""
    if report.same_period:
        return _("%(year)s to %(date)s") % {
            "year": report.year - 1, "date": formats.date_format(report.compared_to, "j M"),
        }  # fmt: skip
    return str(report.year - 1)


def export_rows(report):
    """The report as rows of HEADERS: everything on the page, every centre and accreditation."""
    tier = report.tier
    yield [_("Report"), tier.code, tier.name, "", "", "", "", report.today,
           _("Executive report %(year)s, as of this date") % {"year": report.year}]  # fmt: skip
    yield [_("Report"), "", _("Overdue for verification"), "", "", "", "", "",
           overdue_definition()]  # fmt: skip
    certified = _("Certificates issued in %(year)s") % {"year": report.year}
    yield [_("Headline"), "", certified, _("All levels"), report.total, report.last,
           report.change, "", compared_label(report)]  # fmt: skip
    yield [_("Headline"), "", _("Centres overdue for verification"), "",
           report.overdue_centres, "", "", "", ""]  # fmt: skip
    expiring = _("Accreditations expiring in %(quarter)s") % {"quarter": report.quarter_label}
    yield [_("Headline"), "", expiring, "", len(report.expiring), "", "", "", ""]
    for row in report.sectors:
        for kind, n, last in row.columns:
            if n or last:
                yield [certified, row.code, row.name, kind, n, last, xrules.change(n, last),
                       "", ""]  # fmt: skip
        yield [certified, row.code, row.name, _("All levels"), row.total, row.last, row.change,
               "", ""]  # fmt: skip
    for kind, n, last in report.kind_columns:
        yield [certified, "", _("All sectors"), kind, n, last, xrules.change(n, last), "", ""]
    yield [certified, "", _("All sectors"), _("All levels"), report.total, report.last,
           report.change, "", compared_label(report)]  # fmt: skip
    section = _("Centres overdue for verification")
    for centre in report.overdue:
        note = "; ".join(f"{label}: {n}" for label, n in centre.holders)
        yield [section, centre.code, centre.name, centre.state, centre.intakes, "", "",
               centre.oldest, note]  # fmt: skip
    for title, rows in (
        (expiring, report.expiring),
        (_("Accreditations expired with intakes not verified"), report.expired_open),
    ):  # fmt: skip
        for row in rows:
            note = _("Renewal applied for or approved") if row.renewal else _("No renewal yet")
            yield [title, row.centre_code, row.centre_name,
                   f"{row.standard_code} {row.standard_title}", row.open_intakes, "", "",
                   row.expires_on, note]  # fmt: skip


@login_required
def executive(request):
    """One page for management: certified by level and sector, centres overdue, expiring."""
    years = selectors.years()
    form = ExecutiveForm(request.GET, years=years)
    if not form.is_valid():
        # Someone who may see no tier learns nothing more from the mistakes in the address.
        if not _may_see_some_tier(request.user):
            raise PermissionDenied
        errors = [
            (form.fields[name].label if name in form.fields else "", error)
            for name, messages in form.errors.items() for error in messages
        ]  # fmt: skip
        return render(request, "skills/executive.html",
                      {"form": form, "years": years, "errors": errors}, status=400)  # fmt: skip
    kind, code = form.cleaned_data["tier"]
    tier = access.executive_tier(request.user, kind, code)
    year = form.cleaned_data["year"]
    report = selectors.executive_report(tier=tier, year=year)
    fmt = form.cleaned_data["format"]
    filename = f"skills-executive-report-{year}-{tier.slug()}"
    if fmt == "pdf":
        return document_response(
            pdfs.executive_document(
                context=_context(report), by=request.user, filename=f"{filename}.pdf",
                request=request,
            )
        )  # fmt: skip
    if fmt == "csv":
        return csv_response(HEADERS, export_rows(report), f"{filename}.csv")
    if fmt == "xlsx":
        return xlsx_response(HEADERS, export_rows(report), f"{filename}.xlsx", str(year))
    whole = tier_whole(request.user)
    return render(
        request,
        "skills/executive.html",
        {**_context(report), "form": form, "years": years, "whole": whole,
         "query": tier.query(), **(selectors.tier_choices(report) if whole else {})},
    )  # fmt: skip


def _may_see_some_tier(user) -> bool:
    from core.people import access as people_access

    return people_access.can(user, access.EXECUTIVE)


def tier_whole(user) -> bool:
    """Whether the user sees every tier (the body), so the page offers the others."""
    from core.people import access as people_access
    from core.people.units import skills_body_unit

    return people_access.can(user, access.EXECUTIVE, skills_body_unit())


def _context(report):
    return {
        "report": report,
        "year": report.year,
        "tier": report.tier,
        "definition": overdue_definition(),
        "compared": compared_label(report),
        "compared_short": compared_short(report),
        "printed_at": timezone.localtime(),
        "nation_name": selectors.NATION_NAME,
    }


urlpatterns = [
    path("kemahiran/laporan-eksekutif/", executive, name="executive"),
]
