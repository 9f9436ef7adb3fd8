"""Reading results: the latest rating of each construct, and what is still to do.

A construct's result is its latest ``Rating`` row (assessed, then moderated,
then verified; a change is a new row). One query for any set of candidates.
"""

from .. import rules
from ..instrument import instrument
from ..models import Absence, Candidate, Rating

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
