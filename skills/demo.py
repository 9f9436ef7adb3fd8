"""The demo world's skills certification (seed_demo): a body, two centres, intakes at every stage.

The demo NOSS registry (``skills/data/noss-demo.csv``, marked DEMO) is loaded
through ``import_noss``'s service. The body (JPK) has a certification officer
and an external verifier (PPL). Centre PB-SGR01 (Selangor) holds two
accreditations in force and a third expiring on the last day of this quarter; centre
PB-PRK02 (Perak) held one that expired two months ago, so its page says why and since when
nothing new may start there (an intake it submitted before then was never verified: the
executive report's centre overdue for verification).
An assessor (PP) works for both. Every step goes through the services the
pages call (apply, approve, open, enrol, record, submit, assign, verify,
issue, revoke, re-issue); what happened on past days is dated on those days
(the services' ``today``, and the accreditation's history moved to the days
it was decided, since no page can decide on a past day).

Personnel (Modul Personel): the assessor is approved as PP and the verifier as PPL for
the three standards they serve (inducted on past days, so in force when they assess and
verify); the verifier's approval for the vehicle standard expires within 90 days (the
body's desk lists it), and the assessor's application to verify kitchen operation awaits
the body's decision.

Idempotent: a second run finds the centres' first intake and changes nothing.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.people.services import grant_role

from . import rules
from .models import AccreditationEvent, Centre, Certificate, Enrolment, Intake, Standard, Trainee
from .noss import parse_noss
from .services import accreditation as accreditation_services
from .services import certificates as certificate_services
from .services import intakes as intake_services
from .services import registry as registry_services
from .services import results as result_services
from .services import verification as verification_services
from .services.rating import rating_rebuild, scheme_default
from .services.statistics import statistics_rebuild

NOSS_FILE = Path(__file__).resolve().parent / "data" / "noss-demo.csv"
OFFICER = "pegawai.sijil"
VERIFIER = "ppl.kamala"
ASSESSOR = "pp.rahim"
ADMIN_1 = "pentadbir.pb01"
ADMIN_2 = "pentadbir.pb02"
TRAINEE = "pelatih.demo"
CENTRE_1 = ("PB-SGR01", "Pusat Latihan Teknologi Maju Shah Alam", "SGR")
CENTRE_2 = ("PB-PRK02", "Institut Kemahiran Bestari Ipoh", "PRK")
SOFTWARE, KITCHEN, VEHICLE = "J620-003-3:2021", "I561-001-1:2018", "MC-050-2:2015"
MAINTENANCE = "J951-001-2:2019"

# (username, role, unit, first name, last name, what the login shows)
PEOPLE = (
    (OFFICER, "certification_officer", "JPK", "Faridah", "binti Omar",
     "accreditations, assigning the PPL, issuing, revoking and re-issuing certificates"),
    (VERIFIER, "verifier", "JPK", "Kamala", "a/p Subramaniam",
     "verifies the intakes assigned to her"),
    (ADMIN_1, "centre_admin", CENTRE_1[0], "Rosli", "bin Hamid",
     f"{CENTRE_1[0]}: applies, opens intakes, enrols, submits"),
    (ADMIN_2, "centre_admin", CENTRE_2[0], "Chan", "Siew Lan",
     f"{CENTRE_2[0]}: its accreditation expired (the centre page says since when)"),
    (ASSESSOR, "assessor", CENTRE_1[0], "Abdul Rahim", "bin Yusof",
     f"records CU results at {CENTRE_1[0]} and {CENTRE_2[0]}"),
)  # fmt: skip

# Trainees: (name, identity number). The first holds the trainee login.
CERTIFIED = (
    ("Nur Aisyah Humaira binti Mohd Khairul Anuar Syafiq", "020202145678"),
    ("Tan Wei Ming", "010303106789"),  # revoked
    ("Muthu a/l Ramasamy", "000404087890"),  # re-issued with the corrected name
    ("Lim Jia Hui", "030515102468"),
    ("Kavitha a/p Subramaniam", "020811081357"),  # one CU not yet: a statement (SP)
    ("Muhammad Haziq bin Zulkifli", "011120149753"),
)
OPEN = (
    ("Siti Nurhaliza binti Ahmad", "040101106021"),
    ("Wong Kar Mun", "031212146032"),
    ("Arjun a/l Krishnan", "040505086043"),
    ("Ahmad Danial bin Ismail", "030909106054"),
)
RETURNED = (
    ("Chong Mei Ling", "020404106065"),
    ("Priya a/p Ravi", "010707146076"),
    ("Amirul Hakim bin Osman", "021010086087"),
)
SUBMITTED = (
    ("Hana binti Yusof", "030303106098"),
    ("Lee Chee Keong", "020606146109"),
    ("Deepa a/p Muniandy", "040808086110"),
)
VERIFIED = (
    ("Nurul Izzah binti Hassan", "031111106121"),
    ("Ong Boon Hock", "020202086132"),
)
# Submitted at the expired centre while its accreditation was in force, never verified: the
# executive report's centre overdue for verification.
OVERDUE = (
    ("Farah Nadia binti Kamal", "010202086176"),
    ("Goh Swee Lin", "000303146187"),
)
EXPIRED_CENTRE = (
    ("Ravi a/l Ganesan", "990909086143"),
    ("Mohd Faizal bin Rahman", "980808086154"),
    ("Teoh Kok Leong", "000101086165"),
)


def _days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def seed(stdout, password: str):
    """Build the skills world once; print the three certificate numbers; return the logins."""
    registry_services.noss_import(standards=parse_noss(NOSS_FILE.read_bytes()).standards,
                                  demo=True)  # fmt: skip
    logins = _people(password)
    _personnel(stdout)
    first = Centre.objects.filter(code=CENTRE_1[0]).first()
    first_run = first is None or not Intake.objects.filter(centre=first).exists()
    this = timezone.localdate().year
    if first_run:
        _world(password)
        # The statistics' figures now, not once seed_demo's transaction commits (the tasks
        # the services announced run then too, and find the same).
        for year in range(this - 4, this + 1):
            statistics_rebuild(year=year)
        # The published criteria: v1 for the demo years before 2026, v2 (complaints upheld,
        # facilities checked) from 2026.
        scheme_default(from_year=this - 4)
    _print_numbers(stdout)
    _complaints(stdout)
    _facilities(stdout)
    _print_ppt(stdout)
    if first_run:  # the centres' star ratings, once the complaints and facilities are in
        for year in range(this - 4, this + 1):
            rating_rebuild(year=year)
    return logins


def _print_ppt(stdout):
    from .models import PptApplication
    from .selectors.ppt import applications, page_rows

    if not PptApplication.objects.exists():
        return
    stdout.write(f"Demo PPT applications (log in as {ADMIN_1}, {ASSESSOR}, {VERIFIER} or "
                 f"{OFFICER}; /kemahiran/ppt/):")  # fmt: skip
    centre = Centre.objects.filter(code=CENTRE_1[0]).first()
    for application in page_rows(applications(centre=centre).values_list("pk", flat=True)):
        stdout.write(f"  {application.reference}  {application.stage.ljust(12)}  "
                     f"{application.trainee.name}")  # fmt: skip


def _people(password):
    User = get_user_model()
    logins = []
    for username, role, unit, _first, _last, note in PEOPLE:
        if unit != "JPK":
            _centre(unit)
        grant_role(username=username, role=role, unit_code=unit, password=password)
        logins.append((f"skills ({role})", username, password, note))
    grant_role(username=ASSESSOR, role="assessor", unit_code=CENTRE_2[0])
    for username, _role, _unit, first, last, _note in PEOPLE:
        User.objects.filter(username=username, first_name="").update(
            first_name=first, last_name=last, must_change_password=False
        )
    trainee, created = User.objects.get_or_create(username=TRAINEE, defaults={"role": "person"})
    if created:
        trainee.set_password(password)
        trainee.first_name, trainee.last_name = "Nur Aisyah Humaira", "binti Mohd Khairul"
        trainee.save()
    logins.append(("skills trainee", TRAINEE, password, "their results and certificate"))
    return logins


def _centre(code):
    from schools.models import State

    for centre_code, name, state in (CENTRE_1, CENTRE_2):
        if centre_code == code:
            centre, _c = Centre.objects.get_or_create(
                code=code, defaults={"name": name,
                                     "state": State.objects.filter(code=state).first()}
            )  # fmt: skip
            return centre
    raise LookupError(code)


def _user(username):
    return get_user_model().objects.get(username=username)


def _accredit(centre, code, *, applied, approved, expires, conditions=""):
    """Apply (the centre) and approve (the body), dated on the days it happened."""
    standard = Standard.objects.get(code=code)
    accreditation = accreditation_services.accreditation_apply(
        centre=centre, standard=standard, mode=rules.FULL, unit_ids=[],
        note="Bengkel dan peralatan lengkap; dua Pegawai Penilai bertauliah.",
        by=_user(ADMIN_1 if centre.code == CENTRE_1[0] else ADMIN_2),
    )  # fmt: skip
    accreditation_services.accreditation_act(
        accreditation_id=accreditation.pk, act="approve", by=_user(OFFICER),
        conditions=conditions, valid_from=approved, expires_on=expires, today=approved,
    )  # fmt: skip
    events = AccreditationEvent.objects.filter(accreditation=accreditation)
    events.filter(act="apply").update(at=_at(applied))
    events.filter(act="approve").update(at=_at(approved))
    type(accreditation).objects.filter(pk=accreditation.pk).update(
        applied_at=_at(applied), decided_at=_at(approved)
    )
    accreditation.refresh_from_db()
    return accreditation


def _intake(centre, accreditation, code, starts, people, *, admin):
    # Opened on its first day (the expired centre's, while its accreditation was in force).
    intake = intake_services.intake_open(
        centre=centre, accreditation=accreditation, code=code, starts_on=starts,
        ends_on=starts + datetime.timedelta(days=150), by=admin, today=starts,
    )  # fmt: skip
    for name, id_number in people:
        intake_services.trainee_enrol(intake=intake, id_number=id_number, name=name, by=admin)
    return intake


def _assess(intake, day, *, not_yet=(), skip=(), limit=None):
    """The assessor records every CU of every trainee (``not_yet``/``skip``: (row, CU) pairs)."""
    from .selectors.training import intake_grid

    units, rows = intake_grid(intake, full_ids=False)
    entries = []
    for r, row in enumerate(rows):
        for u, unit in enumerate(units[:limit]):
            if (r, u) in skip:
                continue
            outcome = rules.NOT_YET if (r, u) in not_yet else rules.COMPETENT
            entries.append(result_services.Entry(
                row.enrolment.pk, unit.pk, outcome, day,
                "Pemerhatian amali dan soal jawab lisan; senarai semak lengkap.",
            ))  # fmt: skip
    result_services.results_record(intake=intake, entries=entries, by=_user(ASSESSOR), today=day)


def _submit_and_assign(intake, admin):
    intake_services.intake_submit(intake=intake, by=admin, confirm=True)
    verification_services.verifier_assign(intake=intake, verifier_id=_user(VERIFIER).pk,
                                          by=_user(OFFICER))  # fmt: skip


def _verify(intake, decision, comments=""):
    verification_services.intake_verify(
        intake=intake, verifier=_user(VERIFIER), whole_intake=True, sample_ids=[],
        findings="Rekod penilaian, bukti amali dan tandatangan PP disemak bagi setiap pelatih.",
        decision=decision, comments=comments,
    )  # fmt: skip


def _issue(intake, day):
    ids = list(Enrolment.objects.filter(intake=intake).values_list("pk", flat=True))
    intake.refresh_from_db()
    return certificate_services.certificates_issue_for_enrolments(
        enrolment_ids=ids, intake=intake, by=_user(OFFICER), today=day
    )


def _world(password):
    centre_1, centre_2 = _centre(CENTRE_1[0]), _centre(CENTRE_2[0])
    admin_1, admin_2 = _user(ADMIN_1), _user(ADMIN_2)
    software = _accredit(centre_1, SOFTWARE, applied=_days(570), approved=_days(540),
                         expires=_days(-560),
                         conditions="Nisbah pelatih kepada PP tidak melebihi 10:1.")  # fmt: skip
    kitchen = _accredit(centre_1, KITCHEN, applied=_days(430), approved=_days(400),
                        expires=_days(-700))  # fmt: skip
    vehicle = _accredit(centre_2, VEHICLE, applied=_days(1230), approved=_days(1200),
                        expires=_days(60), conditions="Bengkel diaudit setiap tahun.")  # fmt: skip

    # Verified and certified: a valid, a revoked, a re-issued certificate and a statement (SP).
    certified = _intake(centre_1, software, f"J620/{_days(330).year}/1", _days(330), CERTIFIED,
                        admin=admin_1)  # fmt: skip
    _assess(certified, _days(160), not_yet={(_row(certified, "020811081357"), 4)})
    _submit_and_assign(certified, admin_1)
    _verify(certified, rules.APPROVED)
    issued = _issue(certified, _days(120))
    by_id = {e.trainee.id_number: e.pk for e in Enrolment.objects.filter(intake=certified)
             .select_related("trainee")}  # fmt: skip
    Trainee.objects.filter(id_number=CERTIFIED[0][1], user=None).update(user=_user(TRAINEE))
    certificate_services.certificate_revoke(
        certificate=issued[by_id["010303106789"]].certificate, by=_user(OFFICER),
        reason="Bukti penilaian CU C03 didapati disalin daripada pelatih lain.",
    )  # fmt: skip
    certificate_services.certificate_reissue(
        certificate=issued[by_id["000404087890"]].certificate, by=_user(OFFICER),
        holder_name="Muthu a/l Ramasamy Pillai",
        reason="Nama dibetulkan atas permintaan pemegang (salinan kad pengenalan dilampirkan).",
    )  # fmt: skip

    # Open, with some results: two CUs of four trainees assessed, one not yet competent.
    under_way = _intake(centre_1, software, f"J620/{_days(40).year}/2", _days(40), OPEN,
                        admin=admin_1)  # fmt: skip
    _assess(under_way, _days(5), not_yet={(2, 1)}, limit=2)

    # Returned by the PPL with comments; submitted and waiting; verified, not yet certified.
    returned = _intake(centre_1, kitchen, f"I561/{_days(200).year}/1", _days(200), RETURNED,
                       admin=admin_1)  # fmt: skip
    _assess(returned, _days(60))
    _submit_and_assign(returned, admin_1)
    _verify(returned, rules.INTAKE_RETURNED,
            "Bukti amali CU C03 (Masakan Asas Melayu) tiada gambar hasil masakan bagi dua "
            "pelatih. Lengkapkan bukti dan hantar semula.")  # fmt: skip
    waiting = _intake(centre_1, kitchen, f"I561/{_days(120).year}/2", _days(120), SUBMITTED,
                      admin=admin_1)  # fmt: skip
    _assess(waiting, _days(10))
    _submit_and_assign(waiting, admin_1)
    verified = _intake(centre_1, kitchen, f"I561/{_days(250).year}/3", _days(250), VERIFIED,
                       admin=admin_1)  # fmt: skip
    _assess(verified, _days(90))
    _submit_and_assign(verified, admin_1)
    _verify(verified, rules.APPROVED)

    # The centre whose accreditation expired: an intake certified while it was in force.
    old = _intake(centre_2, vehicle, f"MC050/{_days(400).year}/1", _days(400), EXPIRED_CENTRE,
                  admin=admin_2)  # fmt: skip
    _assess(old, _days(250))
    _submit_and_assign(old, admin_2)
    _verify(old, rules.APPROVED)
    _issue(old, _days(200))
    _ppt(centre_1, software, admin_1)
    _executive(centre_1, centre_2, vehicle, admin_2)


# PPT (recognition of prior achievement): experienced workers at PB-SGR01, one per stage.
# (name, identity number, years, experience, agency or "", how far it got)
PPT_PEOPLE = (
    (
        "Zainal Abidin bin Karim",
        "780412105511",
        14,
        "Juruteknik aplikasi di Syarikat Data Nusantara Sdn Bhd (2011-2025): membangun dan "
        "menyelenggara sistem inventori dalaman.",
        "",
        "certified",
    ),
    (
        "Goh Swee Lin",
        "820925146522",
        9,
        "Pembangun web bebas (2016-2025) untuk perniagaan kecil di Klang.",
        "",
        "verification",
    ),
    (
        "Mohd Syukri bin Daud",
        "850101086533",
        11,
        "Pembantu teknologi maklumat di Majlis Perbandaran (2014-2025).",
        "Agensi Pekerjaan JobsMalaysia Shah Alam",
        "assessment",
    ),
    (
        "Latifah binti Sulaiman",
        "900707106544",
        6,
        "Pengaturcara sambilan di syarikat logistik (2019-2025).",
        "",
        "draft",
    ),
)


def _pdf(lines) -> bytes:
    """A one-page PDF with ``lines`` of text (the demo's evidence: an employer's letter)."""
    text = (
        "BT /F1 11 Tf 56 780 Td 14 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("latin-1") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)


def _ppt(centre, accreditation, admin):
    """PPT applications at every stage, through the services the pages call."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .services import ppt as ppt_services

    today = timezone.localdate()
    units = list(accreditation.standard.units.order_by("order", "code"))
    for name, id_number, years, experience, agency, stage in PPT_PEOPLE:
        application = ppt_services.ppt_apply(
            centre=centre, accreditation=accreditation, id_number=id_number, name=name,
            mode=rules.FULL, unit_ids=(), channel="agency" if agency else "centre",
            agency=agency, experience=experience, years=years, by=admin, today=today,
        )  # fmt: skip
        for unit in units[: 2 if stage == "draft" else None]:
            letter = _pdf([
                "SURAT PENGESAHAN PENGALAMAN KERJA", "",
                f"Dengan ini disahkan bahawa {name} ({rules.mask_id(id_number)})",
                f"telah melaksanakan tugas bagi unit kompetensi {unit.code}",
                f"({unit.title_ms}) secara berterusan selama {years} tahun.", "",
                "Bukti: senarai tugas, contoh hasil kerja dan penilaian penyelia.", "",
                "Pengurus Sumber Manusia (contoh data demo)",
            ])  # fmt: skip
            ppt_services.evidence_add(
                application=application, unit_id=unit.pk,
                upload=SimpleUploadedFile(f"surat-majikan-{unit.code}.pdf", letter),
                description="Surat pengesahan majikan dan contoh hasil kerja", by=admin,
            )  # fmt: skip
        if stage == "draft":
            continue
        ppt_services.ppt_submit(application=application, by=admin, today=today)
        judged = units if stage != "assessment" else units[:2]
        ppt_services.ppt_judge(
            application=application,
            judgements=[ppt_services.Judgement(
                u.pk, rules.COMPETENT, "practical" if i % 2 else "interview",
                "Calon menerangkan dan menunjukkan cara kerja sebenar; selaras dengan bukti.",
                today) for i, u in enumerate(judged)],
            by=_user(ASSESSOR), today=today, send=stage != "assessment",
        )  # fmt: skip
        if stage == "assessment":
            continue
        application.refresh_from_db()
        verification_services.verifier_assign(intake=application.intake,
                                              verifier_id=_user(VERIFIER).pk,
                                              by=_user(OFFICER))  # fmt: skip
        if stage == "certified":
            _verify(application.intake, rules.APPROVED)
            enrolment = Enrolment.objects.get(intake=application.intake)
            certificate_services.certificates_issue_for_enrolment(
                enrolment=enrolment, by=_user(OFFICER), today=today
            )


def _executive(centre_1, centre_2, vehicle, admin_2):
    """What the executive report looks for: an accreditation expiring this quarter (computer
    maintenance at PB-SGR01, on the quarter's last day, not yet renewed) and an intake overdue
    for verification (PB-PRK02's second, submitted 180 days ago, before its accreditation
    expired; the PPL never came)."""
    from .executive_rules import quarter_bounds

    _accredit(centre_1, MAINTENANCE, applied=_days(1110), approved=_days(1080),
              expires=quarter_bounds(timezone.localdate())[1])  # fmt: skip
    overdue = _intake(centre_2, vehicle, f"MC050/{_days(320).year}/2", _days(320), OVERDUE,
                      admin=admin_2)  # fmt: skip
    _assess(overdue, _days(180))
    _submit_and_assign(overdue, admin_2)


def _row(intake, id_number) -> int:
    """The row of a trainee in the intake's grid (ordered by name)."""
    from .selectors.training import intake_grid

    _units, rows = intake_grid(intake, full_ids=False)
    return next(i for i, row in enumerate(rows) if row.trainee.id_number == id_number)


def _print_numbers(stdout):
    """interfaces.md: seed_demo prints one valid, one revoked and one superseded number."""
    certificates = Certificate.objects.filter(
        intake__centre__code=CENTRE_1[0], version=1, trainee__id_number__in=[
            CERTIFIED[0][1], CERTIFIED[1][1], CERTIFIED[2][1]]
    )  # fmt: skip
    by_status = {c.status: c.reference for c in certificates}
    stdout.write("Demo skills certificates (check them at /sijil/semak/?no=...):")
    for status in (rules.VALID, rules.REVOKED_CERT, rules.SUPERSEDED):
        stdout.write(f"  {status.ljust(10)}  {by_status.get(status, '-')}")


# --- complaints (Modul Aduan): four at different stages, one overdue ---
DEMO_COMPLAINTS = [
    # (days ago, category, centre?, subject, description, name, email, phone, steps)
    (20, "centre", True, "Bengkel ditutup semasa latihan",
     "Bengkel komputer pusat ini ditutup dua minggu semasa waktu latihan tanpa notis kepada "
     "pelatih.", "Rahimah binti Osman", "rahimah@example.my", "", ["assign"]),
    (6, "assessment", True, "Penilaian CU C02 tidak mengikut jadual",
     "Penilaian amali CU C02 dijalankan tanpa PP hadir; pelatih diminta menunggu sehari.",
     "Lim Wei Jie", "", "012-777 1234", ["assign", "answer"]),
    (45, "certificate", False, "Sijil belum diterima",
     "Sijil SKM tahap 3 belum diterima lapan bulan selepas penilaian selesai.",
     "Muthu a/l Ramasamy", "muthu@example.my", "", ["assign", "answer", "escalate", "close"]),
    (0, "system", False, "Semakan sijil lambat pada waktu puncak",
     "Halaman semakan sijil mengambil masa lama pada waktu tengah hari.", "Aiman bin Yusof",
     "aiman@example.my", "", []),
    # Upheld: it counts in the centre's star rating ("complaints upheld").
    (30, "centre", True, "Komputer bengkel rosak tidak dibaiki",
     "Lima daripada lima belas komputer di bengkel J620 rosak sejak sebulan; pelatih "
     "berkongsi komputer semasa penilaian amali.", "Tan Mei Ling", "meiling@example.my", "",
     ["assign", "answer", "close"]),
]  # fmt: skip
STEP_NOTES = {
    "answer": "Aduan anda sedang disiasat bersama pusat bertauliah. Kami akan memaklumkan "
    "keputusan dalam masa terdekat.",
    "escalate": "Melibatkan kelewatan pencetakan: dirujuk kepada ketua unit persijilan.",
    "close": "Sijil telah dicetak semula dan dihantar melalui pos berdaftar.",
}
# The closing note of a complaint about a centre (the demo's upheld one).
CENTRE_CLOSE_NOTE = ("Aduan berasas: pusat telah membaiki komputer dan diarah menambah "
                     "set peralatan; disemak semula pada lawatan kemudahan.")  # fmt: skip


def _complaints(stdout):
    """File the demo complaints once (through the services), dated on their days."""
    from .models import Complaint, ComplaintEvent
    from .services import complaints as complaint_services

    if not Complaint.objects.filter(name=DEMO_COMPLAINTS[0][5]).exists():
        officer, centre = _user(OFFICER), Centre.objects.get(code=CENTRE_1[0])
        certificate = Certificate.objects.filter(intake__centre=centre).first()
        for ago, category, at_centre, subject, text, name, email, phone, steps in DEMO_COMPLAINTS:
            filed = complaint_services.complaint_file(
                category=category, centre=centre if at_centre else None,
                certificate=certificate, subject=subject, description=text, name=name,
                email=email, phone=phone,
            )  # fmt: skip
            for step in steps:
                note = STEP_NOTES.get(step, "")
                if step == "close" and at_centre:
                    note = CENTRE_CLOSE_NOTE
                complaint_services.complaint_act(
                    complaint=filed, act=step, by=officer, assignee=officer, note=note,
                    upheld=True,
                )  # fmt: skip
            # Move the complaint and its steps to the days they happened (a day apart).
            start = timezone.now() - datetime.timedelta(days=ago)
            Complaint.objects.filter(pk=filed.pk).update(
                filed_at=start, due_on=rules_due(start.date())
            )
            for i, event in enumerate(filed.events.order_by("pk")):
                at = start + datetime.timedelta(days=min(i, ago), minutes=i)
                ComplaintEvent.objects.filter(pk=event.pk).update(at=at)
                if event.act == "answer":
                    Complaint.objects.filter(pk=filed.pk, first_answered_at__isnull=False).update(
                        first_answered_at=at
                    )
                if event.act == "close":
                    Complaint.objects.filter(pk=filed.pk).update(closed_at=at)
    stdout.write("Demo complaints (follow them at /kemahiran/aduan/semak/?no=...):")
    for c in Complaint.objects.filter(name__in=[d[5] for d in DEMO_COMPLAINTS]).order_by("pk"):
        stdout.write(f"  {c.status.ljust(10)}  {c.reference}  {c.subject}")


def rules_due(day):
    from .complaint_rules import due_on

    return due_on(day)


# --- personnel (Modul Personel): who serves as PP and PPL, one expiring, one pending ---
# (username, role, standard, sector field level, industry years, years as PP, inducted days
#  ago or None: pending, the qualification as the person wrote it)
DEMO_PERSONNEL = [
    (ASSESSOR, "pp", SOFTWARE, 4, 9, 5, 700,
     "Diploma Kemahiran Malaysia (DKM) Pembangunan Perisian, 2014; pembangun perisian di "
     "syarikat teknologi 9 tahun."),
    (ASSESSOR, "pp", KITCHEN, 2, 6, 5, 600,
     "SKM Tahap 2 Operasi Dapur, 2016; tukang masak hotel 6 tahun."),
    (ASSESSOR, "pp", VEHICLE, 3, 7, 5, 800,
     "SKM Tahap 3 Servis Kenderaan Ringan, 2013; mekanik bengkel 7 tahun."),
    (VERIFIER, "ppl", SOFTWARE, 5, 15, 8, 500,
     "DLKM Kejuruteraan Perisian, 2010; PP Pembangunan Perisian sejak 2016."),
    (VERIFIER, "ppl", KITCHEN, 3, 10, 6, 400,
     "SKM Tahap 3 Penyeliaan Dapur, 2012; PP Operasi Dapur sejak 2018."),
    # Inducted three years less 40 days ago: expires within 90 days (the desk lists it).
    (VERIFIER, "ppl", VEHICLE, 4, 12, 6, 3 * 365 - 40,
     "DKM Teknologi Automotif, 2011; PP Servis Kenderaan sejak 2015."),
    # Waiting for the body's decision.
    (ASSESSOR, "ppl", KITCHEN, 2, 6, 5, None,
     "SKM Tahap 2 Operasi Dapur, 2016; PP Operasi Dapur lima tahun (empat pusat)."),
]  # fmt: skip


def _personnel(stdout):
    """Apply, approve and induct through the services, dated on the days it happened."""
    from .models import PersonnelApplication, PersonnelApproval, PersonnelEvent
    from .services import personnel as personnel_services

    if not PersonnelApplication.objects.filter(applicant__username=ASSESSOR).exists():
        officer = _user(OFFICER)
        for username, role, code, level, industry, pp, inducted, text in DEMO_PERSONNEL:
            standard = Standard.objects.get(code=code)
            applied = _days(inducted + 45) if inducted else _days(6)
            application = personnel_services.personnel_apply(
                applicant=_user(username), role=role, standard_codes=[code],
                sector=standard.sector, held_level=level, industry_years=industry, pp_years=pp,
                qualifications=text, today=applied,
            )  # fmt: skip
            PersonnelApplication.objects.filter(pk=application.pk).update(submitted_at=_at(applied))
            PersonnelEvent.objects.filter(application=application).update(at=_at(applied))
            if inducted is None:
                continue
            line = application.approvals.get()
            approved = _days(inducted + 20)
            personnel_services.personnel_act(approval_id=line.pk, act="approve", by=officer,
                                             today=approved)  # fmt: skip
            PersonnelApproval.objects.filter(pk=line.pk).update(decided_at=_at(approved))
            PersonnelEvent.objects.filter(approval=line, act="approve").update(at=_at(approved))
            personnel_services.personnel_act(
                approval_id=line.pk, act="induct", by=officer, today=_days(inducted),
                course="Kursus Induksi Pegawai Penilai dan Pengesah JPK",
                induction_on=_days(inducted),
            )  # fmt: skip
            PersonnelEvent.objects.filter(approval=line, act="induct").update(
                at=_at(_days(inducted))
            )
    stdout.write(
        "Demo personnel: the body's desk at /kemahiran/personel/meja/ (pegawai.sijil); "
        "a PP's or PPL's own page at /kemahiran/personel/ (pp.rahim, ppl.kamala)."
    )


# --- facilities self-declared and checked (Kemudahan): one checked, one awaiting ---
FACILITIES_1 = {  # PB-SGR01: (in place, what is in place, the body's finding, its note)
    "RUANG": (True, "Bengkel J620 90 m² bagi 15 pelatih; dapur latihan 70 m² bagi 12.",
              "confirmed", ""),
    "KULIAH": (True, "Dua bilik kuliah, 30 kerusi, papan putih dan projektor setiap satu.",
               "confirmed", ""),
    "PERALATAN": (True, "Inventori J620 dan I561 lengkap mengikut senarai NOSS (Jan 2026).",
                  "confirmed", ""),
    "NISBAH": (True, "15 set komputer bagi 15 pelatih.", "rejected",
               "Hanya 10 set berfungsi semasa lawatan: 5 rosak (lihat aduan berasas)."),
    "SELENGGARA": (True, "Log penyelenggaraan dikemas kini Mac 2026.", "confirmed", ""),
    "BOMBA": (True, "Perakuan Bomba sah hingga Jun 2027; 8 alat pemadam api diservis Feb 2026.",
              "confirmed", ""),
    "PPE": (True, "Apron, kasut keselamatan dan sarung tangan bagi setiap pelatih dapur.",
            "confirmed", ""),
    "PERTOLONGAN": (True, "Dua peti lengkap; En. Rosli terlatih (sijil sah hingga 2027).",
                    "confirmed", ""),
    "KECEMASAN": (True, "Pelan di setiap aras; latihan kebakaran 14 Mei 2026.", "confirmed", ""),
    "OKU": (False, "", "", ""),
    "REKOD": (True, "Kabinet berkunci di bilik pentadbir; dua pemegang kunci.", "confirmed", ""),
}  # fmt: skip

FACILITIES_2 = {  # PB-PRK02, awaiting the body's check: (in place, what is in place)
    "RUANG": (True, "Bengkel automotif 120 m² bagi 20 pelatih (6 m² setiap pelatih)."),
    "KULIAH": (True, "Satu bilik kuliah, 24 kerusi, papan putih dan projektor."),
    "PERALATAN": (True, "Senarai peralatan MC-050 lengkap kecuali penganalisis enjin kedua "
                        "(dipesan Sept 2026)."),
    "NISBAH": (True, "10 set alatan tangan dan 2 lif kenderaan bagi 20 pelatih."),
    "SELENGGARA": (True, "Log kalibrasi tork dan lif dikemas kini Ogos 2026."),
    "BOMBA": (True, "Perakuan Bomba sah hingga Mac 2027; 6 alat pemadam api diservis Jan 2026."),
    "PPE": (True, "Kasut keselamatan, cermin mata dan sarung tangan bagi 20 pelatih."),
    "PERTOLONGAN": (True, "Peti pertolongan cemas di bengkel; Pn. Chan terlatih (2025)."),
    "KECEMASAN": (True, "Pelan laluan di pintu bengkel; latihan kebakaran 3 Mac 2026."),
    "OKU": (False, ""),
    "REKOD": (True, "Kabinet berkunci di pejabat pusat."),
}  # fmt: skip


def _facilities(stdout):
    """Declare both centres' facilities of this year (through the services, dated on their
    days); the body checks PB-SGR01's on a visit, PB-PRK02's awaits its check."""
    from .models import FacilityDeclaration
    from .services import facilities as facility_services

    this = timezone.localdate().year
    if not FacilityDeclaration.objects.filter(centre__code=CENTRE_1[0], year=this).exists():
        centre_1, centre_2 = _centre(CENTRE_1[0]), _centre(CENTRE_2[0])
        answers = {code: (v[0], v[1]) for code, v in FACILITIES_1.items()}
        first = facility_services.facilities_declare(centre=centre_1, year=this, answers=answers,
                                                     by=_user(ADMIN_1))  # fmt: skip
        facility_services.facilities_check(
            declaration=first, visited_on=timezone.localdate(), by=_user(OFFICER),
            findings={code: (v[2], v[3]) for code, v in FACILITIES_1.items() if v[0]},
            note="Lawatan pemantauan tahunan bersama pengurus pusat.",
        )  # fmt: skip
        now = timezone.now()
        FacilityDeclaration.objects.filter(pk=first.pk).update(
            declared_at=now - datetime.timedelta(days=40), visited_on=_days(12),
            checked_at=now - datetime.timedelta(days=11),
        )  # fmt: skip
        second = FACILITIES_2
        waiting = facility_services.facilities_declare(
            centre=centre_2, year=this, answers=second, by=_user(ADMIN_2)
        )
        FacilityDeclaration.objects.filter(pk=waiting.pk).update(
            declared_at=now - datetime.timedelta(days=5)
        )
    stdout.write("Demo facilities declarations (the body's queue at /kemahiran/kemudahan/):")
    for d in (
        FacilityDeclaration.objects.filter(year=this)
        .select_related("centre")
        .order_by("centre__code")
    ):
        stdout.write(f"  {d.centre.code}  {d.state}")
