"""Reads of PPT applications: the lists (a centre's, the body's) and one application's page.

Each read takes a fixed number of queries whatever the number of applications,
CUs or files (the tests assert it). The stage is read from the application and
its intake (``ppt_rules.stage``); in a query, ``STAGE_Q`` selects one.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from .. import ppt_rules, rules
from ..models import Certificate, PptApplication, PptEvidence, PptJudgement, Result

_certified = Exists(Certificate.objects.filter(intake_id=OuterRef("intake_id")))

STAGE_Q = {
    ppt_rules.STAGE_WITHDRAWN: Q(state=ppt_rules.WITHDRAWN),
    ppt_rules.STAGE_DRAFT: Q(state=ppt_rules.DRAFT),
    ppt_rules.STAGE_ASSESSMENT: Q(state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_OPEN),
    ppt_rules.STAGE_RETURNED: Q(state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_RETURNED),
    ppt_rules.STAGE_VERIFICATION: Q(
        state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_SUBMITTED
    ),
    ppt_rules.STAGE_VERIFIED: Q(
        state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_VERIFIED, certified=False
    ),
    ppt_rules.STAGE_CERTIFIED: Q(
        state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_VERIFIED, certified=True
    ),
}


def with_stage(application) -> PptApplication:
    intake_state = application.intake.state if application.intake_id else None
    application.stage = ppt_rules.stage(
        application.state, intake_state, bool(getattr(application, "certified", False))
    )
    application.stage_name = ppt_rules.STAGE_NAMES[application.stage]
    return application


def applications(*, centre=None, stage: str | None = None, query: str = ""):
    """The applications (a centre's, or every centre's), newest first, with ``certified``.

    ``query``: a reference, or part of an applicant's name. Rows are read with
    ``with_stage`` by the page (one query for the page shown).
    """
    rows = PptApplication.objects.select_related(
        "centre", "trainee", "accreditation__standard", "intake__verifier"
    ).annotate(certified=_certified)
    if centre is not None:
        rows = rows.filter(centre=centre)
    if stage in STAGE_Q:
        rows = rows.filter(STAGE_Q[stage])
    query = " ".join((query or "").split())[:100]
    if query:
        rows = rows.filter(Q(reference__iexact=query) | Q(trainee__name__icontains=query))
    return rows.order_by("-created_at", "-pk")


def stage_counts(*, centre=None) -> dict:
    """How many applications are at each stage (one query)."""
    from django.db.models import Count

    rows = PptApplication.objects.all()
    if centre is not None:
        rows = rows.filter(centre=centre)
    rows = rows.annotate(certified=_certified)
    counts = rows.aggregate(**{code: Count("pk", filter=q) for code, q in STAGE_Q.items()})
    return {code: counts[code] for code in ppt_rules.STAGES}


@dataclass
class UnitLine:
    """One applied CU: its evidence files, the assessor's judgement and the result."""

    unit: object
    evidence: list = field(default_factory=list)
    judgement: PptJudgement | None = None
    result: Result | None = None


def application_units(application) -> list:
    return list(application.units.order_by("order", "code"))


def application_page(application) -> list[UnitLine]:
    """The applied CUs in order, each with its files, judgement and result (4 queries)."""
    lines = {u.pk: UnitLine(u) for u in application_units(application)}
    for evidence in PptEvidence.objects.filter(application=application).select_related(
        "uploaded_by"
    ):
        if evidence.unit_id in lines:
            lines[evidence.unit_id].evidence.append(evidence)
    for judgement in PptJudgement.objects.filter(application=application).select_related("by"):
        if judgement.unit_id in lines:
            lines[judgement.unit_id].judgement = judgement
    if application.intake_id:
        for result in Result.objects.filter(enrolment__intake_id=application.intake_id):
            if result.unit_id in lines:
                lines[result.unit_id].result = result
    return list(lines.values())


def evidence_counts(application) -> dict:
    """{CU code: number of evidence files} of ``application``."""
    counts = defaultdict(int)
    for code in PptEvidence.objects.filter(application=application).values_list(
        "unit__code", flat=True
    ):
        counts[code] += 1
    return dict(counts)


def application_certificate(application):
    """The certificate issued from the application (its current version), or None."""
    if not application.intake_id:
        return None
    return Certificate.objects.filter(intake_id=application.intake_id).order_by("-version").first()


def applications_of(trainee):
    """The person's own applications (their page)."""
    return [
        with_stage(a)
        for a in PptApplication.objects.filter(trainee=trainee)
        .select_related("centre", "accreditation__standard", "intake")
        .annotate(certified=_certified)
        .order_by("-created_at")
    ]
