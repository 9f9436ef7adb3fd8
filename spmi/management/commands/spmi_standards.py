from django.core.management.base import BaseCommand, CommandError

from spmi.standards import DEFAULT_FILE, StandardsError, standards_load


class Command(BaseCommand):
    help = (
        "Load an SPMI standard-set file (YAML) as the next version; the same content again "
        "changes nothing. Without a file: the default national set."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))

    def handle(self, *args, **options):
        try:
            standard_set, created = standards_load(path=options["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {options['file']}") from exc
        except StandardsError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        verb = "Loaded" if created else "Unchanged:"
        self.stdout.write(f"{verb} SPMI standards version {standard_set.version}.")
