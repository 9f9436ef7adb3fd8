from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import keys
from api.services import key_create


class Command(BaseCommand):
    help = (
        "Make an API key for one outside system, in a unit (KPM, a state or district code) "
        "and for some programmes (none: every programme an officer follows). The key is "
        "printed once; only its SHA-256 is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The system the key is for")
        parser.add_argument("--unit", required=True, help="KPM, a state or a district code")
        parser.add_argument(
            "--programme",
            action="append",
            default=[],
            dest="programmes",
            help=f"One of {', '.join(keys.PROGRAMMES)}; repeat for several",
        )

    def handle(self, *args, name, unit, programmes, **options):
        try:
            key, secret = key_create(name=name, unit_code=unit, programmes=programmes)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        scope = ", ".join(key.programmes) or "all programmes"
        self.stderr.write(f"Key {key.prefix}… for {key.name} in {key.unit_code} ({scope}).")
        self.stderr.write("Copy it now: it is not stored and will not be shown again.")
        self.stdout.write(secret)
