"""The demo world's PASR: two PPKI schools with candidates at every stage, and the logins.

BBA5008 (Selangor) and ABA0901 (Perak) have a PPKI programme (the ministry
list's INTEGRASI). The year is this year; the instrument windows are the
board's usual April-May and July, with results due in mid-December. What
happened on past days is recorded with those days (the services' ``on``).
Registration is reopened for the whole year, recorded with its reason, so the
form can be tried on any day.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.people.services import grant_role
from schools.demo import DEMO_PASSWORD
from schools.models import School

from . import rules
from .instrument import instrument
from .models import Candidate, OverrideRequest, QaVisit
from .registration_forms import RegistrationForm
from .services import calendar as calendar_services
from .services import registration, results

SCHOOLS = ("BBA5008", "ABA0901")
# (username, role, school or None for the nation, what the login shows)
PEOPLE = (
    ("kp.bba5008", "subject_head", "BBA5008", "PASR subject head (Ketua Panitia) of BBA5008"),
    ("guru.pk.bba5008", "teacher", "BBA5008", "PASR teacher of BBA5008: rates constructs"),
    ("gb.aba0901", "head", "ABA0901", "head of ABA0901: verifies PASR results"),
    ("sup.aba0901", "exam_secretary", "ABA0901", "exam secretary of ABA0901"),
    ("kp.aba0901", "subject_head", "ABA0901", "PASR subject head of ABA0901"),
    ("guru.pk.aba0901", "teacher", "ABA0901", "PASR teacher of ABA0901"),
    ("lp.pasr", "lp_officer", None, "examinations board (LP): windows, documents, overrides"),
)
GIVEN = ["Aisyah", "Irfan", "Mei Ling", "Kavitha", "Hakim", "Nurul", "Wei Jie", "Arjun",
         "Sofia", "Danish", "Siti", "Jia Hui", "Priya", "Amir", "Balqis", "Ravi", "Hana",
         "Zulkifli", "Nur Aisyah Humaira", "Muhammad Adam Haziq"]  # fmt: skip
FAMILY = ["bin Ahmad", "Tan", "Lim", "binti Abdullah", "a/l Raj", "bin Ismail", "Wong",
          "a/p Muthu", "binti Hassan", "Lee", "bin Osman", "Chong"]  # fmt: skip
# A level drawn with these chances (Kompeten Terpuji, Kompeten, Belum Kompeten).
CHANCES = (0.25, 0.55, 0.2)


def _user(username):
    return get_user_model().objects.get(username=username)


def _pdf(title: str) -> bytes:
    from weasyprint import HTML

    page = f"<h1>{title}</h1><p>Demo document of the examinations board.</p>"
    return HTML(string=page).write_pdf()


def _level(rng) -> str:
    return rng.choices(rules.LEVELS, weights=CHANCES)[0]


def _register(school, year, by, rng, n, class_name, **overrides):
    """Register a demo candidate through the form and the service, as the exam secretary does."""
    born = datetime.date(year - 12, rng.randint(1, 12), rng.randint(1, 28))
    data = {
        "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        "id_number": f"{born:%y%m%d}{rng.choice(['10', '14', '08'])}{n:04d}",
        "date_of_birth": born.isoformat(),
        "class_name": class_name,
        "programme": "ppki",
        "curriculum": "kssr_pk_mp",
        "tahap": "2",
        "final_year": "yes",
        "medical": rng.choice(["gov_hospital", "private_hospital", "oku_card"]),
        "mainstream_exam": "no",
        "kh_component": rng.choice(rules.KH_COMPONENTS),
        "private_candidate": "no",
        **overrides,
    }
    form = RegistrationForm(data)
    assert form.is_valid(), form.errors
    outcome = registration.candidate_register(
        school=school, year=year, fields=form.candidate_fields(), applicant=form.applicant(), by=by
    )
    return outcome, form


def _rate(school, year, code, candidates, by, on, rng):
    levels = {
        (c.pk, construct.code): _level(rng)
        for c in candidates
        for construct in instrument().get(code).constructs
    }
    results.ratings_record(school=school, year=year, instrument_code=code, levels=levels, by=by,
                           on=on)  # fmt: skip


def seed(stdout):
    rng = random.Random(15)
    year = timezone.localdate().year
    logins = []
    for username, role, code, note in PEOPLE:
        grant_role(username=username, role=role, unit_code=code or "KPM", password=DEMO_PASSWORD)
        logins.append((f"PASR ({role})", username, DEMO_PASSWORD, note))
    get_user_model().objects.filter(username__in=[p[0] for p in PEOPLE]).update(
        must_change_password=False
    )
    board = _user("lp.pasr")
    if Candidate.objects.filter(year=year).exists():  # a second run leaves the year as it is
        return logins

    # The board's calendar: registration in March (seed 3.4), then reopened for the demo.
    calendar_services.window_set(
        year=year, window=rules.REGISTRATION, opens=datetime.date(year, 3, 1),
        closes=datetime.date(year, 3, 31), by=board, source="seed_demo",
        reason="Seed 3.4: 1-31 March of the assessment year.",
    )  # fmt: skip
    p1 = (datetime.date(year, 4, 6), datetime.date(year, 5, 31))  # 8 weeks
    p2 = (datetime.date(year, 7, 6), datetime.date(year, 8, 2))  # 4 weeks
    for code, (opens, closes) in ((rules.PROKHAS1, p1), (rules.PROKHAS2, p2)):
        calendar_services.window_set(year=year, window=code, opens=opens, closes=closes,
                                     by=board, source="seed_demo",
                                     reason="The board's schedule (seed 4.2).")  # fmt: skip
    calendar_services.results_due_set(year=year, due=datetime.date(year, 12, 15), by=board,
                                      reason="Results of both instruments.")  # fmt: skip
    calendar_services.window_set(
        year=year, window=rules.REGISTRATION, opens=datetime.date(year, 1, 1),
        closes=datetime.date(year, 12, 31), by=board, source="seed_demo",
        reason="Demo: registration reopened for the whole year so the form can be tried.",
    )  # fmt: skip
    for code in rules.INSTRUMENTS:
        name = str(rules.INSTRUMENT_NAMES[code])
        upload = SimpleUploadedFile(f"{code}.pdf", _pdf(f"{name} {year}"), "application/pdf")
        release = registration.instrument_publish(
            year=year, instrument=code, title=f"Instrumen {name} {year}", upload=upload, by=board
        )
        for school_code in SCHOOLS:
            school = School.objects.get(code=school_code)
            head = _user("gb.bba5008" if school_code == "BBA5008" else "gb.aba0901")
            registration.instrument_download(school=school, release=release, by=head)
            if code == rules.PROKHAS1 or school_code == "BBA5008":
                registration.instrument_verify(school=school, release=release, by=head,
                                               note="Lengkap dan boleh dibaca.")  # fmt: skip

    # BBA5008: 12 candidates in two classes. ProKhas 1 verified; ProKhas 2 being moderated.
    a = School.objects.get(code="BBA5008")
    secretary, teacher = _user("sup.bba5008"), _user("guru.pk.bba5008")
    subject_head, head = _user("kp.bba5008"), _user("gb.bba5008")
    at_a = []
    for n in range(1, 13):
        outcome, _form = _register(a, year, secretary, rng, n, "6 Cekal" if n <= 6 else "6 Gigih")
        at_a.append(outcome.candidate)
    # One refused registration (born too early) the school asked the board to override,
    # approved with a written reason; one refused for both examinations (not overridable).
    late_born = datetime.date(year - 15, 1, 1).isoformat()
    outcome, form = _register(a, year, secretary, rng, 90, "6 Gigih", date_of_birth=late_born)
    request = registration.override_ask(
        school=a, year=year, data=form.stored(), applicant=form.applicant(), by=secretary,
        note="Murid lewat mendaftar sekolah kerana rawatan hospital; disokong laporan doktor.",
    )  # fmt: skip
    registration.override_decide(
        override=request, approve=True, by=board,
        reason="Kelewatan persekolahan disahkan oleh laporan perubatan; umur dikecualikan.",
    )  # fmt: skip
    _register(a, year, secretary, rng, 91, "6 Gigih", mainstream_exam="yes")
    at_a = list(Candidate.objects.filter(school=a, year=year).order_by("pk"))
    _rate(a, year, rules.PROKHAS1, at_a, teacher, p1[1], rng)
    first = at_a[0]
    results.moderations_record(
        school=a, year=year, instrument_code=rules.PROKHAS1, by=subject_head, on=p1[1],
        changes={(first.pk, "P1-BM-2"): (rules.KOMPETEN, "Sampel penulisan menunjukkan kriteria "
                                         "minimum dicapai.")},
    )  # fmt: skip
    results.moderations_confirm_all(school=a, year=year, instrument_code=rules.PROKHAS1,
                                    by=subject_head, on=p1[1])  # fmt: skip
    results.results_act(year=year, school=a, act="submitted", by=subject_head,
                        window=rules.PROKHAS1, on=p1[1])  # fmt: skip
    results.results_act(year=year, school=a, act="verified", by=head, window=rules.PROKHAS1,
                        comment="Disahkan oleh Jawatankuasa Verifikasi Skor.",
                        on=p1[1])  # fmt: skip
    # ProKhas 2: one candidate absent for the whole window; the rest rated, half moderated.
    absent, rest = at_a[-1], at_a[:-1]
    results.absence_record(candidate=absent, school=a, instrument_code=rules.PROKHAS2,
                           by=secretary, note="Sakit berpanjangan (seed 4.6).",
                           on=p2[1] + datetime.timedelta(days=1))  # fmt: skip
    _rate(a, year, rules.PROKHAS2, rest, teacher, p2[1], rng)
    results.moderations_confirm_all(school=a, year=year, instrument_code=rules.PROKHAS2,
                                    by=subject_head, class_name="6 Cekal",
                                    on=p2[1])  # fmt: skip

    # ABA0901: 8 candidates, ProKhas 1 rated by the teacher, not moderated yet; one moved
    # to BBA5008 after ProKhas 1 and continues there.
    c = School.objects.get(code="ABA0901")
    secretary_c, teacher_c = _user("sup.aba0901"), _user("guru.pk.aba0901")
    at_c = []
    for n in range(21, 29):
        outcome, _form = _register(c, year, secretary_c, rng, n, "6 Bestari")
        at_c.append(outcome.candidate)
    _rate(c, year, rules.PROKHAS1, at_c, teacher_c, p1[1], rng)
    # A pupil still at Tahap 1: refused, and the school asks the board (waiting).
    outcome, form = _register(c, year, secretary_c, rng, 92, "6 Bestari", tahap="1")
    registration.override_ask(
        school=c, year=year, data=form.stored(), applicant=form.applicant(), by=secretary_c,
        note="Murid hampir melengkapkan Tahap 2; guru kelas menyokong pendaftaran.",
    )  # fmt: skip
    moved = at_c[-1]
    results.candidate_transfer(id_number=moved.id_number, year=year, to_school=a, by=secretary)

    # Quality assurance visits (seed 6.2-6.7), recorded against the schools.
    ppd = _user("ppd.petaling")
    QaVisit.objects.bulk_create([
        QaVisit(school=a, year=year, kind="monitoring", level="district",
                visited_on=datetime.date(year, 5, 12), visitor="Pn. Rohani Idris",
                visitor_role="pegawai_ppd", recorded_by=ppd,
                findings="ProKhas 1 ditadbir mengikut jadual; rekod pentaksiran lengkap.",
                follow_up="Pastikan moderasi selesai sebelum verifikasi."),
        QaVisit(school=a, year=year, kind="coordination", level="board",
                visited_on=datetime.date(year, 7, 20), visitor="En. Kamal Hassan",
                visitor_role="kpk", recorded_by=board,
                findings="Penskoran konstruk Bahasa Inggeris diselaraskan dengan sekolah lain."),
    ])  # fmt: skip
    # Every school's summary (the visits were written directly) and the officers' roll-ups.
    from .rollups import rebuild_all

    rebuild_all(year=year)
    pending = OverrideRequest.objects.filter(state="pending").count()
    stdout.write(f"PASR {year}: {Candidate.objects.filter(year=year).count()} candidates at "
                 f"{', '.join(SCHOOLS)}; {pending} override request waiting.")  # fmt: skip
    return logins
