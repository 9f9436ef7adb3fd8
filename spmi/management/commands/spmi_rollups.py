from django.core.management.base import BaseCommand

from spmi.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild every district, state and national SPMI roll-up of YEAR (stages, overdue)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, **options):
        n = rollups_rebuild(year=options["year"])
        self.stdout.write(f"{n} SPMI roll-ups of {options['year']} rebuilt.")
