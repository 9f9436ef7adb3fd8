import time

from django.core.management.base import BaseCommand, CommandError

from schools.models import School
from surveys.models import Cycle
from surveys.rating import cycle_recompute


class Command(BaseCommand):
    help = "Recompute SSQS star ratings (the same code the workers run)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, help="Year (default: the latest cycle)")
        parser.add_argument("--school", help="One school's code (default: every school)")
        parser.add_argument(
            "--rescore",
            action="store_true",
            help="First re-derive every answer's stored points from its value",
        )

    def handle(self, *args, cycle=None, school=None, rescore=False, **options):
        cycles = Cycle.objects.order_by("-year")
        found = cycles.filter(year=cycle).first() if cycle else cycles.first()
        if found is None:
            raise CommandError(f"No SSQS cycle {cycle or ''} has been opened.".replace("  ", " "))
        school_ids = None
        if school:
            school_ids = list(
                School.objects.filter(code=school.upper()).values_list("pk", flat=True)
            )
            if not school_ids:
                raise CommandError(f"No school has the code {school}.")
        start = time.perf_counter()
        count = cycle_recompute(cycle_id=found.pk, school_ids=school_ids, rescore=rescore)
        self.stdout.write(
            f"SSQS {found.year}: {count} ratings recomputed in {time.perf_counter() - start:.1f} s."
        )
