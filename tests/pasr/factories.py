"""PASR test data: candidates and the board's calendar, created directly (no registration form)."""

import datetime
import itertools

from pasr import rules
from pasr.models import AssessmentYear, Candidate

YEAR = 2026
_numbers = itertools.count(1)


def assessment_year(year: int = YEAR, **windows) -> AssessmentYear:
    """The board's calendar: ProKhas 1 in April-May, ProKhas 2 in June, results by 31 July.

    ``windows`` overrides any date (``prokhas1_opens=...``, ``results_due=None``).
    """
    dates = {
        "registration_opens": datetime.date(year, 3, 1),
        "registration_closes": datetime.date(year, 3, 31),
        "prokhas1_opens": datetime.date(year, 4, 1),
        "prokhas1_closes": datetime.date(year, 5, 26),  # 8 weeks
        "prokhas2_opens": datetime.date(year, 6, 1),
        "prokhas2_closes": datetime.date(year, 6, 28),  # 4 weeks
        "results_due": datetime.date(year, 7, 31),
        **windows,
    }
    found, _created = AssessmentYear.objects.update_or_create(year=year, defaults=dates)
    return found


def candidate(school, *, year: int = YEAR, name: str | None = None, id_number: str | None = None,
              class_name: str = "6 Bestari", kh_component: str = "masakan",
              status: str = rules.REGISTERED, **more) -> Candidate:  # fmt: skip
    """A registered candidate of ``school`` (eligible by every rule), a fresh identity number."""
    n = next(_numbers)
    return Candidate.objects.create(
        year=year,
        id_number=id_number or f"1401{n:02d}10{n:04d}"[-12:].rjust(12, "0"),
        name=name or f"Calon {n}",
        date_of_birth=datetime.date(year - 13, 1, 1 + n % 27),
        school=school,
        class_name=class_name,
        programme=rules.PPKI,
        curriculum=rules.KSSR_PK_MP,
        tahap=2,
        final_year=True,
        medical="gov_hospital",
        mainstream_exam=False,
        kh_component=kh_component,
        status=status,
        **more,
    )
