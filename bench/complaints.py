"""Complaints (Modul Aduan, issue 17): the public form, the lookup and the body's list at scale.

Run with the project's Python on a machine with PostgreSQL (and, as in production,
Redis for the throttle's cache):

    BENCH_PG=postgres://postgres@127.0.0.1:5432 CACHE_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/complaints.py [--complaints 200000]

It recreates the database ``ssqs_bench_aduan`` and loads, with the audit triggers off
during the load (``session_replication_role = replica``), 500 centres and 200,000
complaints filed over three years (about 92 % closed, the rest new, assigned,
answered or escalated; among the open ones some overdue), each with its steps
(about 760,000 events). Then, in process through Django's test client (the full
middleware stack), it measures p50/p95 of: the form (GET), a filing (POST, accepted),
the lookup (a known reference; an unknown one), the handlers' list (open ones,
overdue first; every status; overdue only; one centre; a far page), a complaint's
page, and a centre administrator's list; with each page's query count.
"""

import argparse
import datetime
import os
import random
import time

from common import machine, measure, setup_django

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def load(n, seed):
    from django.db import connection, transaction
    from django.utils import timezone

    from skills import complaint_rules as crules
    from skills.models import Centre, Complaint, ComplaintEvent

    rng = random.Random(seed)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        centres = Centre.objects.bulk_create(
            Centre(code=f"PB-{i:05d}", name=f"Pusat Bertauliah {i}") for i in range(500)
        )
        now = timezone.now()
        today = timezone.localdate()
        categories = [c for c, _l in crules.CATEGORY_CHOICES]
        batch, events = [], []
        refs = set()
        for k in range(n):
            filed = now - datetime.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            ref = ""
            while not ref or ref in refs:
                ref = f"ADU-{filed.year}-" + "".join(rng.choice(ALPHABET) for _ in range(8))
            refs.add(ref)
            age = (now - filed).days
            status = crules.CLOSED if age > 30 or rng.random() < 0.9 else rng.choice(
                [crules.NEW, crules.ASSIGNED, crules.ANSWERED, crules.ESCALATED])  # fmt: skip
            if age > 30 and rng.random() < 0.08:
                status = rng.choice([crules.ASSIGNED, crules.ESCALATED])  # long-open, overdue
            answered = status in (crules.ANSWERED, crules.CLOSED) or (
                status == crules.ESCALATED and rng.random() < 0.5)  # fmt: skip
            category = rng.choice(categories)
            batch.append(Complaint(
                reference=ref, category=category,
                centre=rng.choice(centres) if category in crules.CENTRE_CATEGORIES else None,
                subject=f"Aduan {k}", description="Penerangan aduan yang cukup panjang. " * 4,
                name=f"Pengadu {k}", email=f"p{k}@example.my", filed_at=filed,
                due_on=crules.due_on(filed.date()), status=status,
                level=2 if status == crules.ESCALATED else 1,
                first_answered_at=filed + datetime.timedelta(days=3) if answered else None,
                closed_at=filed + datetime.timedelta(days=9) if status == crules.CLOSED else None,
                resolution="Selesai." if status == crules.CLOSED else "", updated_at=filed,
            ))  # fmt: skip
            if len(batch) == 5000:
                _flush(batch, events, Complaint, ComplaintEvent)
        _flush(batch, events, Complaint, ComplaintEvent)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE skills_complaint; ANALYZE skills_complaintevent")
    return today


def _flush(batch, events, Complaint, ComplaintEvent):
    from skills import complaint_rules as crules

    made = Complaint.objects.bulk_create(batch)
    for c in made:
        events.append(ComplaintEvent(complaint=c, act=crules.FILE, at=c.filed_at))
        if c.status != crules.NEW:
            events.append(ComplaintEvent(complaint=c, act=crules.ASSIGN, at=c.filed_at))
        if c.first_answered_at:
            events.append(ComplaintEvent(complaint=c, act=crules.ANSWER, note="Jawapan.",
                                         public=True, at=c.first_answered_at))  # fmt: skip
        if c.closed_at:
            events.append(ComplaintEvent(complaint=c, act=crules.CLOSE, note="Selesai.",
                                         public=True, at=c.closed_at))  # fmt: skip
    ComplaintEvent.objects.bulk_create(events)
    batch.clear()
    events.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ssqs_bench_aduan")
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup_django(args.db)

    from django.core.cache import cache
    from django.test import Client

    from skills.forms.complaints import form_stamp
    from skills.models import Accreditation, Centre, Complaint, ComplaintEvent, Sector, Standard
    from tests.factories import person

    print("machine:", machine())
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    start = time.perf_counter()
    load(args.complaints, args.seed)
    took = time.perf_counter() - start
    print(f"loaded {Complaint.objects.count():,} complaints, "
          f"{ComplaintEvent.objects.count():,} events in {took:.0f} s")  # fmt: skip
    sector = Sector.objects.create(code="IT", name_ms="TM", name_en="IT")
    standard = Standard.objects.create(code="IT-1", title_ms="P", title_en="S", sector=sector,
                                       level=3)  # fmt: skip
    centre = Centre.objects.order_by("code").first()
    Accreditation.objects.bulk_create(
        Accreditation(centre=c, standard=standard, state="approved") for c in Centre.objects.all()
    )
    officer = person("bench.jpk", roles=[("certification_officer", "JPK")])
    admin = person("bench.pb", roles=[("centre_admin", centre)])
    cache.clear()
    anon = Client()
    addresses = iter(range(10**9))

    def ip():
        n = next(addresses)
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    known = Complaint.objects.filter(status="closed").order_by("?").first().reference
    handler, reader = Client(), Client()
    handler.force_login(officer)
    reader.force_login(admin)
    some = Complaint.objects.order_by("-filed_at").first()

    def form_post():
        data = {"category": "centre", "centre": centre.code, "subject": "Bench",
                "description": "Bengkel ditutup semasa waktu latihan selama dua minggu.",
                "name": "Bench", "email": "b@example.my", "phone": "",
                "website": "", "stamp": form_stamp(time.time() - 10)}  # fmt: skip
        r = anon.post("/kemahiran/aduan/baru/", data, REMOTE_ADDR=ip())
        assert r.status_code == 302, r.status_code

    cases = [
        ("complaint form (GET)", lambda: anon.get("/kemahiran/aduan/baru/"), 200),
        ("complaint filed (POST)", form_post, None),
        ("lookup, known reference",
         lambda: anon.get("/kemahiran/aduan/semak/", {"no": known}, REMOTE_ADDR=ip()), 200),
        ("lookup, unknown reference",
         lambda: anon.get("/kemahiran/aduan/semak/", {"no": "ADU-2026-ZZZZZZZZ"},
                          REMOTE_ADDR=ip()), 404),
        ("handlers' list (open, overdue first)", lambda: handler.get("/kemahiran/aduan/"), 200),
        ("handlers' list, every status", lambda: handler.get("/kemahiran/aduan/?status=all"),
         200),
        ("handlers' list, overdue only", lambda: handler.get("/kemahiran/aduan/?overdue=1"), 200),
        ("handlers' list, one centre, every status",
         lambda: handler.get(f"/kemahiran/aduan/?status=all&centre={centre.code}"), 200),
        ("handlers' list, every status, page 2000",
         lambda: handler.get("/kemahiran/aduan/?status=all&page=2000"), 200),
        ("a complaint (handler)", lambda: handler.get(f"/kemahiran/aduan/{some.pk}/"), 200),
        ("centre administrator's list", lambda: reader.get("/kemahiran/aduan/?status=all"), 200),
    ]  # fmt: skip
    measure(cases)
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
