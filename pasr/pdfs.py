"""PASR's printable documents: candidates' reports (``pasr-report``), one page each."""

from django.template.loader import render_to_string
from django.utils import timezone

from ssqs_portal.pdf import Document, render_pdf_bytes

from . import rules

TEMPLATE = "pasr/pdf/report.html"


def report_context(*, school, year: int, reports: list) -> dict:
    """The context of the report template: one page per ``CandidateReport``."""
    return {
        "school": school,
        "year": year,
        "reports": reports,
        "levels": [
            (code, rules.LEVEL_NAMES[code], rules.DESCRIPTORS[code]) for code in rules.LEVELS
        ],
        "guidance": [(rules.READER_NAMES[r], rules.GUIDANCE[r]) for r in rules.READERS],
        "printed_at": timezone.localtime(),
    }


def report_html(*, school, year: int, reports: list, request=None) -> str:
    """Return the reports' HTML (what is printed; constructs carry data-construct/level/stage)."""
    return render_to_string(TEMPLATE, report_context(school=school, year=year, reports=reports),
                            request=request)  # fmt: skip


def candidate_reports(*, school, year: int, reports: list, name: str, request=None) -> Document:
    """Return the candidates' reports as one PDF, one page per candidate, named ``name``."""
    context = report_context(school=school, year=year, reports=reports)
    return Document(render_pdf_bytes(TEMPLATE, context, request), f"{name}.pdf")
