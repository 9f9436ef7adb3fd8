"""Skills certification: certificates (Persijilan), the public check, statistics."""

import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.people import access as people_access
from ssqs_portal.clientip import client_ip
from ssqs_portal.exports import csv_response, xlsx_response
from ssqs_portal.pdf import document_response

from .. import access, checkcache, pdfs, rules, throttle
from ..certificate_forms import CheckForm, ReissueForm, RevokeForm, StatisticsForm
from ..models import Centre, SkillsRollUp
from ..selectors import certificates as selectors
from ..selectors import statistics as stat_selectors
from ..services import certificates as services


# --- the certification officer: an intake, a batch, a certificate ---
@login_required
@require_http_methods(["GET", "POST"])
def intake_certify(request, code, pk):
    """An intake's certification: what was issued, and (POST) issue the rest in the background."""
    intake = access.intake_for(request.user, code, pk, "skills.certify")
    if request.method == "POST":
        try:
            batch = services.issue_batch_request(intake=intake, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("skills:intake_certify", code=intake.centre.code, pk=intake.pk)
        return redirect("skills:issue_batch", pk=batch.pk)
    return render(
        request,
        "skills/intake_certify.html",
        {
            "intake": intake,
            "summary": selectors.intake_certification_summary(intake),
            "certificates": selectors.intake_certificates(intake),
            "batch": selectors.latest_batch(intake),
            "verified": intake.state == rules.INTAKE_VERIFIED,
        },
    )


@login_required
def issue_batch(request, pk):
    """The batch's progress (polled by htmx while it runs)."""
    batch = access.issue_batch_for(request.user, pk)
    template = "skills/issue_batch.html"
    if request.htmx:
        template += "#progress"
    return render(
        request,
        template,
        {"batch": batch, "stalled": services.batch_is_stalled(batch),
         "percent": round(100 * batch.done / batch.total) if batch.total else 100},
    )  # fmt: skip


@login_required
@require_POST
def issue_batch_restart(request, pk):
    batch = access.issue_batch_for(request.user, pk)
    if services.issue_batch_restart(batch=batch):
        messages.success(request, _("The certificates are being issued again."))
    else:
        messages.info(request, _("This batch is not stalled or failed: nothing to restart."))
    return redirect("skills:issue_batch", pk=batch.pk)


def _certificate_page(request, certificate, status=200, **forms):
    may_certify = people_access.can(request.user, "skills.certify", certificate.centre)
    versions = list(
        certificate.__class__.objects.filter(number=certificate.number)
        .only("pk", "reference", "version", "status", "issued_on", "holder_name")
        .order_by("version")
    )
    context = {
        "certificate": certificate,
        "kind_name": rules.KIND_NAMES[certificate.kind],
        "masked_id": rules.mask_id(certificate.trainee.id_number),
        "versions": versions,
        "is_current": versions[-1].pk == certificate.pk,
        "may_certify": may_certify,
        # The PDF's QR code leads here (a signed token naming this version).
        "qr_url": pdfs.check_url(certificate, request),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
        "reissue_form": forms.get("reissue_form")
        or ReissueForm(initial={"holder_name": certificate.holder_name}),
    }
    return render(request, "skills/certificate.html", context, status=status)


@login_required
def certificate(request, pk):
    """A certificate for staff: its facts, its versions, and the officer's acts."""
    return _certificate_page(request, access.certificate_for(request.user, pk))


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = access.certificate_for(request.user, pk, "skills.certify")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("skills:certificate", pk=certificate.pk)
    return _certificate_page(request, certificate, status=400, revoke_form=form)


@login_required
@require_POST
def certificate_reissue(request, pk):
    certificate = access.certificate_for(request.user, pk, "skills.certify")
    form = ReissueForm(request.POST)
    if form.is_valid():
        try:
            new = services.certificate_reissue(
                certificate=certificate,
                by=request.user,
                holder_name=form.cleaned_data["holder_name"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Re-issued as %(reference)s; the earlier version reads as superseded.")
                % {"reference": new.reference},
            )
            return redirect("skills:certificate", pk=new.pk)
    return _certificate_page(request, certificate, status=400, reissue_form=form)


@login_required
def certificate_pdf(request, pk):
    """The certificate as PDF: for its holder, and staff who may see it (drawn on demand)."""
    certificate = access.certificate_printable_for(request.user, pk)
    return document_response(pdfs.certificate_document(certificate=certificate, request=request))


# --- the public check (no login) ---
CARD_TEMPLATE = "skills/partials/check_result.html"


def _too_many(request, wait: int, form):
    response = render(
        request, "skills/check.html", {"form": form, "wait": wait, "throttled": True}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _check_page(request, form, card_html, reference, extra=None):
    context = {"form": form, "card": mark_safe(card_html), "reference": reference}  # noqa: S308
    return render(request, "skills/check.html", context | (extra or {}))


def _check_response(request, certificate, form, address, card_key=None, counters=None):
    """Render a found certificate; answer the identity-number question if one was asked.

    ``counters``: the lookup's rate-limit counters, counted here. Without the question the
    card is the same for everyone: kept under ``card_key`` (``skills.checkcache``) for
    the next check of this version in this language, in the same round trip as the count.
    """
    context = {"certificate": certificate, "kind_name": rules.KIND_NAMES[certificate.kind]}
    if certificate.status == rules.SUPERSEDED:
        context["current_reference"] = selectors.current_reference(certificate)
    digits = form.cleaned_data.get("id_number") if form.is_bound and form.is_valid() else ""
    if digits:
        throttle.count(counters or {})
        counters = {
            f"match:addr:{address}": rules.CHECK_MATCHES_PER_ADDRESS,
            f"match:cert:{certificate.number}": rules.CHECK_MATCHES_PER_CERTIFICATE,
        }
        wait = throttle.wait_seconds(counters)
        if wait:
            return _too_many(request, wait, form)
        throttle.count(counters)
        # Constant time: how long the answer takes says nothing about the digits.
        context["holder_match"] = hmac.compare_digest(
            digits.encode(), selectors.holder_id_number(certificate).encode()
        )
    html = render_to_string(CARD_TEMPLATE, context, request)
    if not digits:
        keep = checkcache.entry(card_key, html=html, reference=certificate.reference) if (
            card_key) else None  # fmt: skip
        throttle.count(counters or {}, keep=keep)
    return _check_page(request, form, html, certificate.reference)


def _asks_holder(data) -> bool:
    return bool((data.get("id_number") or "").strip())


# Read-only and public: no transaction around it (two round trips fewer per check).
@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def check(request):
    """Semakan Sijil: anyone types a certificate number and reads its status.

    Two cache round trips: one reads the rate limit and the cached card together, one
    counts the lookup (and keeps the card rendered on a miss); a cached card costs no
    query. The identity-number question is never answered from the cache.
    """
    data = request.POST if request.method == "POST" else request.GET
    form = CheckForm(data if ("no" in data or "id_number" in data) else None)
    typed = (data.get("no") or "").strip()
    if not typed:
        return render(request, "skills/check.html", {"form": CheckForm()})
    address = client_ip(request)
    counters = {f"lookup:addr:{address}": rules.CHECK_LOOKUPS_PER_ADDRESS}
    reference = rules.normalise_reference(typed)
    card_key = checkcache.reference_key(reference) if reference else None
    cacheable = card_key is not None and not _asks_holder(data)
    wait, found = throttle.wait_and_read(counters, [card_key] if cacheable else [])
    if wait:
        return _too_many(request, wait, form)
    card = checkcache.card_of(found.get(card_key)) if cacheable else None
    if card is not None:
        throttle.count(counters)
        return _check_page(request, form, card["html"], card["reference"])
    certificate = selectors.certificate_for_check(reference=reference) if reference else None
    if certificate is None:
        throttle.count(counters)
        return render(
            request, "skills/check.html", {"form": form, "not_found": typed[:40]}, status=404
        )
    form.is_valid()
    return _check_response(request, certificate, form, address,
                           card_key if cacheable else None, counters)  # fmt: skip


@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def check_token(request, token):
    """The QR code's address: the version it names, as the public check shows it now."""
    found = pdfs.check_token_read(token)
    data = request.POST if request.method == "POST" else request.GET
    form = CheckForm(data if "id_number" in data else None)
    card_key = checkcache.version_key(*found) if found and not _asks_holder(data) else None
    if card_key is not None:
        try:
            card = checkcache.card_of(cache.get(card_key))
        except Exception:  # the cache down: read the record
            card = None
        if card is not None:
            return _check_page(request, form, card["html"], card["reference"])
    certificate = selectors.certificate_for_check(pk=found[0]) if found else None
    if certificate is None or certificate.version != found[1]:
        return render(
            request,
            "skills/check.html",
            {"form": CheckForm(), "not_found": _("this QR code")},
            status=404,
        )
    form.is_valid()
    return _check_response(request, certificate, form, client_ip(request), card_key)


# --- statistics (item 8) ---
STAT_HEADERS = [
    gettext_lazy("Section"), gettext_lazy("Code"), gettext_lazy("Name"),
    gettext_lazy("Count"), gettext_lazy("Competent"), gettext_lazy("Pass rate (%)"),
]  # fmt: skip


def _place_name(place):
    return _("No state recorded") if place.code == SkillsRollUp.NO_STATE else place.name


def _statistics_rows(stats):
    """The export of the node shown: its figures, then its places (states or centres)."""
    yield [_("Intakes"), "", "", stats.intakes, "", ""]
    yield [_("Trainees enrolled"), "", "", stats.trainees, "", ""]
    for row in stats.units:
        title = row["unit__title_ms"]
        yield [_("Competency unit"), row["unit__code"], title, row["assessed"], row["competent"],
               row["rate"]]  # fmt: skip
    for kind, n in stats.by_level:
        yield [_("Certificates by level"), kind, str(rules.KIND_NAMES[kind]), n, "", ""]
    for label, n in stats.by_sector:
        yield [_("Certificates by sector"), "", label, n, "", ""]
    section = (_("Certificates by state") if stats.place_level == stat_selectors.STATE
               else _("Certificates by centre"))  # fmt: skip
    for place in stats.places:
        yield [section, place.code, _place_name(place), place.certificates, "", ""]
    units = (_("CU results by state") if stats.place_level == stat_selectors.STATE
             else _("CU results by centre"))  # fmt: skip
    for place in stats.places:
        yield [units, place.code, _place_name(place), place.assessed, place.competent,
               place.rate]  # fmt: skip


def _statistics_scope(user, data):
    """Return (state code or None, centres or None, crumbs) of the node asked for.

    The body (JPK) sees the nation, any state and any centre; a centre's administrator
    their own centres only (a state or another centre: 404, as one that does not exist).
    """
    state = (data.get("state") or "").strip()[:20]
    centre = (data.get("centre") or "").strip()[:20]
    if "\x00" in state or "\x00" in centre:
        raise Http404
    whole = people_access.can(user, "skills.statistics", _skills_body_unit())
    nation = ("", stat_selectors.NATION_NAME)
    if not whole:
        mine = access.centres_for(user, "skills.statistics")
        if state:
            raise Http404
        if centre:
            mine = mine.filter(code=centre)
            if not mine.exists():
                raise Http404
        return None, mine, []
    if centre:
        found = Centre.objects.select_related("state").filter(code=centre).first()
        if found is None:
            raise Http404
        code = found.state.code if found.state else SkillsRollUp.NO_STATE
        name = found.state.name if found.state else _("No state recorded")
        return None, Centre.objects.filter(pk=found.pk), [nation, (f"state={code}", name)]
    if state:
        name = stat_selectors.state_name(state)
        if name is None:
            raise Http404
        return state, None, [nation]
    return None, None, []


@login_required
def statistics(request):
    """Statistik: a node's intakes, pass rates per CU and certificates, with its places.

    The body starts at the nation (its states), drills down to a state (its centres) and
    a centre; a centre's administrator sees their own centre. Exports follow the node shown.
    """
    user = request.user
    if not people_access.can(user, "skills.statistics"):
        raise PermissionDenied
    years = stat_selectors.statistics_years()
    form = StatisticsForm(request.GET or None, years=years)
    year = years[0]
    if form.is_bound and form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    state, centres, crumbs = _statistics_scope(user, request.GET)
    stats = stat_selectors.skills_statistics(year=year, state=state, centres=centres)
    node_query = ""
    if request.GET.get("state") and state:
        node_query = f"&state={state}"
    elif request.GET.get("centre") and centres is not None:
        node_query = f"&centre={request.GET['centre'].strip()[:20]}"
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        label = stats.code or (stats.places[0].code if len(stats.places) == 1 else "pusat")
        filename = f"skills-statistics-{year}-{slugify(label) or 'pusat'}.{fmt}"
        rows = list(_statistics_rows(stats))
        if fmt == "csv":
            return csv_response(STAT_HEADERS, iter(rows), filename)
        return xlsx_response(STAT_HEADERS, iter(rows), filename, str(year))
    return render(
        request,
        "skills/statistics.html",
        {"form": form, "stats": stats, "year": year, "crumbs": crumbs,
         "node_query": node_query, "no_state": SkillsRollUp.NO_STATE,
         "kind_names": rules.KIND_NAMES},
    )  # fmt: skip


def _skills_body_unit():
    from core.people.units import skills_body_unit

    return skills_body_unit()


urlpatterns = [
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/persijilan/", intake_certify,
         name="intake_certify"),
    path("kemahiran/persijilan/kelompok/<int:pk>/", issue_batch, name="issue_batch"),
    path("kemahiran/persijilan/kelompok/<int:pk>/mula-semula/", issue_batch_restart,
         name="issue_batch_restart"),
    path("kemahiran/sijil/<int:pk>/", certificate, name="certificate"),
    path("kemahiran/sijil/<int:pk>/batal/", certificate_revoke, name="certificate_revoke"),
    path("kemahiran/sijil/<int:pk>/keluarkan-semula/", certificate_reissue,
         name="certificate_reissue"),
    path("kemahiran/sijil/<int:pk>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("kemahiran/statistik/", statistics, name="statistics"),
    path("sijil/semak/", check, name="check"),
    path("sijil/semak/t/<str:token>/", check_token, name="check_token"),
]  # fmt: skip
