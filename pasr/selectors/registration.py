"""Reading the registration area: a school's candidates, requests and documents; the board's queue.

Each function runs a fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Count

from core.people import access

from .. import rules
from ..models import (
    Candidate,
    InstrumentCheck,
    InstrumentRelease,
    OverrideRequest,
    SchoolYear,
    Transfer,
    WindowChange,
)


@dataclass
class CandidateRow:
    candidate: Candidate
    status: str  # rules.STATUSES; transferred_out for one who left this school
    to_school: object = None  # where a transferred-out candidate went

    @property
    def status_name(self):
        return dict(Candidate.Status.choices).get(self.status, self.status)


def candidate_rows(*, school, year: int) -> list[CandidateRow]:
    """Return the school's candidates of ``year`` and those transferred out of it (2 queries)."""
    rows = [
        CandidateRow(c, c.status)
        for c in Candidate.objects.filter(school=school, year=year)
        .select_related("overridden_by")
        .order_by("class_name", "name", "pk")
    ]
    here = {row.candidate.pk for row in rows}
    transfers = (
        Transfer.objects.filter(from_school=school, candidate__year=year)
        .exclude(candidate__school=school)
        .select_related("candidate__overridden_by", "to_school")
        .order_by("candidate__name", "-at", "-pk")
    )
    for transfer in transfers:
        if transfer.candidate_id in here:
            continue  # the latest transfer out of this school only
        here.add(transfer.candidate_id)
        rows.append(CandidateRow(transfer.candidate, rules.TRANSFERRED_OUT, transfer.to_school))
    return rows


def status_counts(*, school, year: int) -> dict:
    """Return {status: n} of the school's candidates, transferred-out ones included (2 queries)."""
    counts = dict(
        Candidate.objects.filter(school=school, year=year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    gone = (
        Transfer.objects.filter(from_school=school, candidate__year=year)
        .exclude(candidate__school=school)
        .values("candidate")
        .distinct()
        .count()
    )
    if gone:
        counts[rules.TRANSFERRED_OUT] = counts.get(rules.TRANSFERRED_OUT, 0) + gone
    return counts


def school_year(*, school, year: int):
    return SchoolYear.objects.filter(school=school, year=year).select_related("declared_by").first()


def school_requests(*, school, year: int, limit: int = 50):
    """Return the school's override requests of ``year``, the latest first."""
    return list(
        OverrideRequest.objects.filter(school=school, year=year).select_related("decided_by")[
            :limit
        ]
    )


def releases_for(*, school, year: int) -> list[tuple]:
    """Return [(release, the school's check or None)] of ``year``'s documents (2 queries)."""
    releases = list(
        InstrumentRelease.objects.filter(assessment_year__year=year).order_by(
            "instrument", "-published_at", "-pk"
        )
    )
    checks = {
        check.release_id: check
        for check in InstrumentCheck.objects.filter(
            school=school, release__in=[r.pk for r in releases]
        ).select_related("downloaded_by", "verified_by")
    }
    return [(release, checks.get(release.pk)) for release in releases]


def board_releases(*, year: int):
    return list(
        InstrumentRelease.objects.filter(assessment_year__year=year)
        .select_related("published_by")
        .annotate(
            downloaded=Count("checks__downloaded_at"),
            verified=Count("checks__verified_at"),
        )
        .order_by("instrument", "-published_at", "-pk")
    )


def window_history(*, year: int, limit: int = 100):
    return list(
        WindowChange.objects.filter(assessment_year__year=year).select_related("by")[:limit]
    )


def override_queue(*, user, year: int, pending: bool = True, limit: int = 100):
    """Return the override requests of ``year`` in the schools where ``user`` may override."""
    schools = access.schools_for(user, act="pasr.override")
    found = OverrideRequest.objects.filter(year=year, school__in=schools).select_related(
        "school__district__state", "requested_by", "decided_by"
    )
    if pending:
        found = found.filter(state=OverrideRequest.State.PENDING).order_by("requested_at", "pk")
    else:
        found = found.exclude(state=OverrideRequest.State.PENDING).order_by("-decided_at", "-pk")
    return list(found[:limit])
