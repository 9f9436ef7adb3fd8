from django.core.management.base import BaseCommand, CommandError

from ssqs_portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` (pg_restore, one transaction) into the database "
        "DATABASE_URL names; refused unless that database is empty, or with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .dump file written by `make backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that is not empty, replacing what the backup holds",
        )

    def handle(self, *args, file, force=False, **options):
        try:
            tables = restore(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {file}: the database now holds {tables} tables and sequences.")
