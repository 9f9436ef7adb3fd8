"""PIBK's printable documents: a school's report."""

from django.utils import timezone

from ssqs_portal.charts import bar_chart
from ssqs_portal.pdf import Document, render_pdf_bytes

from . import rules


def school_report(*, context: dict, by, request=None) -> Document:
    """Return a school's PIBK report from its page's context: figures and a rate chart."""
    context = {
        **context,
        "printed_at": timezone.localtime(),
        "by": by,
        "chart": bar_chart(
            [None if row["rate"] is None else row["rate"] * 100 for row in context["activities"]],
            list(rules.CODES),
            ["#0b4f6c"],
            top=100,
        ),
    }
    return Document(
        render_pdf_bytes("pibk/pdf/report.html", context, request),
        f"pibk-{context['year']}-{context['school'].code}-laporan.pdf",
    )
