"""Carry SSQS's and PIBK's review records into the shared workflow, nothing lost.

SSQS: every WindowReopening and SchoolReview becomes an event of the school's
subject (programme "ssqs", the cycle's year); the subject's state is the
school's review as monitoring showed it (SchoolProgress.review, else the
latest SchoolReview), "reopened" if it was only reopened; reopened until the
latest date any reopening gave.

PIBK: every WindowStatus that says something (a status, a reopening, a
reviewer) becomes the subject (programme "pibk", the year, the window) with
its comment, reopening date, reviewer and KPI 2 snapshot; every WindowEvent
becomes an event.

The old tables are dropped by the programmes' next migrations, which run
after this one.
"""

from django.db import migrations

BATCH = 2000


def _state_of(decision, reopened):
    if decision in ("verified", "returned"):
        return decision
    return "reopened" if reopened else "open"


def carry(apps, schema_editor):
    Subject = apps.get_model("review", "ReviewSubject")
    Event = apps.get_model("review", "ReviewEvent")
    WindowReopening = apps.get_model("surveys", "WindowReopening")
    SchoolReview = apps.get_model("monitoring", "SchoolReview")
    SchoolProgress = apps.get_model("monitoring", "SchoolProgress")
    WindowStatus = apps.get_model("pibk", "WindowStatus")
    WindowEvent = apps.get_model("pibk", "WindowEvent")

    # -- SSQS: (year, school) -> what happened ------------------------------------------
    ssqs = {}

    def entry(year, school_id):
        return ssqs.setdefault(
            (year, school_id),
            {"events": [], "review": "", "comment": "", "until": None},
        )

    for r in WindowReopening.objects.select_related("cycle").order_by("at", "pk").iterator():
        e = entry(r.cycle.year, r.school_id)
        e["events"].append(("reopened", r.reason, r.until, r.by_id, r.at))
        e["until"] = max(e["until"] or r.until, r.until)
    for r in SchoolReview.objects.select_related("cycle").order_by("at", "pk").iterator():
        e = entry(r.cycle.year, r.school_id)
        e["events"].append((r.decision, r.comment, None, r.by_id, r.at))
        e["review"], e["comment"] = r.decision, r.comment
    for year, school_id, review in (
        SchoolProgress.objects.exclude(review="")
        .values_list("cycle__year", "school_id", "review")
        .iterator()
    ):
        entry(year, school_id)["review"] = review  # what the dashboards showed

    def subjects_and_events(programme, items):
        """items: (year, window, school_id, subject fields, events) -> rows written."""
        items = list(items)
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            made = Subject.objects.bulk_create(
                [
                    Subject(programme=programme, year=year, window=window, school_id=school_id,
                            **fields)
                    for year, window, school_id, fields, _events in chunk
                ]
            )  # fmt: skip
            if any(s.pk is None for s in made):  # a backend that returns no ids
                ids = {
                    (s.year, s.window, s.school_id): s.pk
                    for s in Subject.objects.filter(programme=programme)
                }
                pks = [ids[(y, w, s)] for y, w, s, _f, _e in chunk]
            else:
                pks = [s.pk for s in made]
            Event.objects.bulk_create(
                [
                    Event(subject_id=pk, act=act, comment=comment or "", until=until,
                          by_id=by_id, at=at)
                    for pk, (*_key, events) in zip(pks, chunk, strict=True)
                    for act, comment, until, by_id, at in events
                ],
                batch_size=BATCH,
            )  # fmt: skip

    def ssqs_items():
        for (year, school_id), e in ssqs.items():
            e["events"].sort(key=lambda event: event[4])
            last = e["events"][-1] if e["events"] else None
            yield (
                year,
                "",
                school_id,
                {
                    "state": _state_of(e["review"], e["until"] is not None),
                    "comment": e["comment"],
                    "reopened_until": e["until"],
                    "decided_by_id": last[3] if last else None,
                    "decided_at": last[4] if last else None,
                },
                e["events"],
            )

    subjects_and_events("ssqs", ssqs_items())

    # -- PIBK: (year, window, school) ----------------------------------------------------
    pibk = {}
    for row in (
        WindowStatus.objects.select_related("school_year")
        .exclude(status="", reopened_until__isnull=True, reviewed_by__isnull=True)
        .iterator()
    ):
        figures = {}
        if row.volunteers is not None or row.families is not None:
            figures = {"volunteers": row.volunteers, "families": row.families}
        pibk[(row.school_year.year, row.window, row.school_year.school_id)] = {
            "fields": {
                "state": _state_of(row.status, row.reopened_until is not None),
                "comment": row.comment,
                "reopened_until": row.reopened_until,
                "figures": figures,
                "decided_by_id": row.reviewed_by_id,
                "decided_at": row.reviewed_at,
            },
            "events": [],
        }
    for ev in WindowEvent.objects.select_related("school_year").order_by("at", "pk").iterator():
        key = (ev.school_year.year, ev.window, ev.school_year.school_id)
        if key not in pibk:  # an act whose window row says nothing (or is gone)
            pibk[key] = {
                "fields": {
                    "state": _state_of(ev.kind, ev.kind == "reopened"),
                    "reopened_until": ev.until,
                    "decided_by_id": ev.by_id,
                    "decided_at": ev.at,
                },
                "events": [],
            }
        pibk[key]["events"].append((ev.kind, ev.comment, ev.until, ev.by_id, ev.at))
    subjects_and_events(
        "pibk",
        ((year, window, school_id, v["fields"], v["events"])
         for (year, window, school_id), v in pibk.items()),
    )  # fmt: skip


def uncarry(apps, schema_editor):
    """Going back: the old tables are restored empty by the programmes' migrations."""
    apps.get_model("review", "ReviewSubject").objects.filter(
        programme__in=("ssqs", "pibk")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("surveys", "0005_save_receipts_and_activity"),
        ("monitoring", "0005_rollup_indicator_schools"),
        ("pibk", "0003_counts_within_limits"),
    ]

    operations = [migrations.RunPython(carry, uncarry)]
