"""Reading results: the latest rating of each construct, and what is still to do.

A construct's result is its latest ``Rating`` row (assessed, then moderated,
then verified; a change is a new row). One query for any set of candidates.
"""

from django.db.models import Q

from .. import rules
from ..instrument import instrument
from ..models import Absence, Candidate, Rating, Transfer

FIGURES = ("candidates", "expected", "rated", "moderated", "verified", "absent")
# Candidates whose results a school still works on.
ACTIVE = (rules.REGISTERED, rules.ABSENT, rules.COMPLETED)


def latest_ratings(candidate_ids) -> dict:
    """Return {(candidate id, construct code): the latest Rating} in one query."""
    latest = {}
    rows = Rating.objects.filter(candidate_id__in=list(candidate_ids)).order_by(
        "candidate_id", "construct", "at", "pk"
    )
    for rating in rows:
        latest[(rating.candidate_id, rating.construct)] = rating
    return latest


def absences(candidate_ids) -> set:
    """Return {(candidate id, instrument)} recorded absent, in one query."""
    return set(
        Absence.objects.filter(candidate_id__in=list(candidate_ids)).values_list(
            "candidate_id", "instrument"
        )
    )


def active_candidates(*, school, year):
    return Candidate.objects.filter(school=school, year=year, status__in=ACTIVE)


def unmoderated_counts(*, school, year: int, instrument: str) -> dict:
    """Return {"unrated": n, "unmoderated": n} over the school's candidates and the instrument.

    A candidate recorded absent for the instrument has nothing to rate in it.
    """
    ids = list(active_candidates(school=school, year=year).values_list("pk", flat=True))
    codes = [c.code for c in _constructs(instrument)]
    latest = latest_ratings(ids)
    away = absences(ids)
    unrated = unmoderated = 0
    for pk in ids:
        if (pk, instrument) in away:
            continue
        for code in codes:
            rating = latest.get((pk, code))
            if rating is None:
                unrated += 1
            elif rating.stage == rules.ASSESSED:
                unmoderated += 1
    return {"unrated": unrated, "unmoderated": unmoderated}


def _constructs(code: str):
    return instrument().get(code).constructs


def carried_over(candidate_ids) -> dict:
    """Return {(candidate id, instrument): done} finished at a school the candidate left.

    What a transfer recorded as verified or absent stays with the old school
    (seed 4.9: ProKhas 2 at the new school after ProKhas 1 at the old one).
    One query.
    """
    carried = {}
    rows = Transfer.objects.filter(candidate_id__in=list(candidate_ids)).values_list(
        "candidate_id", "done"
    )
    for pk, done in rows:
        for code, value in (done or {}).items():
            if value in (rules.VERIFIED, rules.ABSENT):
                carried[(pk, code)] = value
    return carried


def instrument_done(latest: dict, away: set, pk: int, code: str) -> str:
    """Return what was done in instrument ``code`` by candidate ``pk`` (``rules.DONE``)."""
    constructs = _constructs(code)
    stages = [latest[(pk, c.code)].stage for c in constructs if (pk, c.code) in latest]
    return rules.instrument_done(
        stages=stages, constructs=len(constructs), absent=(pk, code) in away
    )


def stage_counts(*, school, year: int) -> dict:
    """Return {instrument: {"candidates", "expected", "rated", "moderated", "verified", "absent"}}.

    Over the school's candidates (not those absent for the instrument): how
    many construct results exist and how far each has gone. Three queries.
    """
    ids = list(active_candidates(school=school, year=year).values_list("pk", flat=True))
    latest = latest_ratings(ids)
    away = absences(ids)
    counts = {}
    for code in rules.INSTRUMENTS:
        constructs = [c.code for c in _constructs(code)]
        row = dict.fromkeys(FIGURES, 0)
        row["candidates"] = len(ids)
        for pk in ids:
            if (pk, code) in away:
                row["absent"] += 1
                continue
            row["expected"] += len(constructs)
            for c in constructs:
                rating = latest.get((pk, c))
                if rating is None:
                    continue
                row["rated"] += 1
                if rating.stage in (rules.MODERATED, rules.VERIFIED):
                    row["moderated"] += 1
                if rating.stage == rules.VERIFIED:
                    row["verified"] += 1
        counts[code] = row
    return counts


def classes_of(*, school, year: int) -> list[str]:
    """Return the class names of the school's candidates, sorted (one query)."""
    return sorted(
        set(active_candidates(school=school, year=year).values_list("class_name", flat=True))
    )


def grid(*, school, year: int, instrument: str, class_name: str | None = None) -> dict:
    """Return the rating or moderation grid of an instrument: candidates × constructs.

    Each row: the candidate, whether they may be rated in it (absent, finished
    at a previous school), and per construct the latest result and the
    teacher's latest rating. Four queries whatever the number of candidates.
    """
    candidates = active_candidates(school=school, year=year).order_by("class_name", "name", "pk")
    if class_name is not None:
        candidates = candidates.filter(class_name=class_name)
    candidates = list(candidates)
    ids = [c.pk for c in candidates]
    constructs = _constructs(instrument)
    rows = Rating.objects.filter(
        candidate_id__in=ids, construct__in=[c.code for c in constructs]
    ).order_by("candidate_id", "construct", "at", "pk")
    latest, assessed = {}, {}
    for rating in rows:
        latest[(rating.candidate_id, rating.construct)] = rating
        if rating.stage == rules.ASSESSED:
            assessed[(rating.candidate_id, rating.construct)] = rating
    away = absences(ids)
    carried = carried_over(ids)
    lines = []
    for candidate in candidates:
        absent = (candidate.pk, instrument) in away
        done = carried.get((candidate.pk, instrument))
        cells = [
            {
                "construct": c,
                "latest": latest.get((candidate.pk, c.code)),
                "assessed": assessed.get((candidate.pk, c.code)),
            }
            for c in constructs
        ]
        lines.append(
            {
                "candidate": candidate,
                "absent": absent,
                "carried": done,
                "ratable": not absent and done is None,
                "cells": cells,
            }
        )
    return {"rows": lines, "constructs": constructs}


def candidate_results(candidate) -> dict:
    """Return a candidate's results: per instrument and subject, each construct's stages.

    Every rating row is kept (assessed, moderated, verified, each change):
    the history shows them all with who, when, where and why. Three queries.
    """
    rows = list(
        Rating.objects.filter(candidate=candidate)
        .select_related("by", "school")
        .order_by("construct", "at", "pk")
    )
    history = {}
    for rating in rows:
        history.setdefault(rating.construct, []).append(rating)
    away = {code for _pk, code in absences([candidate.pk])}
    transfers = list(
        Transfer.objects.filter(candidate=candidate)
        .select_related("from_school", "to_school", "by")
        .order_by("at", "pk")
    )
    instruments = []
    for found in instrument().instruments:
        subjects = []
        for subject in found.subjects:
            constructs = []
            for construct in subject.constructs:
                stages = history.get(construct.code, [])
                constructs.append(
                    {
                        "construct": construct,
                        "latest": stages[-1] if stages else None,
                        "history": stages,
                    }
                )
            subjects.append(
                {
                    "subject": subject,
                    "component": subject.component_name(candidate.kh_component)
                    if subject.components
                    else "",
                    "constructs": constructs,
                }
            )
        latest = {(candidate.pk, code): s[-1] for code, s in history.items()}
        instruments.append(
            {
                "instrument": found,
                "absent": found.code in away,
                "done": instrument_done(
                    latest, {(candidate.pk, a) for a in away}, candidate.pk, found.code
                ),  # fmt: skip
                "subjects": subjects,
            }
        )
    return {"instruments": instruments, "transfers": transfers}


def transfers_of_school(school, year: int) -> list:
    """Return the transfers of ``year`` into or out of ``school``, newest first (one query).

    The old school keeps seeing a candidate it registered (transferred out)
    and the new one where they came from.
    """
    return list(
        Transfer.objects.filter(Q(from_school=school) | Q(to_school=school), candidate__year=year)
        .select_related("candidate", "from_school", "to_school", "by")
        .order_by("-at", "-pk")
    )


def transfers_of_schools(schools, year: int) -> list:
    """Return the transfers of ``year`` into or out of any of ``schools`` (a queryset)."""
    return list(
        Transfer.objects.filter(
            Q(from_school__in=schools) | Q(to_school__in=schools), candidate__year=year
        )
        .select_related("candidate", "from_school__district", "to_school__district", "by")
        .order_by("-at", "-pk")
    )
