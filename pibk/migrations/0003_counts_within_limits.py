"""Every count a user types stays within rules.MAX_FAMILIES; roll-up totals are 64-bit.

Counts stored before the limit (a hostile 2,147,483,647 families froze every
national roll-up) are reset to 0 for the school to enter again, and named on
the console; the hourly safety net (pibk.tasks.rebuild_all_pibk) then
recomputes the summaries and roll-ups.
"""

from django.db import migrations, models

MAX_FAMILIES = 20_000  # pibk.rules.MAX_FAMILIES when this migration was written


def reset_absurd_counts(apps, schema_editor):
    SchoolYear = apps.get_model("pibk", "SchoolYear")
    Activity = apps.get_model("pibk", "Activity")
    over = SchoolYear.objects.filter(families__gt=MAX_FAMILIES)
    for school_year in over.values("year", "school__code", "families"):
        print(f"  PIBK {school_year['year']} {school_year['school__code']}: "
              f"{school_year['families']} families reset to 0")  # fmt: skip
    over.update(families=0, volunteers=0)
    over = Activity.objects.filter(expected__gt=MAX_FAMILIES)
    for activity in over.values("school_year__year", "school_year__school__code", "code"):
        print(f"  PIBK {activity['school_year__year']} "
              f"{activity['school_year__school__code']} activity {activity['code']}: "
              "expected and attended reset to 0")  # fmt: skip
    over.update(expected=0, attended=0)


class Migration(migrations.Migration):
    dependencies = [
        ("pibk", "0002_periodic_rollups"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pibkrollup",
            name="families",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="pibkrollup",
            name="volunteers",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(reset_absurd_counts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(("expected__lte", 20000)), name="pibk_expected_within_limit"
            ),
        ),
        migrations.AddConstraint(
            model_name="schoolyear",
            constraint=models.CheckConstraint(
                condition=models.Q(("families__lte", 20000)), name="pibk_families_within_limit"
            ),
        ),
    ]
