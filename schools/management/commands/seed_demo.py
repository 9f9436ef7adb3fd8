import os
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schools.demo import seed_schools
from ssqs_portal import registry

DEFAULT_URL = "http://127.0.0.1:8000/"


def login_url(address: str) -> str:
    """Return the login page of the portal served at ``address`` (http[s]://host[:port]/)."""
    parts = urlsplit(address.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommandError(
            f"The portal's address {address!r} is not an http:// or https:// address "
            "with a host, e.g. http://127.0.0.1:8001/."
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/login/"


class Command(BaseCommand):
    help = "Create a small demo world (schools, accounts, answers) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=os.environ.get("DEMO_URL") or DEFAULT_URL,
            help=(
                "the address the portal is served at, printed with the logins (default: "
                f"$DEMO_URL, which `make run` sets from HOST and PORT, else {DEFAULT_URL})"
            ),
        )

    def handle(self, *args, **options):
        login = login_url(options["url"])  # refuse a bad address before seeding anything
        with transaction.atomic():
            logins = seed_schools()
            for seeder in registry.DEMO_SEEDERS:
                logins.extend(seeder(self.stdout))
        self.stdout.write(self.style.SUCCESS(f"Demo logins ({login}):"))
        width = max(len(row[1]) for row in logins)
        for role, username, password, note in logins:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {role}  {note}")
