import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pasr import rules
from pasr.models import AssessmentYear
from pasr.services.calendar import window_set


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"'{text}' is not a date: write it as YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = (
        "The examinations board sets (or reopens, recorded) a PASR window of assessment year "
        "YEAR: registration by default (1-31 March when no dates are given), or ProKhas 1 "
        "(8 weeks) or ProKhas 2 (4 weeks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The assessment year, e.g. 2027")
        parser.add_argument("--from", dest="opens", help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="closes", help="Last day, YYYY-MM-DD")
        parser.add_argument(
            "--window", default=rules.REGISTRATION, choices=rules.WINDOWS,
            help="Which window (default: registration)",
        )  # fmt: skip
        parser.add_argument("--reason", default="", help="Why (kept with the change)")

    def handle(self, *args, year, opens=None, closes=None, window, reason, **options):
        if (opens is None) != (closes is None):
            raise CommandError("Give both --from and --to, or neither.")
        if opens is None:
            if window != rules.REGISTRATION:
                raise CommandError(
                    f"The {window} window has no default: give --from and --to "
                    f"({rules.PROKHAS1_WEEKS if window == rules.PROKHAS1 else rules.PROKHAS2_WEEKS}"
                    " weeks)."
                )
            if not 1 <= year <= 9999:
                raise CommandError(f"{year} is not an assessment year.")
            start, end = rules.default_registration(year)
        else:
            start, end = _date(opens), _date(closes)
        before = None
        found = AssessmentYear.objects.filter(year=year).first()
        if found is not None:
            before = found.window(window)
        try:
            calendar, change = window_set(
                year=year, window=window, opens=start, closes=end, reason=reason,
                source="command:pasr_window",
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        was = ""
        if before and before[0] is not None:
            was = f" (was {before[0].isoformat()} to {before[1].isoformat()})"
        self.stdout.write(
            f"PASR {calendar.year} {window} window: {change.opens_on.isoformat()} to "
            f"{change.closes_on.isoformat()}{was}; change recorded."
        )
