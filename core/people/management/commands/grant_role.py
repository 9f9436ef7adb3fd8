from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.people.services import grant_role


class Command(BaseCommand):
    help = (
        "Give a person a role in a unit (a school, district or state code, KPM, a skills "
        "centre code, JPK), creating the account if needed (then --password is its first "
        "password, to be changed at first login). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help="head, ict_coordinator, exam_secretary, officer, ...")
        parser.add_argument("unit", help="School, district or state code, KPM or JPK")
        parser.add_argument("--password", help="First password of a new account")

    def handle(self, *args, username, role, unit, password, **options):
        try:
            user, user_created, grant_created = grant_role(
                username=username, role=role, unit_code=unit, password=password
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if user_created:
            self.stdout.write(f"{user.username}: account created (must change its password).")
        state = "given" if grant_created else "already held"
        self.stdout.write(f"{user.username}: {role} in {unit.upper()} {state}.")
