"""Assessment (Penilaian): the centre's assessors (PP) record each trainee's result per CU.

A result is dated: not in the future, not before the intake starts, and on a
day the accreditation allows assessments, by an assessor whose approval as PP for the
standard was in force that day (Modul Personel). Once the intake is submitted or
verified, results are locked; a returned intake opens again for correction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Accreditation, Enrolment, Result
from ..personnel_rules import PP
from ..selectors.accreditation import accreditation_blocked
from ..selectors.personnel import approval_in_force
from ..selectors.training import accreditation_units
from .intakes import _editable
from .rating import rating_changed
from .statistics import statistics_changed

OUTCOMES = (rules.COMPETENT, rules.NOT_YET)
MAX_EVIDENCE = 2_000


@dataclass(frozen=True)
class Entry:
    """One result as typed: a trainee (enrolment), a CU, the outcome, date and evidence note."""

    enrolment_id: int
    unit_id: int
    outcome: str
    assessed_on: datetime.date
    evidence: str = ""


def _require_approval(by, standard, entries, kept) -> None:
    """ValidationError unless ``by`` was approved as PP for ``standard`` on the date of each
    result they create or change (Modul Personel; one query per date)."""
    days = sorted({
        e.assessed_on for e in entries
        if (r := kept.get((e.enrolment_id, e.unit_id))) is None
        or (r.outcome, r.assessed_on, r.evidence) != (e.outcome, e.assessed_on, e.evidence)
    })  # fmt: skip
    problems = [
        _("You have no approval as assessor (PP) for %(code)s in force on %(date)s: no result "
          "was recorded.") % {"code": standard.code, "date": day.isoformat()}
        for day in days
        if approval_in_force(by, PP, standard, day) is None
    ]  # fmt: skip
    if problems:
        raise ValidationError(problems)


def results_record(*, intake, entries, by, today: datetime.date) -> int:
    """Record ``entries`` (all, or none if any is wrong); return how many results changed.

    An entry equal to the result already kept changes nothing (and keeps its assessor).
    """
    entries = list(entries)
    with transaction.atomic():
        locked = _editable(intake)
        accreditation = Accreditation.objects.select_related("standard").get(
            pk=locked.accreditation_id
        )
        units = {u.pk: u for u in accreditation_units(accreditation)}
        enrolments = set(Enrolment.objects.filter(intake=locked).values_list("pk", flat=True))
        problems = []
        blocked_days = {}
        for entry in entries:
            if entry.enrolment_id not in enrolments or entry.unit_id not in units:
                problems.append(_("A result names a trainee or unit outside this intake."))
                continue
            unit = units[entry.unit_id].code
            if entry.outcome not in OUTCOMES:
                problems.append(
                    _("%(unit)s: choose Competent or Not yet competent.") % {"unit": unit}
                )
            if entry.assessed_on > today:
                problems.append(
                    _("%(unit)s: the assessment date %(date)s is in the future.")
                    % {"unit": unit, "date": entry.assessed_on.isoformat()}
                )
            elif entry.assessed_on < locked.starts_on:
                problems.append(
                    _("%(unit)s: the assessment date %(date)s is before the intake starts "
                      "(%(start)s).")
                    % {"unit": unit, "date": entry.assessed_on.isoformat(),
                       "start": locked.starts_on.isoformat()}
                )  # fmt: skip
            else:
                day = entry.assessed_on
                if day not in blocked_days:
                    blocked_days[day] = accreditation_blocked(accreditation, day)
                if blocked_days[day] is not None:
                    problems.append(
                        _("%(unit)s on %(date)s: no assessment, %(why)s")
                        % {"unit": unit, "date": day.isoformat(), "why": blocked_days[day].message}
                    )
            if len(entry.evidence) > MAX_EVIDENCE or "\x00" in entry.evidence:
                problems.append(
                    _("%(unit)s: the evidence note is longer than %(n)s characters or unreadable.")
                    % {"unit": unit, "n": MAX_EVIDENCE}
                )
        if problems:
            raise ValidationError(list(dict.fromkeys(problems)))
        kept = {
            (r.enrolment_id, r.unit_id): r
            for r in Result.objects.filter(enrolment__intake=locked).select_for_update()
        }
        _require_approval(by, accreditation.standard, entries, kept)
        # The years whose pass rates change: the new dates, and the old ones of changed results.
        years = {e.assessed_on.year for e in entries}
        changed = 0
        now = timezone.now()
        creating = []
        for entry in entries:
            result = kept.get((entry.enrolment_id, entry.unit_id))
            values = (entry.outcome, entry.assessed_on, entry.evidence)
            if result is None:
                creating.append(
                    Result(
                        enrolment_id=entry.enrolment_id, unit_id=entry.unit_id,
                        outcome=entry.outcome, assessed_on=entry.assessed_on,
                        evidence=entry.evidence, assessor=by, recorded_at=now,
                    )
                )  # fmt: skip
            elif (result.outcome, result.assessed_on, result.evidence) != values:
                years.add(result.assessed_on.year)
                result.outcome, result.assessed_on, result.evidence = values
                result.assessor, result.recorded_at = by, now
                result.save(update_fields=["outcome", "assessed_on", "evidence", "assessor",
                                           "recorded_at"])  # fmt: skip
                changed += 1
        Result.objects.bulk_create(creating)
        if changed or creating:
            for year in sorted(years):
                statistics_changed(year=year, centre_id=locked.centre_id)
                rating_changed(year=year)
        return changed + len(creating)
