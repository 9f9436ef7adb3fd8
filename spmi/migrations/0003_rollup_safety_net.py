from django.db import migrations

SAFETY_NET = "SPMI roll-ups safety net (overdue actions as of today)"


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _created = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=SAFETY_NET, defaults={"task": "spmi.tasks.rebuild_spmi_rollups_today", "interval": every}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SAFETY_NET).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("spmi", "0002_rollup"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
