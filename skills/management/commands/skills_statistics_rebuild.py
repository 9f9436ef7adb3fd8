from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from skills.services.statistics import statistics_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the skills statistics' precomputed figures of YEAR (default: this year and the "
        "nine before) from the intakes, results and certificates, and their state and "
        "national roll-ups; what the hourly task does."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int)

    def handle(self, *args, year=None, **options):
        this = timezone.localdate().year
        if year is not None and not 1900 <= year <= this + 1:
            raise CommandError(f"{year} is not a year the statistics show.")
        for y in [year] if year else range(this, this - 10, -1):
            centres = statistics_rebuild(year=y)
            self.stdout.write(f"{y}: figures of {centres} centres rebuilt")
