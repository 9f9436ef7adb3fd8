"""Give every existing account the grants that keep its rights unchanged.

- a school's code login: ict_coordinator and pibk_coordinator in its school
  (its SSQS roster and results, its PIBK data, its staff);
- an officer: officer in their node (district, state or the nation), for
  every programme;
- a ministry administrator: admin in KPM.
The respondent account (code + R) needs none: its rights are its kind's.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleGrant = apps.get_model("people", "RoleGrant")
    grants = []
    for user in User.objects.select_related("school", "state", "district").iterator():
        units = []
        if user.role == "coordinator" and user.school_id:
            units = [
                ("ict_coordinator", "school", user.school.code),
                ("pibk_coordinator", "school", user.school.code),
            ]
        elif user.role == "officer":
            if user.level == "national":
                units = [("officer", "nation", "KPM")]
            elif user.level == "state" and user.state_id:
                units = [("officer", "state", user.state.code)]
            elif user.level == "district" and user.district_id:
                units = [("officer", "district", user.district.code)]
        elif user.role == "admin":
            units = [("admin", "nation", "KPM")]
        grants += [
            RoleGrant(user=user, role=role, unit_kind=kind, unit_code=code, programmes=[])
            for role, kind, code in units
        ]
    RoleGrant.objects.bulk_create(grants, batch_size=2000, ignore_conflicts=True)


def backwards(apps, schema_editor):
    apps.get_model("people", "RoleGrant").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("accounts", "0001_initial"),
        ("schools", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
