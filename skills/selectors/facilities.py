"""Reading facilities declarations: a centre's year, the body's queue, the checklist."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .. import facility_rules as frules
from ..models import FacilityChecklist, FacilityDeclaration

PAGE_SIZE = 50


def declaration_of(*, centre, year: int):
    """``centre``'s declaration of ``year`` with its items (two queries), or None."""
    return (
        FacilityDeclaration.objects.filter(centre=centre, year=year)
        .select_related("checklist", "declared_by", "checked_by")
        .prefetch_related("items")
        .first()
    )


def declaration_years(*, centre) -> list:
    return list(FacilityDeclaration.objects.filter(centre=centre).order_by("-year")
                .values_list("year", flat=True))  # fmt: skip


def rows(declaration) -> list:
    """Each item of ``declaration`` beside its checklist text: what the pages show."""
    texts = {i["code"]: i for i in declaration.checklist.items}
    return [{"item": item, "text": texts.get(item.code, {"code": item.code})}
            for item in declaration.items.all()]  # fmt: skip


def checklists() -> list:
    """Every version of the checklist, newest first."""
    return list(FacilityChecklist.objects.order_by("-version"))


@dataclass
class QueueFilters:
    state: str = frules.DECLARED  # "" : every state
    year: int | None = None
    q: str = ""


def queue_filters(params, years) -> QueueFilters:
    """The body's list's filters from the query string; anything unknown is ignored."""
    from .rating import year_of

    found = QueueFilters()
    state = params.get("state", frules.DECLARED)
    found.state = state if state in (frules.DECLARED, frules.CHECKED, "") else frules.DECLARED
    found.year = year_of(params.get("year"), years)
    found.q = (params.get("q") or "").strip().replace("\x00", "")[:60]
    return found


def queue_years() -> list:
    return list(FacilityDeclaration.objects.order_by("-year").values_list("year", flat=True)
                .distinct())  # fmt: skip


def queue(*, filters: QueueFilters):
    """The declarations the body checks, oldest waiting first, with their counts (one query)."""
    qs = FacilityDeclaration.objects.select_related("centre__state", "declared_by").annotate(
        n_items=Count("items"),
        n_in_place=Count("items", filter=Q(items__in_place=True)),
        n_confirmed=Count("items", filter=Q(items__finding=frules.CONFIRMED)),
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.q:
        qs = qs.filter(Q(centre__code__icontains=filters.q) | Q(centre__name__icontains=filters.q))
    if filters.state == frules.CHECKED:
        return qs.order_by("-checked_at", "pk")
    return qs.order_by("declared_at", "pk")


def checklist_in_force():
    """(stored version or None, items) of the checklist in force, without writing: before
    any is stored, the bundled version 1 (stored by the first declaration)."""
    from ..services.facilities import DEFAULT_FILE, checklist_read

    found = FacilityChecklist.objects.order_by("-version").first()
    if found is not None:
        return found, found.items
    items = checklist_read(DEFAULT_FILE.read_bytes()).items
    return None, [{"code": i.code, "text_ms": i.text_ms, "text_en": i.text_en,
                   "evidence_ms": i.evidence_ms, "evidence_en": i.evidence_en}
                  for i in items]  # fmt: skip


def localised(text: dict, key: str, language: str) -> str:
    """``text``'s ``key`` in the page's language (``key``_en or _ms), the other if empty."""
    first, second = ("en", "ms") if (language or "").startswith("en") else ("ms", "en")
    return text.get(f"{key}_{first}") or text.get(f"{key}_{second}") or ""
