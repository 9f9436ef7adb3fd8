"""PIBK roll-ups move to the roll-up kit's one table (core.rollups), rows carried over.

Each PibkRollUp row becomes a rollups.RollUp row of programme "pibk", period =
its year, with its figures in the JSON column; then the table is dropped and
PibkRollUp becomes a proxy of the kit's model. (Roll-ups are derived data,
rebuilt by the workers anyway: carried over so the dashboards show figures
from the first request after the upgrade.)
"""

from django.db import migrations

FIGURES = ["reporting", "reaching", "kpi1", "families", "volunteers", "kpi2", "mean_average",
           "activity_rates", "verified"]  # fmt: skip
DECIMALS = {"kpi1", "kpi2", "mean_average"}


def carry_over(apps, schema_editor):
    Old = apps.get_model("pibk", "PibkRollUp")
    New = apps.get_model("rollups", "RollUp")
    rows = []
    for old in Old.objects.iterator(chunk_size=2000):
        figures = {}
        for name in FIGURES:
            value = getattr(old, name)
            figures[name] = str(value) if name in DECIMALS and value is not None else value
        rows.append(
            New(
                programme="pibk",
                period=old.year,
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
    Old = apps.get_model("pibk", "PibkRollUp")
    New = apps.get_model("rollups", "RollUp")
    Old.objects.bulk_create(
        [
            Old(
                year=new.period,
                level=new.level,
                code=new.code,
                name=new.name,
                parent_code=new.parent_code,
                schools=new.schools,
                computed_at=new.computed_at,
                **{name: new.figures[name] for name in FIGURES if name in new.figures},
            )
            for new in New.objects.filter(programme="pibk")
        ],
        batch_size=2000,
    )
    New.objects.filter(programme="pibk").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pibk", "0004_windows_moved_to_core_review"),
        ("rollups", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="PibkRollUp"),
        migrations.CreateModel(
            name="PibkRollUp",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("rollups.rollup",),
        ),
    ]
