from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.instrument import InstrumentError
from surveys.loading import instrument_load


class Command(BaseCommand):
    help = "Load or update an SSQS instrument from its YAML or JSON file, validating it."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.exists():
            raise CommandError(f"File not found: {file}")
        try:
            instrument = instrument_load(path=file)
        except InstrumentError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(exc.errors)} problems in {file}; nothing was loaded."
            ) from exc
        spec = instrument.spec
        self.stdout.write(
            f"SSQS {spec.year}: {len(spec.domains)} domains, "
            f"{len(spec.questions)} questions loaded."
        )
