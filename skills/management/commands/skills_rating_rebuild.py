import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from skills.services.rating import rating_rebuild


class Command(BaseCommand):
    help = (
        "Rate every accredited centre of YEAR (default: this year) with the criteria that "
        "year is rated by (publishing the bundled skills/rating/criteria-v*.yaml not yet "
        "published: v1, and v2 from 2026); "
        "replaces the year's star ratings. What the periodic task does."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int)

    def handle(self, *args, year=None, **options):
        this = timezone.localdate().year
        year = this if year is None else year
        if not 1900 <= year <= this:
            raise CommandError(f"{year} is not a year that can be rated.")
        started = time.perf_counter()
        rated = rating_rebuild(year=year)
        self.stdout.write(f"{year}: {rated} centres rated in {time.perf_counter() - started:.2f} s")
