import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.instrument import InstrumentError
from surveys.models import Respondent
from surveys.rosters import cycle_open


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "Open (or update the window of) the SSQS cycle of a year for every school, "
        "loading that year's instrument and creating every school's respondent roster."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--from", dest="opens_on", help="First day of filling (YYYY-MM-DD)")
        parser.add_argument("--to", dest="closes_on", help="Last day of filling (YYYY-MM-DD)")

    def handle(self, *args, year, opens_on=None, closes_on=None, **options):
        try:
            cycle = cycle_open(
                year=year,
                opens_on=opens_on and _date(opens_on),
                closes_on=closes_on and _date(closes_on),
            )
        except (ValidationError, InstrumentError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", None) or exc.errors)) from exc
        count = Respondent.objects.filter(cycle=cycle).count()
        self.stdout.write(
            f"SSQS {cycle.year} open {cycle.opens_on} to {cycle.closes_on}; "
            f"{count} respondents on the rosters."
        )
