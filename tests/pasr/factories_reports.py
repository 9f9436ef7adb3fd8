"""Candidates and ratings made directly for the reports' tests (no registration service)."""

import datetime
import itertools

from pasr import rules
from pasr.instrument import instrument
from pasr.models import Candidate, Rating

_ids = itertools.count(1)


def candidate(school, *, year=2026, name=None, class_name="6 Bestari", status=rules.REGISTERED,
              kh_component="masakan", by=None):  # fmt: skip
    n = next(_ids)
    return Candidate.objects.create(
        year=year, id_number=f"1312319{n:05d}", name=name or f"Murid {n}",
        date_of_birth=datetime.date(year - 12, 1, 1), school=school, class_name=class_name,
        programme=rules.PPKI, curriculum=rules.KSSR_PK_MP, tahap=2, final_year=True,
        medical="oku_card", mainstream_exam=False, kh_component=kh_component, status=status,
        registered_by=by,
    )  # fmt: skip


def rate(candidate, construct, level, *, by, stage=rules.VERIFIED, school=None, at=None):
    """Give ``construct`` its ratings up to ``stage`` (assessed, then moderated, then verified)."""
    at = at or datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    rows = []
    for i, step in enumerate(rules.STAGES[: rules.STAGES.index(stage) + 1]):
        rows.append(
            Rating(
                candidate=candidate,
                construct=construct,
                stage=step,
                level=level,
                school=school or candidate.school,
                by=by,
                at=at + datetime.timedelta(minutes=i),
            )  # fmt: skip
        )
    Rating.objects.bulk_create(rows)


def rate_all(candidate, level, *, by, stage=rules.VERIFIED, instruments=None):
    for construct in instrument().constructs:
        if instruments is None or construct.instrument in instruments:
            rate(candidate, construct.code, level, by=by, stage=stage)


CODES = [c.code for c in instrument().constructs]
