from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import officer_create


class Command(BaseCommand):
    help = "Create an officer scoped to one district, one state or the nation."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--level", required=True, choices=["district", "state", "national"])
        parser.add_argument("--node", help="District or state code or name")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--no-forced-change",
            action="store_true",
            help="Do not make the officer change the password at first login",
        )

    def handle(self, *args, username, level, node, password, no_forced_change, **options):
        try:
            user = officer_create(
                username=username,
                level=level,
                node=node,
                password=password,
                must_change_password=not no_forced_change,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{user.username}: officer, {level} {user.scope_label()}")
