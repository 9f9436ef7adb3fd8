"""Reads of personnel (Modul Personel): approvals in force, the applicant's page, the desk.

``approval_in_force`` is what the access rule (``skills.access.intake_for``) and the
services (results, verification) ask: one query. Each page's reads take a fixed number
of queries whatever the number of applications (the tests assert it).
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q

from .. import personnel_rules as prules
from ..models import PersonnelApplication, PersonnelApproval, PersonnelEvent, Standard

REGISTER_PAGE = 200


def _in_force_q(on: datetime.date) -> Q:
    """The approvals in force on ``on`` (``personnel_rules.in_force`` as a filter)."""
    return Q(state=prules.APPROVED, valid_from__lte=on, expires_on__gte=on)


def approval_in_force(user, role: str, standard, on: datetime.date):
    """Return ``user``'s approval as ``role`` for ``standard`` in force on ``on``, or None.

    One query. ``standard``: a Standard or its id.
    """
    if user is None or not getattr(user, "pk", None):
        return None
    standard_id = getattr(standard, "pk", standard)
    return (
        PersonnelApproval.objects.filter(
            _in_force_q(on), person_id=user.pk, role=role, standard_id=standard_id
        )
        .order_by("-expires_on")
        .first()
    )


def approved_people(role: str, standard, on: datetime.date):
    """The ids of the people approved as ``role`` for ``standard`` on ``on`` (a subquery)."""
    standard_id = getattr(standard, "pk", standard)
    return PersonnelApproval.objects.filter(
        _in_force_q(on), role=role, standard_id=standard_id
    ).values("person_id")


def _with_lines():
    return Prefetch(
        "approvals",
        queryset=PersonnelApproval.objects.select_related("standard").order_by("standard__code"),
    )


def applications_of(user):
    """The person's applications, newest first, each with its standards (two queries)."""
    return list(
        PersonnelApplication.objects.filter(applicant=user)
        .select_related("sector")
        .prefetch_related(_with_lines())
        .order_by("-submitted_at", "-pk")
    )


def approvals_of(user, today: datetime.date):
    """The person's approvals in effect or awaiting induction (not refused), with flags.

    Returns (approval, in_force, renewable_refusal) triples: renewable_refusal is None
    when the person may renew it today. Two queries.
    """
    lines = list(
        PersonnelApproval.objects.filter(person=user, state__in=(prules.APPROVED, prules.SUSPENDED))
        .select_related("standard")
        .annotate(
            renewed=Exists(
                PersonnelApproval.objects.filter(
                    renews=OuterRef("pk"), state__in=(prules.APPLIED, prules.APPROVED)
                )
            )
        )
        .order_by("standard__code", "role", "-expires_on")
    )
    rows = []
    for line in lines:
        refusal = prules.renewal_refusal(line.state, line.expires_on, today, pending=line.renewed)
        rows.append(
            (line, prules.in_force(line.state, line.valid_from, line.expires_on, today), refusal)
        )
    return rows


def renewal_pending(approval) -> bool:
    """Whether ``approval`` is already renewed or its renewal awaits the body."""
    return PersonnelApproval.objects.filter(
        renews=approval, state__in=(prules.APPLIED, prules.APPROVED)
    ).exists()


def application_page(application):
    """The application's standards, evidence files and history (three queries)."""
    lines = list(
        PersonnelApproval.objects.filter(application=application)
        .select_related("standard", "renews", "decided_by")
        .order_by("standard__code")
    )
    evidence = list(application.evidence.order_by("pk"))
    events = list(
        PersonnelEvent.objects.filter(application=application)
        .select_related("by", "approval__standard")
        .order_by("at", "pk")
    )
    return lines, evidence, events


def awaiting():
    """Standards named in applications awaiting the body's decision, oldest first."""
    return list(
        PersonnelApproval.objects.filter(state=prules.APPLIED)
        .select_related("standard", "person", "application")
        .order_by("application__submitted_at", "pk")
    )


def awaiting_induction():
    """Approved standards whose induction is not recorded yet (not in effect)."""
    return list(
        PersonnelApproval.objects.filter(
            state=prules.APPROVED, induction_on__isnull=True, renews__isnull=True
        )
        .select_related("standard", "person", "application")
        .order_by("decided_at", "pk")
    )


def expiring(today: datetime.date):
    """Approvals in force expiring within 90 days with no renewal approved or awaited."""
    until = today + datetime.timedelta(days=prules.EXPIRING_DAYS)
    renewed = PersonnelApproval.objects.filter(
        renews=OuterRef("pk"), state__in=(prules.APPLIED, prules.APPROVED)
    )
    return list(
        PersonnelApproval.objects.filter(
            state=prules.APPROVED, expires_on__gte=today, expires_on__lte=until
        )
        .exclude(Exists(renewed))
        .select_related("standard", "person")
        .order_by("expires_on", "pk")
    )


def register(today: datetime.date, *, standard_code: str = "", role: str = ""):
    """The approved PP and PPL in force today, by standard then name (at most 200 rows)."""
    rows = (
        PersonnelApproval.objects.filter(_in_force_q(today))
        .select_related("standard", "person")
        .order_by("standard__code", "role", "person__first_name", "person__last_name", "pk")
    )
    if standard_code:
        rows = rows.filter(standard__code=standard_code)
    if role in (prules.PP, prules.PPL):
        rows = rows.filter(role=role)
    return list(rows[:REGISTER_PAGE])


def register_standards():
    """The standards someone is approved for (the register's filter), by code."""
    ids = PersonnelApproval.objects.filter(state=prules.APPROVED).values("standard_id")
    return list(Standard.objects.filter(pk__in=ids).order_by("code").only("code", "title_ms"))
