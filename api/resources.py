"""The API's resources: each reads through the key's principal with the pages' access rule.

Which act each resource needs is the act of the page that shows the same
data: the school list (``schools.list``), an SSQS result (``ssqs.results.view``),
the monitoring dashboards (``monitoring.view``), PIBK pages (``pibk.view``). A
key whose programmes do not cover the act gets 403, a school or node outside
its unit 404, as on the pages. Each list is one query per page (keyset pages).
"""

import datetime
import functools
import inspect
from typing import Literal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Query

from core.people import access

from . import paging
from . import schemas as s
from .api import api, public_gate
from .problems import Problem

ERRORS = {code: s.ProblemOut for code in (400, 401, 403, 404, 429)}
PUBLIC_ERRORS = {code: s.ProblemOut for code in (400, 404, 429)}
Limit = Query(paging.DEFAULT_LIMIT, ge=1, le=paging.MAX_LIMIT, description="Rows per page")
Cursor = Query(None, max_length=300, description="The `next_cursor` of the previous page")
UpdatedSince = Query(None, description="Only rows changed at or after this time (ISO 8601)")

# The four SSQS indicators (their codes and names are fixed: interfaces.md).
INDICATORS = (
    ("usage", {"ms": "Penggunaan", "en": "Usage"}),
    ("human_capital", {"ms": "Modal Insan", "en": "Human capital"}),
    ("applications", {"ms": "Aplikasi", "en": "Applications"}),
    ("infrastructure", {"ms": "Infrastruktur", "en": "Infrastructure"}),
)


def both(text) -> dict:
    """A label in Malay and English."""
    with translation.override("ms"):
        ms = str(text)
    with translation.override("en"):
        en = str(text)
    return {"ms": ms, "en": en}


def coded(code, labels: dict) -> dict:
    return {"code": code or "", "label": labels.get(code) or {"ms": code or "", "en": code or ""}}


def labels_of(choices) -> dict:
    return {value: both(label) for value, label in choices}


def _since(value: datetime.datetime | None):
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _text(value: str | None, length: int = 100) -> str:
    return (value or "").replace("\x00", "").strip()[:length]


def principal_for(request, act: str):
    """The key's principal, refused (403) if its programmes or unit allow ``act`` nowhere."""
    principal = request.auth
    if not access.can(principal, act):
        raise access.PermissionDenied
    return principal


def scoped_schools(principal, act: str, rows, path: str = "school"):
    """``rows`` (per-school rows, ``path`` naming their school) within the key's unit."""
    if access.sees_nation(principal, act):
        return rows
    prefix = f"{path}__" if path else ""
    return rows.filter(**{f"{prefix}pk__in": access.schools_for(principal, act=act).values("pk")})


def scoped_nodes(principal, act: str, rows):
    """Roll-up rows of the nodes the key sees as a whole (its unit and below)."""
    if access.sees_nation(principal, act):
        return rows
    return rows.filter(
        Q(level="state", code__in=access.states_for(principal, act=act).values("code"))
        | Q(level="district", code__in=access.districts_for(principal, act=act).values("code"))
    )


def school_filters(rows, path, *, state, district, level, type, skm, q):
    prefix = f"{path}__" if path else ""
    if state:
        rows = rows.filter(**{f"{prefix}district__state__code": _text(state, 10).upper()})
    if district:
        rows = rows.filter(**{f"{prefix}district__code": _text(district, 40).upper()})
    if level:
        rows = rows.filter(**{f"{prefix}level": level})
    if type:
        rows = rows.filter(**{f"{prefix}type": _text(type, 20)})
    if skm is not None:
        rows = rows.filter(**{f"{prefix}is_skm": skm})
    q = _text(q)
    if q:
        rows = rows.filter(
            Q(**{f"{prefix}code__istartswith": q}) | Q(**{f"{prefix}name__icontains": q})
        )
    return rows


Level = Literal["primary", "secondary"]


def strict(view):
    """Refuse a query parameter the endpoint does not take (a typo must not widen a pull)."""
    names = set(inspect.signature(view).parameters) - {"request"}

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - names)
        if unknown:
            raise Problem(
                400,
                _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)[:200]},
            )
        return view(request, *args, **kwargs)

    return checked


# --- the index ------------------------------------------------------------------------------


@api.get("/", response={200: s.IndexOut, 429: s.ProblemOut}, auth=None, tags=["index"])
@strict
def index(request):
    """What the API serves (no key needed)."""
    public_gate(request)
    base = request.build_absolute_uri("/api/v1/")
    names = [
        "states", "districts", "schools", "ssqs/cycles", "pibk/years", "public/standards",
        "public/accreditations", "pasr/years/{year}/nodes",
    ]  # fmt: skip
    return {
        "version": "1",
        "openapi": base + "openapi.json",
        "docs": base + "docs/",
        "resources": {name: base + name for name in names},
    }


# --- the hierarchy --------------------------------------------------------------------------


@api.get("/states", response={200: s.StatePage, **ERRORS}, tags=["schools"])
@strict
def states(request, limit: int = Limit, cursor: str | None = Cursor):
    """The states the key sees (its own, or its district's, or every state)."""
    from schools.models import State

    principal = principal_for(request, "schools.list")
    rows = State.objects.all()
    if not access.sees_nation(principal, "schools.list"):
        districts = access.districts_for(principal, act="schools.list")
        rows = rows.filter(
            Q(pk__in=access.states_for(principal, act="schools.list").values("pk"))
            | Q(pk__in=districts.values("state_id"))
        )
    return paging.page(
        request, rows, key="code", resource="states", limit=limit, cursor=cursor,
        build=lambda r: {"code": r.code, "name": r.name, "iso": r.iso},
    )  # fmt: skip


@api.get("/districts", response={200: s.DistrictPage, **ERRORS}, tags=["schools"])
@strict
def districts(request, state: str | None = None, limit: int = Limit, cursor: str | None = Cursor):
    """The districts (PPD) the key sees, optionally of one state."""
    principal = principal_for(request, "schools.list")
    rows = access.districts_for(principal, act="schools.list").select_related("state")
    if state:
        rows = rows.filter(state__code=_text(state, 10).upper())
    return paging.page(
        request, rows, key="code", resource="districts", limit=limit, cursor=cursor,
        build=lambda r: {"code": r.code, "name": r.name, "state": r.state.code},
    )  # fmt: skip


def _school(r, levels) -> dict:
    return {
        "code": r.code, "name": r.name, "state": r.district.state.code,
        "district": r.district.code, "district_name": r.district.name,
        "level": coded(r.level, levels), "type": r.type, "enrolment": r.enrolment,
        "special_enrolment": r.special_enrolment, "preschool_enrolment": r.preschool_enrolment,
        "teachers": r.teachers, "has_ppki": r.has_ppki, "is_skm": r.is_skm, "is_kpm": r.is_kpm,
        "parliament": r.parliament, "dun": r.dun, "location": r.location, "grade": r.grade,
        "assistance": r.assistance, "sessions": r.sessions, "address": r.address,
        "postcode": r.postcode, "town": r.town, "phone": r.phone, "fax": r.fax,
        "email": r.email,
        "longitude": None if r.longitude is None else float(r.longitude),
        "latitude": None if r.latitude is None else float(r.latitude),
        "updated_at": r.updated_at,
    }  # fmt: skip


def _levels():
    from schools.models import School

    return labels_of(School.Level.choices)


@api.get("/schools", response={200: s.SchoolPage, **ERRORS}, tags=["schools"])
@strict
def schools(
    request,
    state: str | None = None,
    district: str | None = None,
    level: Level | None = None,
    type: str | None = None,
    skm: bool | None = None,
    q: str | None = Query(None, max_length=100, description="Code prefix or part of the name"),
    updated_since: s.IsoTime | None = UpdatedSince,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """The schools of the ministry's list within the key's unit, by code."""
    principal = principal_for(request, "schools.list")
    rows = access.schools_for(principal, act="schools.list").select_related("district__state")
    rows = school_filters(
        rows, "", state=state, district=district, level=level, type=type, skm=skm, q=q
    )
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    levels = _levels()
    return paging.page(
        request, rows, key="code", resource="schools", limit=limit, cursor=cursor,
        build=lambda r: _school(r, levels),
    )  # fmt: skip


@api.get("/schools/{code}", response={200: s.SchoolOut, **ERRORS}, tags=["schools"])
@strict
def school(request, code: str):
    """One school (404 outside the key's unit, as for a school that does not exist)."""
    principal = principal_for(request, "schools.list")
    found = access.get_school(principal, _text(code, 20), "schools.list")
    return _school(found, _levels())


# --- SSQS -----------------------------------------------------------------------------------


def _cycle(year: int):
    from surveys.models import Cycle

    cycle = Cycle.objects.filter(year=year).first() if 0 < year < 10000 else None
    if cycle is None:
        raise Http404
    return cycle


@api.get("/ssqs/cycles", response={200: s.CyclePage, **ERRORS}, tags=["ssqs"])
@strict
def ssqs_cycles(request, limit: int = Limit, cursor: str | None = Cursor):
    """The SSQS cycles (one a year), oldest first."""
    from surveys.models import Cycle

    principal_for(request, "ssqs.results.view")
    return paging.page(
        request, Cycle.objects.all(), key="year", resource="cycles", limit=limit, cursor=cursor,
        build=lambda r: {"year": r.year, "briefing_on": r.briefing_on, "opens_on": r.opens_on,
                         "closes_on": r.closes_on},
        cast=int,
    )  # fmt: skip


RATING_FIELDS = (
    "usage", "human_capital", "applications", "infrastructure", "score", "band", "stars",
    "status", "respondents_finished", "respondents_required", "computed_at",
    "school__code", "school__name", "school__district__code", "school__district__state__code",
)  # fmt: skip
BANDS = ("Basic", "Basic Plus", "Median", "Advance", "Advance Plus")


def _rating_builder(year):
    from surveys.models import Rating

    statuses = labels_of(Rating.Status.choices)
    bands = {band: {"ms": band, "en": band} for band in BANDS}

    def build(r):
        # A row of .values(RATING_FIELDS): plain values, no model instances (4 a row).
        return {
            "school": r["school__code"], "school_name": r["school__name"],
            "district": r["school__district__code"],
            "state": r["school__district__state__code"],
            "year": year, "score": r["score"], "stars": r["stars"],
            "band": coded(r["band"], bands), "status": coded(r["status"], statuses),
            "indicators": [
                {"code": code, "label": label, "score": float(r[code])}
                for code, label in INDICATORS
            ],
            "respondents_finished": r["respondents_finished"],
            "respondents_required": r["respondents_required"],
            "computed_at": r["computed_at"],
        }  # fmt: skip

    return build


@api.get("/ssqs/cycles/{year}/ratings", response={200: s.RatingPage, **ERRORS}, tags=["ssqs"])
@strict
def ssqs_ratings(
    request,
    year: int,
    state: str | None = None,
    district: str | None = None,
    level: Level | None = None,
    type: str | None = None,
    skm: bool | None = None,
    stars: int | None = Query(None, ge=1, le=5),
    status: Literal["provisional", "final"] | None = None,
    q: str | None = Query(None, max_length=100),
    updated_since: s.IsoTime | None = UpdatedSince,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Each school's rating in the cycle (score, stars, band, status, indicator scores)."""
    from surveys.models import Rating

    principal = principal_for(request, "ssqs.results.view")
    cycle = _cycle(year)
    rows = scoped_schools(principal, "ssqs.results.view", Rating.objects.filter(cycle=cycle))
    rows = school_filters(
        rows, "school", state=state, district=district, level=level, type=type, skm=skm, q=q
    )
    if stars:
        rows = rows.filter(stars=stars)
    if status:
        rows = rows.filter(status=status)
    if updated_since:
        rows = rows.filter(computed_at__gte=_since(updated_since))
    return paging.page(
        request, rows.values(*RATING_FIELDS), key="school__code", resource=f"ratings:{year}",
        limit=limit, cursor=cursor, build=_rating_builder(year),
    )  # fmt: skip


@api.get("/ssqs/cycles/{year}/ratings/{code}", response={200: s.RatingOut, **ERRORS}, tags=["ssqs"])
@strict
def ssqs_rating(request, year: int, code: str):
    """One school's rating in the cycle."""
    from surveys.models import Rating

    principal = principal_for(request, "ssqs.results.view")
    school = access.get_school(principal, _text(code, 20), "ssqs.results.view")
    cycle = _cycle(year)
    rating = Rating.objects.filter(cycle=cycle, school=school).values(*RATING_FIELDS).first()
    if rating is None:
        raise Http404
    return _rating_builder(year)(rating)


NODE_LEVELS = {
    "national": _("National"), "state": _("State"), "district": _("District"),
}  # fmt: skip
NodeLevel = Literal["national", "state", "district"]


def _node_rows(model, principal, act, period, level, parent, updated_since):
    rows = scoped_nodes(principal, act, model.objects.filter(period=period))
    if level:
        rows = rows.filter(level=level)
    if parent:
        rows = rows.filter(parent_code=_text(parent, 40).upper())
    if updated_since:
        rows = rows.filter(computed_at__gte=_since(updated_since))
    return rows


def _num(value):
    return None if value is None else float(value)


@api.get("/ssqs/cycles/{year}/nodes", response={200: s.SsqsNodePage, **ERRORS}, tags=["ssqs"])
@strict
def ssqs_nodes(
    request,
    year: int,
    level: NodeLevel | None = None,
    parent: str | None = Query(None, description="The parent node's code (KPM, a state)"),
    updated_since: s.IsoTime | None = UpdatedSince,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """The SSQS roll-ups of the nation, states and districts the key sees (as on dashboards)."""
    from monitoring.models import SsqsRollUp

    principal = principal_for(request, "monitoring.view")
    cycle = _cycle(year)
    rows = _node_rows(
        SsqsRollUp, principal, "monitoring.view", cycle.year, level, parent, updated_since
    )
    levels = labels_of(NODE_LEVELS.items())

    def build(r):
        return {
            "year": r.period, "level": coded(r.level, levels), "code": r.code, "name": r.name,
            "parent": r.parent_code, "schools": r.schools, "not_started": r.not_started or 0,
            "in_progress": r.in_progress or 0, "complete": r.complete or 0,
            "verified": r.verified or 0, "rated": r.rated or 0,
            "respondents_finished": r.respondents_finished or 0,
            "respondents_required": r.respondents_required or 0,
            "stars_provisional": list(r.stars_provisional or [0] * 5),
            "stars_final": list(r.stars_final or [0] * 5),
            "mean_score": _num(r.mean_score),
            "mean_indicators": [
                {"code": code, "label": label, "score": _num(getattr(r, f"mean_{code}"))}
                for code, label in INDICATORS if getattr(r, f"mean_{code}") is not None
            ],
            "computed_at": r.computed_at,
        }  # fmt: skip

    return paging.page(
        request, rows, key="pk", resource=f"ssqs-nodes:{year}", limit=limit, cursor=cursor,
        build=build, cast=int,
    )  # fmt: skip


# --- PIBK -----------------------------------------------------------------------------------


@api.get("/pibk/years", response={200: s.PibkYearPage, **ERRORS}, tags=["pibk"])
@strict
def pibk_years(request, limit: int = Limit, cursor: str | None = Cursor):
    """The PIBK years with their KPI targets."""
    from pibk.models import PibkYear

    principal_for(request, "pibk.view")
    return paging.page(
        request, PibkYear.objects.all(), key="year", resource="pibk-years", limit=limit,
        cursor=cursor, cast=int,
        build=lambda r: {"year": r.year, "kpi1_target": float(r.kpi1_target),
                         "kpi2_target": float(r.kpi2_target), "kpi2_goal": float(r.kpi2_goal),
                         "kpi2_goal_year": r.kpi2_goal_year},
    )  # fmt: skip


@api.get("/pibk/years/{year}/schools", response={200: s.PibkSchoolPage, **ERRORS}, tags=["pibk"])
@strict
def pibk_schools(
    request,
    year: int,
    state: str | None = None,
    district: str | None = None,
    level: Level | None = None,
    type: str | None = None,
    skm: bool | None = None,
    reach: Literal["below", "reached", "none"] | None = None,
    mode: Literal["register", "counts"] | None = None,
    q: str | None = Query(None, max_length=100),
    updated_since: s.IsoTime | None = UpdatedSince,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Each school's PIBK average of the year (the rate of parents attending), KPI 2 counts."""
    from pibk.models import SchoolYear

    principal = principal_for(request, "pibk.view")
    rows = SchoolYear.objects.filter(year=year).select_related("school__district__state")
    rows = scoped_schools(principal, "pibk.view", rows)
    rows = school_filters(
        rows, "school", state=state, district=district, level=level, type=type, skm=skm, q=q
    )
    if reach:
        rows = rows.filter(reaches={"below": False, "reached": True, "none": None}[reach])
    if mode:
        rows = rows.filter(mode=mode)
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    modes = labels_of(SchoolYear.Mode.choices)

    def build(r):
        school = r.school
        return {
            "school": school.code, "school_name": school.name,
            "district": school.district.code, "state": school.district.state.code,
            "year": r.year, "is_kpm": r.is_kpm, "mode": coded(r.mode, modes),
            "families": r.families, "volunteers": r.volunteers, "average": _num(r.average),
            "counted": r.counted, "reaches": r.reaches, "verified_windows": r.verified_windows,
            "updated_at": r.updated_at,
        }  # fmt: skip

    return paging.page(
        request, rows, key="school__code", resource=f"pibk-schools:{year}", limit=limit,
        cursor=cursor, build=build,
    )  # fmt: skip


@api.get("/pibk/years/{year}/nodes", response={200: s.PibkNodePage, **ERRORS}, tags=["pibk"])
@strict
def pibk_nodes(
    request,
    year: int,
    level: NodeLevel | None = None,
    parent: str | None = None,
    updated_since: s.IsoTime | None = UpdatedSince,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """KPI 1 and KPI 2 of the nation, states and districts the key sees (KPM schools only)."""
    from pibk.models import PibkRollUp

    principal = principal_for(request, "pibk.view")
    rows = _node_rows(PibkRollUp, principal, "pibk.view", year, level, parent, updated_since)
    levels = labels_of(NODE_LEVELS.items())

    def build(r):
        return {
            "year": r.period, "level": coded(r.level, levels), "code": r.code, "name": r.name,
            "parent": r.parent_code, "schools": r.schools, "reporting": r.reporting or 0,
            "reaching": r.reaching or 0, "kpi1": _num(r.kpi1), "families": r.families or 0,
            "volunteers": r.volunteers or 0, "kpi2": _num(r.kpi2),
            "mean_average": _num(r.mean_average),
            "activity_rates": {k: _num(v) for k, v in (r.activity_rates or {}).items()},
            "computed_at": r.computed_at,
        }  # fmt: skip

    return paging.page(
        request, rows, key="pk", resource=f"pibk-nodes:{year}", limit=limit, cursor=cursor,
        build=build, cast=int,
    )  # fmt: skip


# --- PASR -----------------------------------------------------------------------------------


def _pasr_constructs(levels: dict, level_labels: dict) -> list:
    """Verified results per construct of a node, small cells held back as on the dashboards."""
    from pasr.instrument import instrument
    from pasr.selectors.reports import level_cells

    found = []
    for inst in instrument().instruments:
        for subject in inst.subjects:
            for construct in subject.constructs:
                counts = (levels or {}).get(construct.code) or {}
                cells = level_cells(counts, hold_back=True)
                found.append({
                    "code": construct.code,
                    "name": {"ms": construct.name_in("ms"), "en": construct.name_in("en")},
                    "subject": {"ms": subject.name_in("ms"), "en": subject.name_in("en")},
                    "instrument": inst.code,
                    "verified": sum(int(counts.get(level) or 0) for level in cells),
                    "levels": [
                        {"level": coded(level, level_labels), "count": cell.count,
                         "share": _num(cell.share), "held_back": cell.held_back}
                        for level, cell in cells.items()
                    ],
                })  # fmt: skip
    return found


@api.get("/pasr/years/{year}/nodes", response={200: s.PasrNodePage, **ERRORS}, tags=["pasr"])
@strict
def pasr_nodes(
    request,
    year: int,
    level: NodeLevel | None = None,
    parent: str | None = None,
    updated_since: s.IsoTime | None = UpdatedSince,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """PASR's verified levels per construct for the nation, states and districts the key sees.

    Counts only, never a candidate; a figure from fewer than 3 results is held back
    with the cells that would give it away (domain.md 1.2), as on the dashboards.
    """
    from pasr import rules
    from pasr.models import PasrRollUp

    principal = principal_for(request, "pasr.analysis")
    rows = _node_rows(PasrRollUp, principal, "pasr.analysis", year, level, parent, updated_since)
    levels = labels_of(NODE_LEVELS.items())
    level_labels = labels_of(rules.LEVEL_NAMES.items())

    def build(r):
        return {
            "year": r.period, "level": coded(r.level, levels), "code": r.code, "name": r.name,
            "parent": r.parent_code, "schools": r.schools,
            "with_candidates": r.with_candidates or 0, "candidates": r.candidates or 0,
            "expected": r.expected or 0, "rated": r.rated or 0, "moderated": r.moderated or 0,
            "verified": r.verified or 0,
            "constructs": _pasr_constructs(r.levels, level_labels),
            "computed_at": r.computed_at,
        }  # fmt: skip

    return paging.page(
        request, rows, key="pk", resource=f"pasr-nodes:{year}", limit=limit, cursor=cursor,
        build=build, cast=int,
    )  # fmt: skip


# --- public: the certificate check and the NOSS registry ------------------------------------

CERTIFICATE_STATUSES = {
    "valid": _("Valid"), "revoked": _("Revoked"), "superseded": _("Superseded"),
}  # fmt: skip


@api.get(
    "/public/certificates/{reference}",
    response={200: s.CertificateOut, **PUBLIC_ERRORS},
    auth=None,
    tags=["public"],
)
@strict
def certificate(request, reference: str):
    """A skills certificate by its number, as the public check shows it (no key needed)."""
    from skills import rules
    from skills.selectors import certificates

    public_gate(request)
    normal = rules.normalise_reference(_text(reference, 60))
    found = certificates.certificate_for_check(reference=normal) if normal else None
    if found is None:
        raise Http404
    current = None
    if found.status == rules.SUPERSEDED:
        current = certificates.current_reference(found)
    return {
        "reference": found.reference, "number": found.number, "version": found.version,
        "kind": {"code": found.kind, "label": both(rules.KIND_NAMES[found.kind])},
        "holder_name": found.holder_name, "level": found.level, "issued_on": found.issued_on,
        "status": coded(found.status, labels_of(CERTIFICATE_STATUSES.items())),
        "revoked_reason": found.revoked_reason or "", "revoked_at": found.revoked_at,
        "current_reference": current,
        "standard_code": found.standard.code,
        "standard_title": {"ms": found.standard.title_ms, "en": found.standard.title_en},
        "centre_code": found.centre.code, "centre_name": found.centre.name,
    }  # fmt: skip


@api.get(
    "/public/standards",
    response={200: s.StandardPage, **PUBLIC_ERRORS},
    auth=None,
    tags=["public"],
)
@strict
def standards(
    request,
    q: str | None = Query(None, max_length=100),
    sector: str | None = Query(None, max_length=10),
    level: int | None = Query(None, ge=1, le=5),
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """The NOSS registry: the standards, as the public registry lists them (no key needed)."""
    from skills.selectors import registry

    public_gate(request)
    filters = registry.StandardFilters(q=_text(q), sector=_text(sector, 10), level=level)
    rows = registry.standard_list(filters=filters)

    def build(r):
        return {
            "code": r.code, "title": {"ms": r.title_ms, "en": r.title_en}, "level": r.level,
            "sector": {"code": r.sector.code,
                       "label": {"ms": r.sector.name_ms, "en": r.sector.name_en}},
            "units": r.unit_count or 0, "total_hours": r.total_hours or 0,
        }  # fmt: skip

    return paging.page(
        request, rows, key="code", resource="standards", limit=limit, cursor=cursor, build=build
    )


def _accreditation(a, modes) -> dict:
    """An accreditation in force, as the public registry shows it."""
    return {
        "centre_code": a.centre.code, "centre_name": a.centre.name,
        "state": a.centre.state.code if a.centre.state_id else None,
        "mode": coded(a.mode, modes),
        "units": [u.code for u in a.units.all()] if a.mode == "modular" else [],
        "expires_on": a.expires_on,
    }  # fmt: skip


@api.get(
    "/public/standards/{code}",
    response={200: s.StandardDetailOut, **PUBLIC_ERRORS},
    auth=None,
    tags=["public"],
)
@strict
def standard(request, code: str):
    """A NOSS standard with its competency units and the centres accredited for it today,
    as the public registry page shows it (no key needed)."""
    from skills.models import Accreditation
    from skills.selectors import registry

    public_gate(request)
    found = registry.standard_page(code=_text(code, 30), today=timezone.localdate())
    if found is None:
        raise Http404
    standard, units = found["standard"], found["units"]
    modes = labels_of(Accreditation.Mode.choices)
    return {
        "code": standard.code, "title": {"ms": standard.title_ms, "en": standard.title_en},
        "level": standard.level,
        "sector": {"code": standard.sector.code,
                   "label": {"ms": standard.sector.name_ms, "en": standard.sector.name_en}},
        "units": len(units), "total_hours": found["total_hours"],
        "competency_units": [
            {"code": u.code, "title": {"ms": u.title_ms, "en": u.title_en}, "hours": u.hours}
            for u in units
        ],
        "superseded_by": [s.code for s in found["superseded_by"]],
        "accreditations": [_accreditation(a, modes) for a in found["offering"]],
    }  # fmt: skip


@api.get(
    "/public/accreditations",
    response={200: s.AccreditationPage, **PUBLIC_ERRORS},
    auth=None,
    tags=["public"],
)
@strict
def accreditations(
    request,
    standard: str | None = Query(None, max_length=30, description="A NOSS standard's code"),
    centre: str | None = Query(None, max_length=20, description="A centre's code"),
    state: str | None = Query(None, max_length=10, description="The centre's state code"),
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """The accreditations in force today (approved, within their dates), as the public
    registry pages show them: never an application, a refusal or a suspended one (no key
    needed)."""
    from skills.models import Accreditation
    from skills.selectors.accreditation import current_q

    public_gate(request)
    rows = (
        Accreditation.objects.filter(current_q(timezone.localdate()))
        .select_related("centre__state", "standard")
        .prefetch_related("units")
    )
    if standard:
        rows = rows.filter(standard__code=_text(standard, 30))
    if centre:
        rows = rows.filter(centre__code=_text(centre, 20).upper())
    if state:
        rows = rows.filter(centre__state__code=_text(state, 10).upper())
    modes = labels_of(Accreditation.Mode.choices)

    def build(a):
        return {
            **_accreditation(a, modes), "id": a.pk, "standard_code": a.standard.code,
            "standard_title": {"ms": a.standard.title_ms, "en": a.standard.title_en},
            "level": a.standard.level, "valid_from": a.valid_from,
        }  # fmt: skip

    return paging.page(
        request, rows, key="pk", resource="accreditations", limit=limit, cursor=cursor,
        build=build, cast=int,
    )  # fmt: skip
