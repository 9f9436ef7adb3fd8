"""Reads of training: intakes, their trainees and results, verification (domain.md 4).

Each page's reads take a fixed number of queries whatever the number of
trainees or competency units (the tests assert it).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from core.people import access
from core.people.models import RoleGrant
from core.people.roles import VERIFIER

from .. import rules
from ..models import (
    Accreditation,
    AccreditationEvent,
    CompetencyUnit,
    Enrolment,
    Intake,
    Result,
    Verification,
)
from .accreditation import accreditation_blocked


def accreditation_units(accreditation: Accreditation) -> list[CompetencyUnit]:
    """Return the CUs assessed under ``accreditation``: the standard's (full) or the chosen ones."""
    if accreditation.mode == rules.MODULAR:
        return list(accreditation.units.order_by("order", "code"))
    return list(CompetencyUnit.objects.filter(standard_id=accreditation.standard_id))


def centre_accreditations(centre, today: datetime.date) -> list:
    """Return the centre's accreditations, each with why it blocks new intakes today (or None)."""
    accreditations = (
        Accreditation.objects.filter(centre=centre)
        .select_related("standard")
        .prefetch_related(
            Prefetch("events", queryset=AccreditationEvent.objects.order_by("-at", "-pk"))
        )
    )
    return [(a, accreditation_blocked(a, today)) for a in accreditations]


def ppt_of(intake):
    """The PPT application whose intake this is (None for a course's intake)."""
    from ..models import PptApplication

    return PptApplication.objects.filter(intake=intake).only("pk", "reference").first()


def centre_intakes(centre):
    """Return the centre's intakes with their programme and number of trainees."""
    return (
        Intake.objects.filter(centre=centre)
        .select_related("accreditation__standard", "verifier", "ppt")
        .annotate(trainees=Count("enrolments"))
        .order_by("-starts_on", "code")
    )


@dataclass
class Row:
    """One trainee of an intake and their result per CU (None: not assessed yet)."""

    enrolment: Enrolment
    results: list
    shown_id: str

    @property
    def trainee(self):
        return self.enrolment.trainee

    @property
    def assessed(self) -> int:
        return sum(1 for r in self.results if r is not None)


def intake_grid(intake: Intake, *, full_ids: bool, enrolments=None):
    """Return (units, rows): the intake's CUs and one Row per trainee, in three queries.

    ``full_ids``: the identity number as written (for the centre's
    administrator); otherwise masked. ``enrolments``: only these enrolment ids.
    """
    units = accreditation_units(intake.accreditation)
    queryset = Enrolment.objects.filter(intake=intake).select_related("trainee")
    if enrolments is not None:
        queryset = queryset.filter(pk__in=enrolments)
    enrolled = list(queryset.order_by("trainee__name", "pk"))
    results = {}
    for result in Result.objects.filter(enrolment__intake=intake).select_related("assessor"):
        results[(result.enrolment_id, result.unit_id)] = result
    rows = []
    for enrolment in enrolled:
        digits = enrolment.trainee.id_number
        rows.append(
            Row(
                enrolment,
                [results.get((enrolment.pk, unit.pk)) for unit in units],
                rules.format_id(digits) if full_ids else rules.mask_id(digits),
            )
        )
    return units, rows


def intake_missing(intake: Intake, units=None, rows=None) -> list[str]:
    """Return sentences naming what the intake lacks before it is submitted (empty: complete)."""
    from django.utils.translation import gettext as _

    if units is None or rows is None:
        units, rows = intake_grid(intake, full_ids=False)
    if not rows:
        return [_("No trainee is enrolled.")]
    if not units:
        return [_("The accreditation has no competency unit to assess.")]
    missing = []
    for row in rows:
        lacking = [unit.code for unit, result in zip(units, row.results, strict=True) if not result]
        if lacking:
            missing.append(
                _("%(name)s (%(id)s): no result in %(units)s")
                % {"name": row.trainee.name, "id": row.shown_id, "units": ", ".join(lacking)}
            )
    return missing


def intake_verifications(intake: Intake):
    """Return the intake's verification rounds, newest first, with the sample's size."""
    return (
        Verification.objects.filter(intake=intake)
        .select_related("verifier")
        .annotate(sampled=Count("sample"))
        .order_by("-at", "-pk")
    )


def intake_assessors(intake: Intake) -> set:
    """Return the ids of the people who recorded a result in ``intake``."""
    return set(
        Result.objects.filter(enrolment__intake=intake).values_list("assessor_id", flat=True)
    )


def verifiers(standard=None, on: datetime.date | None = None):
    """Return the people holding the external verifier (PPL) role, by name.

    ``standard`` given: only those approved as PPL for it on ``on`` (Modul Personel),
    the choices of the body's assign form.
    """
    from django.contrib.auth import get_user_model

    from ..personnel_rules import PPL
    from .personnel import approved_people

    ids = RoleGrant.objects.filter(role=VERIFIER).values("user_id")
    people = get_user_model().objects.filter(pk__in=ids, is_active=True)
    if standard is not None:
        people = people.filter(pk__in=approved_people(PPL, standard, on or timezone.localdate()))
    return people.order_by("first_name", "last_name", "username")


def verifier_intakes(user):
    """Return the intakes the body assigned to ``user``, those awaiting them first."""
    waiting = Q(state=rules.INTAKE_SUBMITTED)
    return (
        Intake.objects.filter(verifier=user)
        .select_related("centre", "accreditation__standard")
        .annotate(trainees=Count("enrolments"), waiting=Count("pk", filter=waiting))
        .order_by("-waiting", "-starts_on", "code")
    )


def may_see_full_ids(user, centre) -> bool:
    """Whether ``user`` sees identity numbers unmasked at ``centre``: who registers there."""
    return access.can(user, "skills.intake.manage", centre)


def trainee_page(trainee):
    """Return the trainee's enrolments (intake, centre, standard), each with (unit, result) pairs.

    Four queries whatever the number of enrolments: enrolments, results, the
    CUs of the standards (full accreditations) and the chosen CUs (modular).
    """
    enrolments = list(
        Enrolment.objects.filter(trainee=trainee)
        .select_related("intake__centre", "intake__accreditation__standard")
        .order_by("-intake__starts_on", "pk")
    )
    results = {}
    for result in Result.objects.filter(enrolment__trainee=trainee):
        results[(result.enrolment_id, result.unit_id)] = result
    accreditations = {e.intake.accreditation for e in enrolments}
    standard_ids = {a.standard_id for a in accreditations if a.mode != rules.MODULAR}
    by_standard = {}
    for unit in CompetencyUnit.objects.filter(standard_id__in=standard_ids):
        by_standard.setdefault(unit.standard_id, []).append(unit)
    chosen = {}
    modular = [a.pk for a in accreditations if a.mode == rules.MODULAR]
    if modular:
        through = Accreditation.units.through.objects.filter(accreditation_id__in=modular)
        for link in through.select_related("competencyunit").order_by(
            "competencyunit__order", "competencyunit__code"
        ):
            chosen.setdefault(link.accreditation_id, []).append(link.competencyunit)
    page = []
    for enrolment in enrolments:
        accreditation = enrolment.intake.accreditation
        if accreditation.mode == rules.MODULAR:
            units = chosen.get(accreditation.pk, [])
        else:
            units = by_standard.get(accreditation.standard_id, [])
        page.append((enrolment, [(u, results.get((enrolment.pk, u.pk))) for u in units]))
    return page
