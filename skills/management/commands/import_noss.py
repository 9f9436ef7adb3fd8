from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schools.importing import RowError
from skills.models import Standard
from skills.noss import MAX_BYTES, parse_noss
from skills.services.registry import ImportRefused, noss_import
from ssqs_portal.tabular import too_big

SHOWN = 200


class Command(BaseCommand):
    help = (
        "Load or update NOSS standards and their competency units from a CSV (one row per CU; "
        "columns in the README). All-or-nothing: any bad row stops the import and is reported; "
        "running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Mark the standards as demo data (not the body's official registry).",
        )

    def handle(self, *args, file: Path, demo=False, **options):
        try:
            size = file.stat().st_size
        except FileNotFoundError as exc:
            raise CommandError(_("File not found: %(file)s") % {"file": file}) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if size > MAX_BYTES:  # before reading a byte of it
            raise CommandError(too_big(size, MAX_BYTES))
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        parsed = parse_noss(data, existing_codes=self._existing())
        errors = parsed.errors
        summary = None
        if not errors:
            try:
                summary = noss_import(standards=parsed.standards, demo=demo)
            except ImportRefused as exc:
                errors = exc.errors
        if errors:
            self._report(errors)
            raise CommandError(_("%(n)s errors; nothing was imported.") % {"n": len(errors)})
        self.stdout.write(
            _(
                "%(rows)s rows read. Standards created: %(created)s, updated: %(updated)s, "
                "unchanged: %(unchanged)s. Competency units created: %(units_created)s, "
                "updated: %(units_updated)s, removed: %(units_removed)s. Sectors created: "
                "%(sectors)s."
            )
            % {
                "rows": parsed.rows,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "units_created": summary.units_created,
                "units_updated": summary.units_updated,
                "units_removed": summary.units_removed,
                "sectors": summary.sectors_created,
            }
        )

    def _existing(self):
        """The codes of the stored standards (what ``supersedes`` may name besides the file)."""
        return frozenset(Standard.objects.values_list("code", flat=True))

    def _report(self, errors: list[RowError]):
        for error in errors[:SHOWN]:
            self.stderr.write(str(error))
        if len(errors) > SHOWN:
            self.stderr.write(_("... and %(n)s more errors") % {"n": len(errors) - SHOWN})
