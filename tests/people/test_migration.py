"""Existing accounts keep their rights when roles move into grants (people 0002, accounts 0002)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial"), ("people", "0001_initial"), ("schools", "0001_initial")]
AFTER = [("accounts", "0002_account_kinds_roles_in_grants")]


@pytest.mark.django_db(transaction=True)
def test_accounts_migrate_with_their_rights_unchanged():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    State, District, School = (
        apps.get_model("schools", m) for m in ("State", "District", "School")
    )
    User = apps.get_model("accounts", "User")
    sgr = State.objects.create(code="SGR", name="Selangor")
    petaling = District.objects.create(code="SGR-PETALING", name="PPD PETALING", state=sgr)
    school = School.objects.create(
        code="BBA0001", name="SK ALFA", district=petaling, level="primary", type="SK",
        enrolment=600, teachers=40,
    )  # fmt: skip
    User.objects.create(username="BBA0001", role="coordinator", school=school)
    User.objects.create(username="BBA0001R", role="respondent", school=school)
    User.objects.create(username="ppd", role="officer", level="district", district=petaling,
                        state=sgr)  # fmt: skip
    User.objects.create(username="jpn", role="officer", level="state", state=sgr)
    User.objects.create(username="kpm", role="officer", level="national")
    User.objects.create(username="boss", role="admin")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    User = apps.get_model("accounts", "User")
    RoleGrant = apps.get_model("people", "RoleGrant")
    grants = set(RoleGrant.objects.values_list("user__username", "role", "unit_kind", "unit_code"))
    assert grants == {
        ("BBA0001", "ict_coordinator", "school", "BBA0001"),
        ("BBA0001", "pibk_coordinator", "school", "BBA0001"),
        ("ppd", "officer", "district", "SGR-PETALING"),
        ("jpn", "officer", "state", "SGR"),
        ("kpm", "officer", "nation", "KPM"),
        ("boss", "admin", "nation", "KPM"),
    }
    assert not RoleGrant.objects.exclude(programmes=[]).exists()  # every programme
    kinds = dict(User.objects.values_list("username", "role"))
    assert kinds == {"BBA0001": "coordinator", "BBA0001R": "respondent", "ppd": "person",
                     "jpn": "person", "kpm": "person", "boss": "person"}  # fmt: skip

    # And back: one role and one node each again; a staff person made since goes back disabled.
    User.objects.create(username="cikgu", role="person")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("accounts", "User")
    back = {u.username: (u.role, u.level, u.district_id, u.state_id) for u in User.objects.all()}
    assert back["ppd"] == ("officer", "district", petaling.pk, sgr.pk)
    assert back["jpn"] == ("officer", "state", None, sgr.pk)
    assert back["kpm"][:2] == ("officer", "national")
    assert back["boss"][0] == "admin" and back["BBA0001"][0] == "coordinator"
    assert User.objects.get(username="boss").is_active
    assert not User.objects.get(username="cikgu").is_active
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
