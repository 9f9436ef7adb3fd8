"""Monitoring's printable documents: a node's report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ssqs_portal.charts import bar_chart
from ssqs_portal.pdf import Document, render_pdf_bytes

from . import rollups, selectors


def node_report(*, node, cycle, by, request=None) -> Document:
    """Return a node's report: figures, charts and, for a district, its schools' table."""
    rollup = selectors.rollup_for(cycle, node)
    context = {
        "node": node,
        "cycle": cycle,
        "rollup": rollup,
        "children": selectors.child_rollups(cycle, node),
        "printed_at": timezone.localtime(),
        "by": by,
    }
    if rollup and rollup.rated:
        stars = [p + f for p, f in zip(rollup.stars_provisional, rollup.stars_final, strict=True)]
        context["star_chart"] = bar_chart(
            stars,
            ["1★", "2★", "3★", "4★", "5★"],
            ["#d9534f", "#f0ad4e", "#f4d03f", "#5cb85c", "#1e7e34"],
        )
        context["indicator_chart"] = bar_chart(
            # An indicator no school has data for draws no bar ("–"), not a 0.
            [getattr(rollup, f"mean_{name}") for name in rollups.INDICATORS],
            [_("Usage"), _("Human capital"), _("Applications"), _("Infrastructure")],
            ["#01baef"],
            top=100,
        )
    if node.level == "district":
        context["schools"] = list(
            selectors.node_progress(cycle, node).select_related("school").order_by("school__code")
        )
    return Document(
        render_pdf_bytes("monitoring/pdf/report.html", context, request),
        f"ssqs-{cycle.year}-{node.code}-laporan.pdf",
    )
