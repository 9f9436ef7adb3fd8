import time

from django.core.management.base import BaseCommand

from spmi.services.cycles import cycles_open


class Command(BaseCommand):
    help = (
        "Open every school's SPMI cycle of YEAR, pre-filled with this year's and last year's "
        "SSQS and PIBK figures; idempotent (schools that have theirs keep it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, **options):
        started = time.monotonic()
        opened = cycles_open(year=options["year"])
        self.stdout.write(f"Opened {opened} SPMI cycles of {options['year']} in "
                          f"{time.monotonic() - started:.1f} s.")  # fmt: skip
