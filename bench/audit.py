"""What the audit trail adds to a respondent's domain save, on PostgreSQL (issue 14).

The issue allows at most +10 %. Every respondent of the demo schools saves
each of their domains through ``domain_save`` (the service the view calls),
in process; respondents alternate between two modes so the drift of a
shared machine falls on both alike:

- audit on: the triggers installed and the save inside an audit context
  with a request's metadata (the transaction stamped once, core/audit/context.py);
- audit off: no context, and ``SET LOCAL session_replication_role =
  replica`` (no DDL, so nothing is re-planned between saves). It also skips
  PostgreSQL's foreign-key checks, so "off" is a little faster than a
  portal without the trail: the overhead measured is an upper bound.

The rating recompute that a save enqueues is left out of both (a smaller
denominator: the stricter figure). Each respondent saves every domain twice:
first answers (inserts, the most the trail records) and a second save
changing every answer (updates).
"""

import contextlib
import os
import random
import statistics
import time

from common import ROOT, machine, setup_django

DB = "ssqs_bench_audit"
# Diagnostics: AUDIT_BENCH=triggers (no context in either mode), context (no triggers in
# either), or fk: the audit triggers dropped for the run, "on" without context, so the
# difference is what skipping the foreign-key checks alone gives "off".
VARIANT = os.environ.get("AUDIT_BENCH", "both")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def worst_post(spec, domain_code, category):
    """Each question answered with another value than best_post's."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for q in spec.questions_in(domain_code, category):
        if q.type in ("single", "yesno", "multiple"):
            data.appendlist(q.code, min(q.options, key=lambda o: o.points).value)
        elif q.type == "number":
            data.appendlist(q.code, str((q.min or 0) + 1))
        else:
            data.appendlist(q.code, "changed")
    return data


def main():
    setup_django(DB)
    import datetime

    from django.core.management import call_command
    from django.db import connection, transaction

    from core.audit.context import audit_context
    from core.audit.models import Entry
    from surveys import answering
    from surveys.answering import domain_save
    from surveys.models import Respondent
    from surveys.rosters import cycle_open
    from tests.surveys.conftest import best_post

    print("machine:", machine())
    # The rating's recompute is enqueued after commit; left out of both modes
    # (not queued, not run in process), so the save alone is the denominator.
    answering.enqueue_rating = lambda **kwargs: None
    call_command(
        "import_schools",
        ROOT / "schools" / "fixtures" / "demo_schools.csv",
        initial_password="Bench-12345",
        verbosity=0,
    )
    today = datetime.date.today()
    cycle = cycle_open(
        year=2026,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    spec = cycle.instrument.spec
    respondents = list(
        Respondent.objects.filter(cycle=cycle)
        .select_related("cycle__instrument", "school")
        .order_by("school__code", "category", "number")
    )
    if VARIANT == "fk":
        import pgtrigger

        pgtrigger.disable()
    random.Random(14).shuffle(respondents)  # every category in both modes
    times = {(mode, kind): [] for mode in ("on", "off") for kind in ("insert", "update")}
    entries_before = Entry.objects.count()
    for index, respondent in enumerate(respondents):
        # Respondents alternate, so the machine's drift falls on both modes alike.
        mode = "on" if index % 2 == 0 else "off"
        for kind, make in (("insert", best_post), ("update", worst_post)):
            for domain in spec.domains_for(respondent.category):
                post = make(spec, domain.code, respondent.category)
                context = (
                    audit_context(
                        actor=respondent.school.code + "R",
                        user_id=1,
                        ip="127.0.0.1",
                        method="POST",
                        path=f"/ssqs/domain/{domain.code}/",
                    )
                    if mode == "on" and VARIANT not in ("triggers", "fk")
                    else contextlib.nullcontext()
                )
                triggers = "origin" if mode == "on" and VARIANT != "context" else "replica"
                # One transaction per save, as ATOMIC_REQUESTS gives the view; the
                # clock runs from the first statement of the save to the commit.
                with context:
                    with transaction.atomic():
                        with connection.cursor() as cursor:
                            cursor.execute(f"SET LOCAL session_replication_role = {triggers}")
                        start = time.perf_counter()
                        domain_save(respondent=respondent, domain_code=domain.code, post=post)
                    times[(mode, kind)].append((time.perf_counter() - start) * 1000)
    if VARIANT == "fk":
        pgtrigger.enable()
    recorded = Entry.objects.count() - entries_before
    print(f"{len(respondents)} respondents, {recorded} audit entries written in 'on' mode")
    for kind in ("insert", "update"):
        on, off = times[("on", kind)], times[("off", kind)]
        m_on, m_off = statistics.mean(on), statistics.mean(off)
        print(
            f"domain_save, {kind}s ({len(on)} on / {len(off)} off): "
            f"audit on p50 {statistics.median(on):.2f} ms, p95 {pct(on, 95):.2f}, mean {m_on:.2f}; "
            f"off p50 {statistics.median(off):.2f} ms, p95 {pct(off, 95):.2f}, mean {m_off:.2f}; "
            f"+{(statistics.median(on) / statistics.median(off) - 1) * 100:.1f} % (p50), "
            f"+{(m_on / m_off - 1) * 100:.1f} % (mean)"
        )
    on = times[("on", "insert")] + times[("on", "update")]
    off = times[("off", "insert")] + times[("off", "update")]
    print(
        f"all saves: p50 on {statistics.median(on):.2f} ms vs off {statistics.median(off):.2f} ms:"
        f" +{(statistics.median(on) / statistics.median(off) - 1) * 100:.1f} %"
    )


if __name__ == "__main__":
    main()
