"""Reads of PPT applications: the lists (a centre's, the body's) and one application's page.

Each read takes a fixed number of queries whatever the number of applications,
CUs or files (the tests assert it). The stage is read from the application and
its intake (``ppt_rules.stage``); in a query, ``STAGE_Q`` selects one.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from .. import ppt_rules, rules
from ..models import Certificate, PptApplication, PptEvidence, PptJudgement, Result, Trainee

_certified = Exists(Certificate.objects.filter(intake_id=OuterRef("intake_id")))

# In filters only: computed for every row, the EXISTS would cost a list of 60,000 half a
# second; a page's rows learn theirs in one query (``with_stages``).
STAGE_Q = {
    ppt_rules.STAGE_WITHDRAWN: Q(state=ppt_rules.WITHDRAWN),
    ppt_rules.STAGE_DRAFT: Q(state=ppt_rules.DRAFT),
    ppt_rules.STAGE_ASSESSMENT: Q(state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_OPEN),
    ppt_rules.STAGE_RETURNED: Q(state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_RETURNED),
    ppt_rules.STAGE_VERIFICATION: Q(
        state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_SUBMITTED
    ),
    ppt_rules.STAGE_VERIFIED: Q(state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_VERIFIED)
    & ~Q(_certified),
    ppt_rules.STAGE_CERTIFIED: Q(state=ppt_rules.SUBMITTED, intake__state=rules.INTAKE_VERIFIED)
    & Q(_certified),
}


def with_stage(application) -> PptApplication:
    intake_state = application.intake.state if application.intake_id else None
    application.stage = ppt_rules.stage(
        application.state, intake_state, bool(getattr(application, "certified", False))
    )
    application.stage_name = ppt_rules.STAGE_NAMES[application.stage]
    return application


def with_stages(applications) -> list:
    """``with_stage`` for a page of applications: which are certified, in one query."""
    applications = list(applications)
    intakes = [a.intake_id for a in applications if a.intake_id]
    certified = set(
        Certificate.objects.filter(intake_id__in=intakes).values_list("intake_id", flat=True)
    ) if intakes else set()  # fmt: skip
    for application in applications:
        application.certified = application.intake_id in certified
        with_stage(application)
    return applications


def applications(*, centre=None, stage: str | None = None, query: str = ""):
    """The applications (a centre's, or every centre's), newest first: the filtered rows,
    not their joins; a page of them is read with ``page_rows``.

    ``query``: a reference, an identity number, or part of an applicant's name.
    """
    rows = PptApplication.objects.all()
    if centre is not None:
        rows = rows.filter(centre=centre)
    if stage in STAGE_Q:
        rows = rows.filter(STAGE_Q[stage])
    query = " ".join((query or "").split())[:100]
    digits = rules.normalise_id(query) if query else None
    if digits:  # an identity number: the one person (its unique index)
        rows = rows.filter(trainee__id_number=digits)
    elif query:
        # The people named first (a hashed subplan), then their applications: cheaper than
        # testing every application's applicant in date order until a page is full.
        named = Trainee.objects.filter(name__icontains=query).values("pk")
        rows = rows.filter(Q(reference__iexact=query) | Q(trainee_id__in=named))
    return rows.order_by("-created_at", "-pk")


def page_rows(ids) -> list:
    """The applications ``ids`` (a page's, in that order) with what the lists show and their
    stages (two queries). Paging over the ids alone keeps a far page cheap: the joins are
    made for the 50 rows shown, not for every row skipped."""
    found = PptApplication.objects.select_related(
        "centre", "trainee", "accreditation__standard", "intake__verifier"
    ).in_bulk(list(ids))
    return with_stages(found[pk] for pk in ids if pk in found)


def stage_counts(*, centre=None) -> dict:
    """How many applications are at each stage (two queries: grouped by state, and the
    certified ones among the verified; ``ppt_rules.stage``)."""
    from django.db.models import Count

    rows = PptApplication.objects.all()
    if centre is not None:
        rows = rows.filter(centre=centre)
    counts = dict.fromkeys(ppt_rules.STAGES, 0)
    grouped = rows.values_list("state", "intake__state").annotate(n=Count("pk")).order_by()
    for state, intake_state, n in grouped:
        counts[ppt_rules.stage(state, intake_state, False)] += n
    certified = (
        Certificate.objects.filter(intake__ppt__in=rows.filter(state=ppt_rules.SUBMITTED))
        .values("intake_id")
        .distinct()
        .count()
    )
    counts[ppt_rules.STAGE_VERIFIED] -= certified
    counts[ppt_rules.STAGE_CERTIFIED] += certified
    return counts


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
    return with_stages(
        PptApplication.objects.filter(trainee=trainee)
        .select_related("centre", "accreditation__standard", "intake")
        .order_by("-created_at")
    )
