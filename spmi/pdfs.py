"""SPMI's printable document: a school's improvement plan (``spmi-plan``)."""

from django.utils import timezone

from ssqs_portal.pdf import Document, render_pdf_bytes

from . import rules, sources
from .selectors.evaluation import criteria_rows, evaluation, movement

TEMPLATE = "spmi/pdf/plan.html"


def plan_context(*, school, cycle, actions) -> dict:
    standards = evaluation(cycle)
    rows = criteria_rows(standards)
    return {
        "school": school,
        "cycle": cycle,
        "year": cycle.year,
        "actions": actions,
        "priorities": [r for r in rows if r.rating and r.rating.priority],
        "movement": movement(cycle, standards),
        "level_names": rules.LEVEL_NAMES,
        "sources": sources.SOURCES,
        "printed_at": timezone.localtime(),
    }


def plan_document(*, school, cycle, actions, request=None) -> Document:
    context = plan_context(school=school, cycle=cycle, actions=actions)
    return Document(
        render_pdf_bytes(TEMPLATE, context, request), f"spmi-plan-{school.code}-{cycle.year}.pdf"
    )
