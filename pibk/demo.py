"""The demo world's PIBK: two past years and this one, a register at BBA5008."""

import datetime
import random

from django.contrib.auth import get_user_model

from core.review.services import subject_verify
from schools.models import School

from . import rules
from .entry import counts_save
from .family_register import register_counts_refresh, register_import
from .models import Activity, Attendance, Family, SchoolYear, Volunteer
from .rollups import rollups_rebuild
from .services import school_year_ensure, today, year_targets

GIVEN = ["Aisyah", "Irfan", "Mei Ling", "Kavitha", "Hakim", "Nurul", "Wei Jie", "Arjun", "Sofia",
         "Danish", "Siti", "Jia Hui", "Priya", "Amir", "Balqis", "Ravi", "Hana", "Zul"]  # fmt: skip
FAMILY = ["Ahmad", "Tan", "Lim", "Abdullah", "Raj", "Ismail", "Wong", "Muthu", "Hassan", "Lee",
          "Osman", "Chong", "Kumar", "Yusof", "Ng", "Rahman", "Subramaniam", "Aziz"]  # fmt: skip
# A school's habits: how likely a family is to come, per activity.
ATTENDANCE = {"A": 0.92, "B": 0.85, "C": 0.68, "D": 0.88, "E": 0.75, "F": 0.9}
LEAN = {"BBA5008": 1.0, "BBC5012": 0.9, "BEA5020": 0.7, "BBA8101": 1.05, "BBA8102": 0.8,
        "ABA0901": 1.08, "ABD0902": 0.75, "AEA0903": 0.85}  # fmt: skip
REGISTER_SCHOOL = "BBA5008"


def _reviewer(school):
    """The officer nearest above ``school`` (its district's, its state's, the nation's)."""
    User = get_user_model()
    for kind, code in (
        ("district", school.district.code),
        ("state", school.district.state.code),
        ("nation", "KPM"),
    ):
        officer = User.objects.filter(
            grants__role="officer", grants__unit_kind=kind, grants__unit_code=code
        ).first()
        if officer is not None:
            return officer
    return None


def _register_csv(rng, families=140):
    lines = ["ID_KELUARGA,NAMA_PENJAGA,NAMA_MURID,TAHUN,KELAS,SUKAN,ANUGERAH"]
    for n in range(1, families + 1):
        surname = rng.choice(FAMILY)
        guardian = f"{rng.choice(GIVEN)} {surname}"
        years = rng.sample(["PRA", "1", "2", "3", "4", "5", "6"], rng.choice([1, 1, 1, 2, 2, 3]))
        for year in years:
            sports = year not in ("PRA", "1", "2") and rng.random() < 0.35
            award = year != "PRA" and rng.random() < 0.12
            lines.append(
                f"K{n:04d},{guardian},{rng.choice(GIVEN)} {surname},{year},"
                f"{year} {rng.choice(['Bestari', 'Cemerlang', 'Dedikasi'])},"
                f"{'YA' if sports else 'TIDAK'},{'YA' if award else 'TIDAK'}"
            )
    return "\n".join(lines).encode()


def _counts(rng, school, lean, codes, year):
    size = max(60, (school.enrolment or 400) // 2)
    cleaned = {"families": size, "volunteers": int(size * min(0.9, rng.uniform(0.1, 0.35) * lean))}
    months = {"A": 1, "B": 2, "C": 4, "D": 6, "E": 8, "F": 10}
    for code in rules.CODES:
        if code not in codes:
            continue
        expected = size if code in ("C", "D") else max(5, int(size * rng.uniform(0.1, 0.3)))
        rate = min(1.0, max(0.05, ATTENDANCE[code] * lean * rng.uniform(0.8, 1.1)))
        cleaned |= {
            f"held_on_{code}": datetime.date(year, months[code], rng.randint(5, 25)),
            f"expected_{code}": expected,
            f"attended_{code}": int(expected * rate),
        }
    return cleaned


def seed(stdout):
    """Two verified past years for every demo school, and this year so far."""
    now = today()
    if SchoolYear.objects.filter(year=now.year, school__code=REGISTER_SCHOOL).exists():
        return []
    rng = random.Random(2016)
    schools = list(School.objects.select_related("district__state").order_by("code"))
    for year in (now.year - 2, now.year - 1):
        year_targets(year)
        for school in schools:
            lean = LEAN.get(school.code, 0.9) * (0.95 if year == now.year - 2 else 1.0)
            school_year = school_year_ensure(school=school, year=year)
            counts_save(
                school_year=school_year,
                cleaned=_counts(rng, school, lean, rules.CODES, year),
                on=datetime.date(year, 3, 1),
            )
            reviewer = _reviewer(school)
            for window in rules.WINDOWS:
                _verify(school_year, window, reviewer)
    year_targets(now.year)
    # This year: the windows whose deadline has passed are in; E and F are being collected.
    held = [c for c in rules.CODES if rules.deadline(now.year, rules.window_of(c)) < now]
    for school in schools:
        if school.code == REGISTER_SCHOOL:
            continue
        school_year = school_year_ensure(school=school, year=now.year)
        counts_save(
            school_year=school_year,
            cleaned=_counts(rng, school, LEAN.get(school.code, 0.9), held, now.year),
            on=datetime.date(now.year, 3, 1),
        )
        if school.district.state.code == "SGR":  # Selangor's districts are up to date
            for window in ("K1-MAR", "K1-JUL", "K2-MAY"):
                if rules.deadline(now.year, window) < now:
                    _verify(school_year, window, _reviewer(school))
    _register_school(rng, now)
    for year in (now.year - 2, now.year - 1, now.year):
        rollups_rebuild(year=year)
    return [
        (
            "PIBK (coordinator)",
            REGISTER_SCHOOL,
            "Demo-SSQS-2026",
            "family register, attendance lists A-F, volunteers; counts only at the others",
        )
    ]


def _verify(school_year, window, reviewer):
    """The district verifies a window as the demo has it (incomplete data confirmed)."""
    subject_verify(
        programme="pibk", year=school_year.year, school=school_year.school, window=window,
        by=reviewer, confirmed=True,
    )  # fmt: skip


def _register_school(rng, now):
    """BBA5008 keeps a family register: ticks for the activities held so far."""
    school = School.objects.select_related("district__state").get(code=REGISTER_SCHOOL)
    school_year = school_year_ensure(school=school, year=now.year)
    start = datetime.date(now.year, 1, 10)
    result = register_import(
        school_year=school_year, data=_register_csv(rng), filename="daftar.csv", on=start
    )
    assert result.ok, result.errors
    families = list(Family.objects.filter(school_year=school_year))
    days = {"A": (1, 12), "B": (2, 20), "C": (4, 18), "D": (6, 27), "E": (8, 16), "F": (10, 24)}
    ticks = []
    for activity in school_year.activities.all():
        day = datetime.date(now.year, *days[activity.code])
        if day >= now or activity.code == "F":
            continue  # F (awards day) is still to come in the demo
        activity.held_on = day
        activity.save(update_fields=["held_on"])
        ticks += [
            Attendance(activity=activity, family=f)
            for f in families
            if rng.random() < ATTENDANCE[activity.code]
        ]
    Attendance.objects.bulk_create(ticks)
    Volunteer.objects.bulk_create(
        [
            Volunteer(school_year=school_year, family=f, recorded_on=start)
            for f in families
            if rng.random() < 0.22
        ]
    )
    # Counted as the windows stood: every one open at the start of the year.
    register_counts_refresh(school_year=school_year, on=start)
    reviewer = _reviewer(school)
    for window in ("K1-MAR", "K1-JUL", "K2-MAY"):
        if rules.deadline(now.year, window) < now:
            _verify(school_year, window, reviewer)
    assert Activity.objects.filter(school_year=school_year).count() == 6
