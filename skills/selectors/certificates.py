"""Reads of certification (Persijilan): what a trainee earned, the public check, statistics."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from .. import rules
from ..models import (
    AccreditationEvent,
    Centre,
    Certificate,
    CompetencyUnit,
    Result,
    Sector,
)


def certificates_of(trainee):
    """Return ``trainee``'s certificates, current versions first, with what a list shows."""
    return list(
        Certificate.objects.filter(trainee=trainee)
        .select_related("standard", "centre")
        .order_by("-issued_on", "number", "-version")
    )


def intake_certificates(intake):
    """Return the certificates issued for ``intake`` (every version), with their trainee."""
    return list(
        Certificate.objects.filter(intake=intake)
        .select_related("trainee")
        .order_by("holder_name", "number", "version")
    )


def certificate_current(certificate):
    """Return the current version of ``certificate``'s number (itself if it is the latest)."""
    return (
        Certificate.objects.filter(number=certificate.number)
        .select_related("standard", "centre")
        .order_by("-version")
        .first()
    )


# --- the public check ---
CHECK_FIELDS = (
    "id", "number", "version", "reference", "kind", "holder_name", "level", "issued_on",
    "status", "revoked_reason", "revoked_at", "trainee_id",
    "standard__code", "standard__title_ms", "standard__title_en",
    "centre__code", "centre__name",
)  # fmt: skip


@dataclass(frozen=True)
class Checked:
    """What the public check shows of a certificate: nothing more is read."""

    pk: int
    number: str
    version: int
    reference: str
    kind: str
    holder_name: str
    level: int
    issued_on: datetime.date
    status: str
    revoked_reason: str
    revoked_at: datetime.datetime | None
    trainee_id: int
    standard: SimpleNamespace
    centre: SimpleNamespace


def certificate_for_check(*, reference: str | None = None, pk: int | None = None):
    """Return the certificate the public check shows (by reference or pk), or None: one query.

    Plain values, not a model instance (the hot public path: half the work),
    and only what the check shows; the holder's identity number stays in the
    database (``holder_id_number`` is read only to answer a yes/no question).
    """
    rows = Certificate.objects.filter(**({"reference": reference} if reference is not None
                                        else {"pk": pk}))  # fmt: skip
    row = rows.values_list(*CHECK_FIELDS).first()
    if row is None:
        return None
    v = dict(zip(CHECK_FIELDS, row, strict=True))
    return Checked(
        pk=v["id"], number=v["number"], version=v["version"], reference=v["reference"],
        kind=v["kind"], holder_name=v["holder_name"], level=v["level"],
        issued_on=v["issued_on"], status=v["status"], revoked_reason=v["revoked_reason"],
        revoked_at=v["revoked_at"], trainee_id=v["trainee_id"],
        standard=SimpleNamespace(code=v["standard__code"], title_ms=v["standard__title_ms"],
                                 title_en=v["standard__title_en"]),
        centre=SimpleNamespace(code=v["centre__code"], name=v["centre__name"]),
    )  # fmt: skip


def current_reference(certificate) -> str | None:
    """Return the reference of the current version of a superseded certificate (one query)."""
    return (
        Certificate.objects.filter(number=certificate.number, version__gt=certificate.version)
        .order_by("-version")
        .values_list("reference", flat=True)
        .first()
    )


def holder_id_number(certificate) -> str:
    """Return the holder's identity number, for a constant-time comparison only (one query)."""
    from ..models import Trainee

    rows = Trainee.objects.filter(pk=certificate.trainee_id).values_list("id_number", flat=True)
    return rows.first() or ""


# --- issuing ---
@dataclass(frozen=True)
class IntakeFacts:
    """What every enrolment of an intake shares, read once per batch."""

    standard_units: frozenset  # every CU of the standard
    accredited_units: frozenset  # the CUs the centre may certify (full: all)
    accreditation: object
    events: tuple


def intake_facts(intake) -> IntakeFacts:
    accreditation = intake.accreditation
    units = frozenset(
        CompetencyUnit.objects.filter(standard_id=accreditation.standard_id).values_list(
            "pk", flat=True
        )
    )
    if accreditation.mode == rules.MODULAR:
        accredited = frozenset(accreditation.units.values_list("pk", flat=True)) & units
    else:
        accredited = units
    events = tuple(AccreditationEvent.objects.filter(accreditation=accreditation))
    return IntakeFacts(units, accredited, accreditation, events)


def enrolments_earned(enrolment_ids):
    """Return {enrolment id: (CU ids competent and verified, the latest of their dates)}."""
    earned = defaultdict(lambda: (set(), None))
    rows = Result.objects.filter(
        enrolment_id__in=enrolment_ids, outcome=rules.COMPETENT, verified_at__isnull=False
    ).values_list("enrolment_id", "unit_id", "assessed_on")
    for enrolment_id, unit_id, assessed_on in rows:
        units, latest = earned[enrolment_id]
        units.add(unit_id)
        earned[enrolment_id] = (units, assessed_on if latest is None else max(latest, assessed_on))
    return {k: (frozenset(u), d) for k, (u, d) in earned.items()}


# --- statistics (item 8) ---
@dataclass
class Statistics:
    year: int
    intakes: int
    trainees: int
    units: list  # [{code, title, assessed, competent, rate}]
    by_level: list  # [(kind, count)]
    by_sector: list  # [(label, count)]
    by_state: list
    by_centre: list
    total: int


def statistics_years():
    """Return the years the statistics page offers (this year and the nine before)."""

    this = timezone.localdate().year
    return list(range(this, this - 10, -1))


def skills_statistics(*, year: int, centres=None) -> Statistics:
    """Return a year's figures: intakes, pass rates per CU, certificates by level and place.

    ``centres``: the centres to count (None: every centre, the body's view). Read from
    the precomputed figures (``skills.services.statistics``): four small indexed queries
    whatever the number of results and certificates; equal to ``skills_statistics_live``.
    """
    from ..models import CentreYearFigures, UnitYearFigures

    rows = CentreYearFigures.objects.filter(year=year).select_related("centre__state")
    units = UnitYearFigures.objects.filter(year=year)
    if centres is not None:
        centre_ids = list(centres.values_list("pk", flat=True))
        rows, units = rows.filter(centre_id__in=centre_ids), units.filter(centre_id__in=centre_ids)
    rows = list(rows)
    groups = [
        (kind, int(sector), row.centre_id, n)
        for row in rows
        for kind, sectors in row.certificates.items()
        for sector, n in sectors.items()
    ]
    counted_units = list(
        units.values("unit_id").annotate(assessed=Sum("assessed"), competent=Sum("competent"))
        .order_by()
    )  # fmt: skip
    return _assemble(
        year, sum(r.intakes for r in rows), sum(r.trainees for r in rows), counted_units,
        groups, {r.centre_id: r.centre for r in rows},
    )  # fmt: skip


def skills_statistics_live(*, year: int, centres=None) -> Statistics:
    """Return the same figures as ``skills_statistics``, aggregated from the records now.

    What the precomputed figures must equal (the tests compare them); slow on a national
    database (the aggregate over a year's results and certificates).
    """
    from ..services.statistics import live_groups

    centre_ids = None if centres is None else list(centres.values_list("pk", flat=True))
    groups = live_groups(year=year, centre_ids=centre_ids)
    per_unit = defaultdict(lambda: [0, 0])
    for (_centre, unit), (assessed, competent) in groups["units"].items():
        per_unit[unit][0] += assessed
        per_unit[unit][1] += competent
    counted_units = [{"unit_id": u, "assessed": a, "competent": k}
                     for u, (a, k) in per_unit.items()]  # fmt: skip
    certificates = [(kind, sector, centre, n)
                    for (centre, kind, sector), n in groups["certificates"].items()]  # fmt: skip
    centre_ids = {c for _k, _s, c, _n in certificates}
    return _assemble(
        year, sum(groups["intakes"].values()), sum(groups["trainees"].values()), counted_units,
        certificates,
        {c.pk: c for c in Centre.objects.filter(pk__in=centre_ids).select_related("state")},
    )  # fmt: skip


def _assemble(year, intakes, trainees, counted_units, groups, centre_rows) -> Statistics:
    """The page's figures from counts per CU and certificates per (kind, sector, centre)."""
    names = {
        u["pk"]: u
        for u in CompetencyUnit.objects.filter(pk__in=[r["unit_id"] for r in counted_units]).values(
            "pk", "code", "title_ms", "title_en"
        )
    }
    per_unit = []
    for row in counted_units:
        unit = names[row["unit_id"]]
        per_unit.append({
            "unit_id": row["unit_id"], "unit__code": unit["code"],
            "unit__title_ms": unit["title_ms"], "unit__title_en": unit["title_en"],
            "assessed": row["assessed"], "competent": row["competent"],
            "rate": (Decimal(100 * row["competent"]) / row["assessed"]).quantize(Decimal("0.1"))
            if row["assessed"] else None,
        })  # fmt: skip
    per_unit.sort(key=lambda r: r["unit__code"])
    by_level, by_sector, by_centre = defaultdict(int), defaultdict(int), defaultdict(int)
    for kind, sector, centre, n in groups:
        if not n:
            continue
        by_level[kind] += n
        by_sector[sector] += n
        by_centre[centre] += n
    sectors = {s.pk: str(s) for s in Sector.objects.filter(pk__in=by_sector)}
    by_state = defaultdict(int)
    for centre_id, n in by_centre.items():
        state = centre_rows[centre_id].state
        by_state[state.name if state else ""] += n
    return Statistics(
        year=year,
        intakes=intakes,
        trainees=trainees,
        units=per_unit,
        by_level=[(k, by_level[k]) for k in rules.KINDS if by_level.get(k)],
        by_sector=sorted(((sectors[k], n) for k, n in by_sector.items()), key=lambda r: r[0]),
        by_state=sorted(by_state.items(), key=lambda r: (r[0] == "", r[0])),
        by_centre=sorted(
            ((str(centre_rows[k]), n) for k, n in by_centre.items()), key=lambda r: r[0]
        ),  # fmt: skip
        total=sum(by_level.values()),
    )


def latest_batch(intake):
    from ..models import IssueBatch

    return IssueBatch.objects.filter(intake=intake).order_by("-requested_at", "-pk").first()


def intake_certification_summary(intake):
    """Return counts for the intake's certification page (one query)."""
    return intake.enrolments.aggregate(
        enrolled=Count("pk", distinct=True),
        certified=Count("trainee__certificates__number", distinct=True,
                        filter=Q(trainee__certificates__intake=intake)),
        last_assessed=Max("results__assessed_on"),
    )  # fmt: skip
