"""Writing results: ratings, moderation, verification, absences and transfers.

Rating rows are never updated (models.Rating): the teacher's rating, the
subject head's moderation (Ketua Panitia, seed 6.8) and the committee's
verification (Jawatankuasa Verifikasi Skor chaired by the head, 6.9) are
each a new row, so every stage's level, who gave it, when and why stays.
Each service is all or nothing, refuses with a message naming what is
wrong, and announces the school's change (``events.school_changed``) in its
transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.review import rules as review_rules
from core.review import services as review_services
from core.review.models import ReviewSubject

from .. import calendar, events, review, rules
from ..instrument import instrument
from ..models import Absence, Candidate, Rating, SchoolYear, Transfer
from ..selectors import results as selectors

REASON_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 500


def _locked_subject(school, year: int, instrument_code: str):
    """Lock the instrument's review subject (made if new): no verification runs meanwhile."""
    subject, _created = ReviewSubject.objects.get_or_create(
        programme=review.CODE, year=year, window=instrument_code, school=school
    )
    return ReviewSubject.objects.select_for_update().get(pk=subject.pk)


def _require_open(school, year: int, instrument_code: str, on):
    subject = _locked_subject(school, year, instrument_code)
    is_open, why = review.results_open(school, year, instrument_code, on, subject=subject)
    if not is_open:
        raise ValidationError(why)


def _constructs(instrument_code: str) -> dict:
    return {c.code: c for c in instrument().get(instrument_code).constructs}


def _candidates(school, year: int, ids) -> dict:
    """Return {pk: candidate} of the school's active candidates among ``ids``, locked."""
    return {
        c.pk: c
        for c in Candidate.objects.select_for_update()
        .filter(pk__in=list(ids), school=school, year=year, status__in=selectors.ACTIVE)
        .order_by("pk")
    }


def _who(candidate, construct) -> str:
    return f"{candidate.name}, {construct.code} {construct.name}"


@transaction.atomic
def ratings_record(*, school, year: int, instrument_code: str, levels: dict, by, on=None) -> int:
    """Record the teacher's ratings ``{(candidate id, construct): level}``; return rows written.

    Each changed level is a new "assessed" row; an unchanged one writes
    nothing. Refused as a whole (ValidationError naming every fault) while
    the instrument's results are not open, for a candidate absent for it or
    who finished it at a previous school, or a candidate not at the school.
    """
    _require_open(school, year, instrument_code, on)
    constructs = _constructs(instrument_code)
    candidates = _candidates(school, year, {pk for pk, _code in levels})
    ids = list(candidates)
    latest = selectors.latest_ratings(ids)
    away = selectors.absences(ids)
    carried = selectors.carried_over(ids)
    errors, new = [], []
    now = timezone.now()
    for (pk, code), level in sorted(levels.items()):
        candidate, construct = candidates.get(pk), constructs.get(code)
        if candidate is None or construct is None:
            errors.append(_("A rating names a candidate or construct not in this list."))
            continue
        why = rules.rating_refusal(
            level=level,
            absent=(pk, instrument_code) in away,
            carried=carried.get((pk, instrument_code)),
        )
        if why is not None:
            errors.append(f"{_who(candidate, construct)}: {why}")
            continue
        current = latest.get((pk, code))
        if current is not None and current.level == level:
            continue
        new.append(Rating(candidate=candidate, construct=code, stage=rules.ASSESSED, level=level,
                          school=school, by=by, at=now))  # fmt: skip
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    Rating.objects.bulk_create(new)
    if new:
        statuses_refresh({r.candidate_id for r in new})
        events.school_changed(school.id, year)
    return len(new)


@transaction.atomic
def moderations_record(*, school, year: int, instrument_code: str, changes: dict, by,
                       on=None) -> int:  # fmt: skip
    """Record the subject head's moderation ``{(candidate id, construct): (level, reason)}``.

    Confirming the teacher's level or changing it (with a reason,
    ``rules.moderation_refusal``) is a new "moderated" row; a level equal
    to the current moderated result writes nothing. All or nothing.
    """
    _require_open(school, year, instrument_code, on)
    constructs = _constructs(instrument_code)
    candidates = _candidates(school, year, {pk for pk, _code in changes})
    ids = list(candidates)
    rows = Rating.objects.filter(candidate_id__in=ids).order_by("candidate_id", "construct", "at",
                                                                "pk")  # fmt: skip
    latest, assessed = {}, {}
    for rating in rows:
        latest[(rating.candidate_id, rating.construct)] = rating
        if rating.stage == rules.ASSESSED:
            assessed[(rating.candidate_id, rating.construct)] = rating
    away = selectors.absences(ids)
    carried = selectors.carried_over(ids)
    errors, new = [], []
    now = timezone.now()
    for (pk, code), (level, reason) in sorted(changes.items()):
        candidate, construct = candidates.get(pk), constructs.get(code)
        if candidate is None or construct is None:
            errors.append(_("A moderation names a candidate or construct not in this list."))
            continue
        if (pk, instrument_code) in away or carried.get((pk, instrument_code)):
            errors.append(
                f"{_who(candidate, construct)}: "
                + str(
                    rules.rating_refusal(
                        level=level,
                        absent=(pk, instrument_code) in away,
                        carried=carried.get((pk, instrument_code)),
                    )
                )  # fmt: skip
            )
            continue
        teacher = assessed.get((pk, code))
        reason = (reason or "").strip()[:REASON_MAX_LENGTH]
        why = rules.moderation_refusal(
            assessed=teacher.level if teacher else None, level=level, reason=reason
        )
        if why is not None:
            errors.append(f"{_who(candidate, construct)}: {why}")
            continue
        current = latest.get((pk, code))
        if current.stage != rules.ASSESSED and current.level == level:
            continue
        new.append(Rating(candidate=candidate, construct=code, stage=rules.MODERATED, level=level,
                          reason=reason, school=school, by=by, at=now))  # fmt: skip
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    Rating.objects.bulk_create(new)
    if new:
        statuses_refresh({r.candidate_id for r in new})
        events.school_changed(school.id, year)
    return len(new)


def moderations_confirm_all(*, school, year: int, instrument_code: str, by,
                            class_name: str | None = None, on=None) -> int:  # fmt: skip
    """Confirm the teacher's level of every construct not moderated yet (a class, or all)."""
    found = selectors.grid(school=school, year=year, instrument=instrument_code,
                           class_name=class_name)  # fmt: skip
    changes = {
        (row["candidate"].pk, cell["construct"].code): (cell["latest"].level, "")
        for row in found["rows"]
        if row["ratable"]
        for cell in row["cells"]
        if cell["latest"] is not None and cell["latest"].stage == rules.ASSESSED
    }
    if not changes:
        raise ValidationError(_("Every rating given is already moderated."))
    return moderations_record(school=school, year=year, instrument_code=instrument_code,
                              changes=changes, by=by, on=on)  # fmt: skip


def _verified_rows(*, school, year: int, instrument_code: str, by) -> list:
    """The committee's verification: a "verified" row for each current result not verified yet."""
    ids = list(selectors.active_candidates(school=school, year=year).values_list("pk", flat=True))
    latest = selectors.latest_ratings(ids)
    away = selectors.absences(ids)
    carried = selectors.carried_over(ids)
    now = timezone.now()
    new = [
        Rating(
            candidate_id=pk,
            construct=code,
            stage=rules.VERIFIED,
            level=current.level,
            school=school,
            by=by,
            at=now,
        )  # fmt: skip
        for pk in ids
        if (pk, instrument_code) not in away and (pk, instrument_code) not in carried
        for code in _constructs(instrument_code)
        if (current := latest.get((pk, code))) is not None and current.stage != rules.VERIFIED
    ]
    Rating.objects.bulk_create(new)
    return ids


@transaction.atomic
def results_act(*, programme: str = review.CODE, year: int, school, act: str, by, window: str,
                comment: str = "", until=None, confirmed: bool = False, on=None):  # fmt: skip
    """Do a review act on an instrument's results (``core.review.services.subject_act``).

    Takes the same keywords as ``subject_act`` (so ``act_response`` calls it).
    A verification writes, in the same transaction, a "verified" row for
    every construct's current result of every candidate at the school (the
    results are then locked); a reopening needs a reason. ``Incomplete``
    (unrated or unmoderated constructs named) unless ``confirmed``.
    """
    if act == review_rules.REOPEN and not (comment or "").strip():
        raise ValidationError(_("Say why the results are reopened."))
    event = review_services.subject_act(
        programme=programme, year=year, school=school, window=window, act=act, by=by,
        comment=comment, until=until, confirmed=confirmed, on=on,
    )  # fmt: skip
    if act == review_rules.VERIFY:
        ids = _verified_rows(school=school, year=year, instrument_code=window, by=by)
        statuses_refresh(ids)
    events.school_changed(school.id, year)
    return event


def results_verify(*, school, year: int, instrument_code: str, by, comment: str = "",
                   confirmed: bool = False, on=None):  # fmt: skip
    """The committee chaired by the head verifies an instrument's results (seed 6.9)."""
    return results_act(year=year, school=school, act=review_rules.VERIFY, by=by,
                       window=instrument_code, comment=comment, confirmed=confirmed,
                       on=on)  # fmt: skip


def statuses_refresh(candidate_ids) -> None:
    """Set each candidate's status from their results (``rules.candidate_status``)."""
    candidates = list(Candidate.objects.filter(pk__in=list(candidate_ids)).only("pk", "status"))
    ids = [c.pk for c in candidates]
    latest = selectors.latest_ratings(ids)
    away = selectors.absences(ids)
    changed = []
    now = timezone.now()
    for candidate in candidates:
        if candidate.status not in selectors.ACTIVE:
            continue
        done = {
            code: selectors.instrument_done(latest, away, candidate.pk, code)
            for code in rules.INSTRUMENTS
        }
        status = rules.candidate_status(done=done, current=candidate.status)
        if status != candidate.status:
            candidate.status, candidate.updated_at = status, now
            changed.append(candidate)
    if changed:
        Candidate.objects.bulk_update(changed, ["status", "updated_at"])


@transaction.atomic
def absence_record(*, candidate, school, instrument_code: str, by, note: str = "", on=None):
    """Record a candidate absent for a whole instrument window (seed 4.6); return the Absence.

    Only after the window closed and with nothing rated in it
    (``rules.absence_refusal``); once recorded they cannot be rated in it.
    """
    if instrument_code not in rules.INSTRUMENTS:
        raise ValidationError(_("Choose ProKhas 1 or ProKhas 2."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.school_id != school.id or candidate.status not in selectors.ACTIVE:
        raise ValidationError(_("This candidate does not sit PASR at this school."))
    if Absence.objects.filter(candidate=candidate, instrument=instrument_code).exists():
        raise ValidationError(_("This candidate is already recorded absent for this instrument."))
    _opens, closes = calendar.assessment_year(candidate.year).window(instrument_code)
    codes = list(_constructs(instrument_code))
    why = rules.absence_refusal(
        instrument=instrument_code,
        window_closes=closes,
        today=on or calendar.today(),
        rated=Rating.objects.filter(candidate=candidate, construct__in=codes).exists(),
    )
    if why is not None:
        raise ValidationError(str(why))
    absence = Absence.objects.create(candidate=candidate, instrument=instrument_code,
                                     school=school, by=by,
                                     note=(note or "").strip()[:NOTE_MAX_LENGTH])  # fmt: skip
    statuses_refresh([candidate.pk])
    events.school_changed(school.id, candidate.year)
    return absence


@transaction.atomic
def candidate_withdraw(*, candidate, school, by, reason: str) -> Candidate:
    """Withdraw a candidate who sits PASR at ``school`` (``rules.withdraw_refusal``).

    Their ratings stay (the history is kept) but they leave the school's lists,
    grids, reports and roll-ups from now on.
    """
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.school_id != school.id:
        raise ValidationError(_("This candidate does not sit PASR at this school."))
    reason = (reason or "").strip()
    why = rules.withdraw_refusal(status=candidate.status, reason=reason)
    if why is not None:
        raise ValidationError(str(why))
    candidate.status = rules.WITHDRAWN
    candidate.withdrawn_reason = reason[: rules.WITHDRAW_REASON_MAX]
    candidate.withdrawn_by = by
    candidate.withdrawn_at = timezone.now()
    candidate.save(update_fields=["status", "withdrawn_reason", "withdrawn_by", "withdrawn_at",
                                  "updated_at"])  # fmt: skip
    events.school_changed(school.id, candidate.year)
    return candidate


def school_year_of(school, year: int) -> rules.SchoolYear:
    """What the school runs in ``year``: PPKI, or partial inclusive education declared."""
    declared = SchoolYear.objects.filter(school=school, year=year, partial_inclusive=True).exists()
    return rules.SchoolYear(has_ppki=school.has_ppki, partial_inclusive=declared)


class NotFound(ValidationError):
    """No candidate of the year has this identity number."""


@transaction.atomic
def candidate_transfer(*, id_number: str, year: int, to_school, by):
    """The new school takes over a registered candidate (seed 4.8-4.10); return the Transfer.

    Found by identity number in the whole nation for ``year``. Refused with
    the seed's reason when the new school does not run PASR. ``done`` keeps
    what was finished per instrument; the ratings stay with the school that
    gave them, and the candidate continues at the new school.
    """
    digits = rules.normalise_id(id_number)
    if digits is None:
        raise ValidationError(_("An identity number has 12 digits (dashes allowed)."))
    candidate = Candidate.objects.select_for_update().filter(year=year, id_number=digits).first()
    if candidate is None:
        raise NotFound(
            _("No candidate with this identity number is registered for PASR %(year)s.")
            % {"year": year}
        )
    why = rules.transfer_refusal(
        to_school=school_year_of(to_school, year),
        same_school=candidate.school_id == to_school.id,
        status=candidate.status,
    )
    if why is not None:
        raise ValidationError(str(why))
    latest = selectors.latest_ratings([candidate.pk])
    away = selectors.absences([candidate.pk])
    done = {
        code: selectors.instrument_done(latest, away, candidate.pk, code)
        for code in rules.INSTRUMENTS
    }
    from_school = candidate.school
    transfer = Transfer.objects.create(candidate=candidate, from_school=from_school,
                                       to_school=to_school, done=done, by=by)  # fmt: skip
    candidate.school = to_school
    candidate.save(update_fields=["school", "updated_at"])
    events.school_changed(from_school.id, year)
    events.school_changed(to_school.id, year)
    return transfer
