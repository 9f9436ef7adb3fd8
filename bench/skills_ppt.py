"""PPT (recognition of prior achievement, issue 17): its pages at scale.

Run with the project's Python on a machine with PostgreSQL:

    BENCH_PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/skills_ppt.py \\
        [--centres 1500] [--per-centre 40]

It recreates the database ``ssqs_bench_ppt`` and loads, with the audit triggers off
during the load (``session_replication_role = replica``), 1,500 accredited centres
and 40 PPT applications each (60,000), for a standard of six CUs, each CU with an
evidence file (360,000 files' rows); four in five submitted (their one-person
intakes and enrolments), most judged (results and judgements), a quarter
verified and one in five certified. Then, in process through Django's test client
(the full middleware stack), it measures p50/p95 of the body's desk (every stage;
one stage; a name searched; a far page), a centre's list, an application's page
(the body; the centre), the assessor's judging page, an evidence file handed out
and the new-application form, with each page's query count. Target: 300 ms.
"""

import argparse
import datetime
import os
import random
import time

from common import machine, measure, setup_django

UNITS = 6


def load(centres_n, per_centre, seed):
    from django.db import connection, transaction
    from django.utils import timezone

    from skills import ppt_rules, rules
    from skills.models import (
        Accreditation,
        Centre,
        Certificate,
        CompetencyUnit,
        Enrolment,
        Intake,
        PptApplication,
        PptEvidence,
        PptJudgement,
        Result,
        Sector,
        Standard,
        Trainee,
    )  # fmt: skip
    from tests.factories import person

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        sector = Sector.objects.create(code="IT", name_ms="Teknologi Maklumat",
                                       name_en="Information technology")  # fmt: skip
        standard = Standard.objects.create(code="IT-010-3:2016", title_ms="Pembangunan Perisian",
                                           title_en="Software development", sector=sector,
                                           level=3)  # fmt: skip
        units = CompetencyUnit.objects.bulk_create(
            CompetencyUnit(standard=standard, code=f"IT-010-3:2016-C0{i}", title_ms=f"Unit {i}",
                           title_en=f"Unit {i}", hours=40, order=i)
            for i in range(1, UNITS + 1)
        )  # fmt: skip
        centres = Centre.objects.bulk_create(
            Centre(code=f"PB-{i:05d}", name=f"Pusat Bertauliah {i}") for i in range(centres_n)
        )
        accreditations = Accreditation.objects.bulk_create(
            Accreditation(centre=c, standard=standard, state="approved",
                          valid_from=today - datetime.timedelta(days=900),
                          expires_on=today + datetime.timedelta(days=900))
            for c in centres
        )  # fmt: skip
        admin = person("bench.pb.admin")
        assessor = person("bench.pp")
        officer = person("bench.pegawai")
        n = 0
        for centre, accreditation in zip(centres, accreditations, strict=True):
            trainees = Trainee.objects.bulk_create(
                Trainee(id_number=f"{700101000000 + n + k:012d}", name=f"Pemohon {n + k}")
                for k in range(per_centre)
            )  # fmt: skip
            apps = []
            for k, trainee in enumerate(trainees):
                made = now - datetime.timedelta(days=rng.randrange(700))
                apps.append(PptApplication(
                    reference=ppt_rules.reference(made.year, n + k + 1), centre=centre,
                    accreditation=accreditation, trainee=trainee, mode="full",
                    channel=rng.choice(["centre", "agency"]), agency="Agensi" if k % 2 else "",
                    experience="Pengalaman kerja yang panjang dalam bidang ini. " * 3,
                    years=rng.randrange(3, 25), state="draft", created_by=admin,
                    created_at=made,
                ))  # fmt: skip
            apps = PptApplication.objects.bulk_create(apps)
            Through = PptApplication.units.through
            Through.objects.bulk_create(
                Through(pptapplication_id=a.pk, competencyunit_id=u.pk) for a in apps for u in units
            )  # fmt: skip
            PptEvidence.objects.bulk_create(
                PptEvidence(application=a, unit=u, file=f"ppt/bench-{a.pk}-{u.pk}.pdf",
                            name=f"surat-{u.code}.pdf", size=120_000, sha256="0" * 64,
                            description="Surat majikan", uploaded_by=admin)
                for a in apps for u in units
            )  # fmt: skip
            submitted = [a for a in apps if rng.random() < 0.8]
            intakes = Intake.objects.bulk_create(
                Intake(centre=centre, accreditation=accreditation, code=a.reference,
                       starts_on=a.created_at.date(), ends_on=a.created_at.date()
                       + datetime.timedelta(days=180),
                       state=rng.choice([rules.INTAKE_OPEN, rules.INTAKE_SUBMITTED,
                                         rules.INTAKE_VERIFIED, rules.INTAKE_VERIFIED]),
                       created_by=admin)
                for a in submitted
            )  # fmt: skip
            enrolments = Enrolment.objects.bulk_create(
                Enrolment(intake=i, trainee_id=a.trainee_id)
                for a, i in zip(submitted, intakes, strict=True)
            )  # fmt: skip
            for a, i in zip(submitted, intakes, strict=True):
                a.state, a.intake, a.submitted_at = "submitted", i, a.created_at
            PptApplication.objects.bulk_update(submitted, ["state", "intake", "submitted_at"])
            judged = [(a, i, e) for a, i, e in zip(submitted, intakes, enrolments, strict=True)
                      if i.state != rules.INTAKE_OPEN]  # fmt: skip
            Result.objects.bulk_create(
                Result(enrolment=e, unit=u, outcome=rules.COMPETENT, assessed_on=i.starts_on,
                       evidence="Amali", assessor=assessor,
                       verified_at=now if i.state == rules.INTAKE_VERIFIED else None)
                for a, i, e in judged for u in units
            )  # fmt: skip
            PptJudgement.objects.bulk_create(
                PptJudgement(application=a, unit=u, method="practical", record="Amali", by=assessor)
                for a, i, e in judged for u in units
            )  # fmt: skip
            Certificate.objects.bulk_create(
                Certificate(number=f"JPK-B{a.pk:09d}", reference=f"JPK-B{a.pk:09d}", kind="SKM3",
                            trainee_id=a.trainee_id, holder_name="x", standard=standard, level=3,
                            centre=centre, intake=i, assessed_on=i.starts_on, issued_on=today,
                            issued_by=officer)
                for a, i, e in judged if i.state == rules.INTAKE_VERIFIED and a.pk % 5 == 0
            )  # fmt: skip
            n += per_centre
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return centres[0], standard


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_ppt")
    parser.add_argument("--centres", type=int, default=1500)
    parser.add_argument("--per-centre", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="measure the database loaded before")
    args = parser.parse_args()
    setup_django(args.db, fresh=not args.reuse)

    from django.core.files.base import ContentFile
    from django.test import Client

    from skills import files
    from skills.models import PptApplication, PptEvidence
    from tests.factories import person

    print("machine:", machine())
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    start = time.perf_counter()
    if args.reuse:
        from django.contrib.auth import get_user_model

        from skills.models import Centre

        centre = Centre.objects.order_by("code").first()
        get_user_model().objects.filter(username__in=["bench.jpk", "bench.admin",
                                                      "bench.assessor"]).delete()  # fmt: skip
    else:
        centre, _standard = load(args.centres, args.per_centre, args.seed)
    print(f"{PptApplication.objects.count():,} applications, "
          f"{PptEvidence.objects.count():,} evidence files, loaded in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    officer = person("bench.jpk", roles=[("certification_officer", "JPK")])
    admin = person("bench.admin", roles=[("centre_admin", centre)])
    assessor = person("bench.assessor", roles=[("assessor", centre)])
    _approve(assessor, centre)
    body, staff, pp = Client(), Client(), Client()
    body.force_login(officer)
    staff.force_login(admin)
    pp.force_login(assessor)
    ours = PptApplication.objects.filter(centre=centre)
    shown = ours.filter(intake__state="verified").first()
    judging = ours.filter(intake__state="open").first()
    evidence = PptEvidence.objects.filter(application=shown).first()
    evidence.file.save("bench.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 120_000))
    detail = f"/kemahiran/pusat/{centre.code}/ppt/{shown.pk}/"
    cases = [
        ("body's desk, every stage", lambda: body.get("/kemahiran/ppt/"), 200),
        ("body's desk, with the PPL", lambda: body.get("/kemahiran/ppt/?stage=verification"),
         200),
        ("body's desk, verified (not certified)",
         lambda: body.get("/kemahiran/ppt/?stage=verified"), 200),
        ("body's desk, a name searched", lambda: body.get("/kemahiran/ppt/?q=Pemohon 4242"), 200),
        ("body's desk, page 1000", lambda: body.get("/kemahiran/ppt/?page=1000"), 200),
        ("centre's list", lambda: staff.get(f"/kemahiran/pusat/{centre.code}/ppt/"), 200),
        ("an application (body)", lambda: body.get(detail), 200),
        ("an application (centre)", lambda: staff.get(detail), 200),
        ("assessor's judging page",
         lambda: pp.get(f"/kemahiran/pusat/{centre.code}/ppt/{judging.pk}/penilaian/"), 200),
        ("an evidence file (120 KB)",
         lambda: b"".join(staff.get(f"/kemahiran/ppt/bukti/{evidence.pk}/").streaming_content),
         None),
        ("new application form", lambda: staff.get(f"/kemahiran/pusat/{centre.code}/ppt/baru/"),
         200),
    ]  # fmt: skip
    assert files.private_storage.exists(evidence.file.name)
    measure(cases)
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


def _approve(assessor, centre):
    """The assessor's approval in force for the standard (Modul Personel): without it the
    judging page is refused."""
    from skills.models import Standard
    from tests.skills.training_factories import approve_personnel

    approve_personnel(assessor, "pp", Standard.objects.get(code="IT-010-3:2016"))


if __name__ == "__main__":
    main()
