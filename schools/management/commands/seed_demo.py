from django.core.management.base import BaseCommand
from django.db import transaction

from schools.demo import seed_schools
from ssqs_portal import registry


class Command(BaseCommand):
    help = "Create a small demo world (schools, accounts, answers) and print the logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = seed_schools()
            for seeder in registry.DEMO_SEEDERS:
                logins.extend(seeder(self.stdout))
        self.stdout.write(self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/login/):"))
        width = max(len(row[1]) for row in logins)
        for role, username, password, note in logins:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {role}  {note}")
