import time

from django.core.management.base import BaseCommand

from pibk.rollups import rollups_rebuild, summaries_rebuild
from pibk.services import today


class Command(BaseCommand):
    help = "Recompute every school's PIBK average and every roll-up of a year (the workers' code)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The year (default: this year)")

    def handle(self, *args, year=None, **options):
        year = year or today().year
        start = time.perf_counter()
        schools = summaries_rebuild(year=year)
        nodes = rollups_rebuild(year=year)
        took = time.perf_counter() - start
        self.stdout.write(f"PIBK {year}: {schools} schools, {nodes} roll-ups in {took:.1f} s.")
