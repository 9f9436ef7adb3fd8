import time

from django.core.management.base import BaseCommand, CommandError

from pasr.rollups import rollups_rebuild, summaries_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every school's PASR summary and every district, state and national "
        "roll-up of an assessment year (the workers' code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The assessment year")

    def handle(self, *args, year, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"{year} is not an assessment year (2000-2100).")
        start = time.perf_counter()
        schools = summaries_rebuild(year=year)
        nodes = rollups_rebuild(year=year)
        took = time.perf_counter() - start
        self.stdout.write(f"PASR {year}: {schools} schools, {nodes} roll-ups in {took:.1f} s.")
