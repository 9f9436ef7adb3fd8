from django.core.management.base import BaseCommand, CommandError

from ssqs_portal.backup import BackupError, dump


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) to var/backups/ssqs-<UTC time>.dump "
        "and print the file's path."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Write the backup here instead of var/backups/")

    def handle(self, *args, dir=None, **options):
        try:
            path = dump(dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
