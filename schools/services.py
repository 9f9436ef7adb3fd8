"""Writes and workflows for the school hierarchy."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from ssqs_portal import registry
from ssqs_portal.db import analyze_after_bulk_load

from .importing import SchoolRecord
from .models import District, School, State

RESPONDENT_SUFFIX = "R"


@dataclass
class ImportSummary:
    states_created: int = 0
    districts_created: int = 0
    schools_created: int = 0
    schools_updated: int = 0
    schools_unchanged: int = 0
    accounts_created: int = 0

    @property
    def changed_anything(self):
        return bool(
            self.states_created
            + self.districts_created
            + self.schools_created
            + self.schools_updated
            + self.accounts_created
        )


def respondent_username(school_code: str) -> str:
    """Return the username of a school's shared respondent account (code + R)."""
    return f"{school_code.upper()}{RESPONDENT_SUFFIX}"


@transaction.atomic
def schools_import(*, records: list[SchoolRecord], initial_password: str | None) -> ImportSummary:
    """Create or update states, districts, schools and the schools' accounts.

    Idempotent: a second run with the same records changes nothing, and the
    password of an existing account is never touched. Each new school gets a
    coordinator account (username = code, must change the password at first
    login) and the shared respondent account (code + R, no usable password
    until the coordinator sets one). The caller must have
    validated every record; this runs in one transaction.
    """
    summary = ImportSummary()
    states = {s.code: s for s in State.objects.all()}
    for record in records:
        if record.state_code not in states:
            states[record.state_code] = State.objects.create(
                code=record.state_code, name=record.state_name, iso=record.state_iso
            )
            summary.states_created += 1

    districts = {d.code: d for d in District.objects.all()}
    new_districts = {}
    for record in records:
        if record.district_code not in districts and record.district_code not in new_districts:
            new_districts[record.district_code] = District(
                code=record.district_code,
                name=record.district_name,
                state=states[record.state_code],
            )
    if new_districts:
        District.objects.bulk_create(new_districts.values())
        summary.districts_created = len(new_districts)
        districts = {d.code: d for d in District.objects.all()}

    existing = {s.code: s for s in School.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for record in records:
        values = dict(record.fields, district_id=districts[record.district_code].pk)
        school = existing.get(record.code)
        if school is None:
            to_create.append(School(**values))
            continue
        changed = [name for name, value in values.items() if getattr(school, name) != value]
        if changed:
            for name in changed:
                setattr(school, name, values[name])
            changed_fields.update(changed)
            to_update.append(school)
        else:
            summary.schools_unchanged += 1
    School.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        School.objects.bulk_update(
            to_update, sorted(changed_fields | {"updated_at"}), batch_size=1000
        )
    summary.schools_created = len(to_create)
    summary.schools_updated = len(to_update)

    summary.accounts_created = _create_school_accounts(initial_password)
    analyze_after_bulk_load(
        School,
        District,
        State,
        get_user_model(),
        rows=summary.schools_created + summary.accounts_created,
    )
    if summary.schools_created:
        for callback in registry.SCHOOLS_IMPORTED:
            callback()
    return summary


def _create_school_accounts(initial_password: str | None) -> int:
    """Create each school's missing coordinator and respondent accounts.

    The code account holds the school's ICT coordinator and PIBK coordinator
    roles (core.people), as every school code login always has.

    The respondent account (code + R) gets no usable password: school codes
    are public, so a shared default would let anyone answer for any school.
    It cannot log in until the coordinator sets its password on the roster page.
    """
    User = get_user_model()
    have = {
        u.upper()
        for u in User.objects.filter(school__isnull=False).values_list("username", flat=True)
    }
    # One hash for the whole batch: every new account starts with the same
    # known password and must change it, and hashing 20,000 passwords one by
    # one would take hours. A changed password gets its own salt.
    password = make_password(initial_password) if initial_password else make_password(None)
    no_password = make_password(None)
    new_users = []
    for school_id, code in School.objects.values_list("pk", "code"):
        if code not in have:
            new_users.append(
                User(
                    username=code,
                    role=User.Role.COORDINATOR,
                    school_id=school_id,
                    password=password,
                    must_change_password=True,
                )
            )
        if respondent_username(code) not in have:
            new_users.append(
                User(
                    username=respondent_username(code),
                    role=User.Role.RESPONDENT,
                    school_id=school_id,
                    password=no_password,
                )
            )
    User.objects.bulk_create(new_users, batch_size=2000)
    from core.people.services import code_accounts_grant

    code_accounts_grant([u for u in new_users if u.role == User.Role.COORDINATOR])
    return len(new_users)
