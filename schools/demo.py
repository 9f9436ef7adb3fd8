"""The demo world's schools, officers and administrator (see seed_demo)."""

from pathlib import Path

from django.contrib.auth import get_user_model

from accounts.services import officer_create
from core.people.services import grant_role

from .importing import parse_school_csv
from .services import schools_import

DEMO_CSV = Path(__file__).resolve().parent / "fixtures" / "demo_schools.csv"
DEMO_PASSWORD = "Demo-SSQS-2026"
FIRST_LOGIN_SCHOOL = "BBA8102"  # keeps the forced password change to show it
OFFICERS = (
    ("ppd.petaling", "district", "SGR-PETALING-UTAMA"),
    ("jpn.selangor", "state", "SGR"),
    ("jpn.perak", "state", "PRK"),
    ("kpm", "national", None),
)
# Named staff of one demo school, made by grant_role as a head would on the staff page.
STAFF_SCHOOL = "BBA5008"
STAFF = (
    ("gb.bba5008", ("head",), f"head of {STAFF_SCHOOL}"),
    ("sup.bba5008", ("exam_secretary",), f"exam secretary of {STAFF_SCHOOL}"),
    ("cikgu.bba5008", ("ict_coordinator", "pibk_coordinator"), f"a teacher of {STAFF_SCHOOL}"),
)


def seed_schools():
    """Create the demo schools and accounts; return the logins to print."""
    User = get_user_model()
    result = parse_school_csv(DEMO_CSV.read_text(encoding="utf-8"))
    assert not result.errors, result.errors
    schools_import(records=result.records, initial_password=DEMO_PASSWORD)
    # Demo coordinators skip the forced change, except one that shows it.
    User.objects.filter(role=User.Role.COORDINATOR).exclude(username=FIRST_LOGIN_SCHOOL).update(
        must_change_password=False
    )
    logins = []
    for username, level, node in OFFICERS:
        if not User.objects.filter(username=username).exists():
            officer_create(
                username=username,
                level=level,
                node=node,
                password=DEMO_PASSWORD,
                must_change_password=False,
            )
        logins.append((f"officer ({level})", username, DEMO_PASSWORD, node or "KPM"))
    if not User.objects.filter(username="admin").exists():
        admin = User.objects.create_superuser("admin", "admin@ssqs.local", DEMO_PASSWORD)
        grant_role(username=admin.username, role="admin", unit_code="KPM")
    logins.append(("ministry admin (/admin/)", "admin", DEMO_PASSWORD, ""))
    for username, roles, note in STAFF:
        for role in roles:
            grant_role(username=username, role=role, unit_code=STAFF_SCHOOL, password=DEMO_PASSWORD)
        logins.append((f"school staff ({' + '.join(roles)})", username, DEMO_PASSWORD, note))
    # Demo staff skip the forced change, like the demo coordinators.
    User.objects.filter(username__in=[u for u, _r, _n in STAFF]).update(must_change_password=False)
    for record in result.records:
        note = "first login forces a password change" if record.code == FIRST_LOGIN_SCHOOL else ""
        logins.append(
            (
                "school coordinator",
                record.code,
                DEMO_PASSWORD,
                f"{record.fields['name']} {note}".strip(),
            )
        )
    return logins
