"""SSQS roll-ups move to the roll-up kit's one table (core.rollups), rows carried over.

Each RollUp row becomes a rollups.RollUp row of programme "ssqs", period = its
cycle's year, with its figures in the JSON column; then RollUp is dropped.
(Roll-ups are derived data, rebuilt by the workers anyway: carried over so
the dashboards show figures from the first request after the upgrade.)
"""

from django.db import migrations

FIGURES = [
    "not_started", "in_progress", "complete", "verified", "respondents_finished",
    "respondents_required", "stars_provisional", "stars_final", "rated", "mean_score",
    "mean_usage", "mean_human_capital", "mean_applications", "mean_infrastructure",
    "indicator_schools",
]  # fmt: skip
DECIMALS = {"mean_score", "mean_usage", "mean_human_capital", "mean_applications",
            "mean_infrastructure"}  # fmt: skip


def carry_over(apps, schema_editor):
    Old = apps.get_model("monitoring", "RollUp")
    New = apps.get_model("rollups", "RollUp")
    rows = []
    for old in Old.objects.select_related("cycle").iterator(chunk_size=2000):
        figures = {}
        for name in FIGURES:
            value = getattr(old, name)
            figures[name] = str(value) if name in DECIMALS and value is not None else value
        rows.append(
            New(
                programme="ssqs",
                period=old.cycle.year,
                level=old.level,
                code=old.code,
                name=old.name,
                parent_code=old.parent_code,
                schools=old.schools,
                figures=figures,
                computed_at=old.computed_at,
            )
        )
    New.objects.bulk_create(rows, batch_size=2000)


def carry_back(apps, schema_editor):
    Old = apps.get_model("monitoring", "RollUp")
    New = apps.get_model("rollups", "RollUp")
    Cycle = apps.get_model("surveys", "Cycle")
    cycles = dict(Cycle.objects.values_list("year", "pk"))
    rows = []
    for new in New.objects.filter(programme="ssqs", period__in=list(cycles)):
        rows.append(
            Old(
                cycle_id=cycles[new.period],
                level=new.level,
                code=new.code,
                name=new.name,
                parent_code=new.parent_code,
                schools=new.schools,
                computed_at=new.computed_at,
                **{name: new.figures[name] for name in FIGURES if name in new.figures},
            )
        )
    Old.objects.bulk_create(rows, batch_size=2000)
    New.objects.filter(programme="ssqs").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_reviews_moved_to_core_review"),
        ("rollups", "0001_initial"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.CreateModel(
            name="SsqsRollUp",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("rollups.rollup",),
        ),
        migrations.DeleteModel(name="RollUp"),
    ]
