from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schools.importing import parse_school_csv
from schools.services import schools_import


class Command(BaseCommand):
    help = (
        "Import or update schools from the ministry's Senarai Sekolah CSV. "
        "All-or-nothing: any bad row stops the import and is reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--initial-password",
            help="First password of newly created coordinator accounts (they must change it "
            "at first login). Without it they cannot log in until an administrator sets one. "
            "Respondent accounts (code + R) never get it: they cannot log in until the "
            "coordinator sets their password on the roster page.",
        )

    def handle(self, *args, file: Path, initial_password=None, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(_("File not found: %(file)s") % {"file": file}) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("%(file)s is not UTF-8 text") % {"file": file}) from exc
        result = parse_school_csv(text)
        if result.errors:
            for error in result.errors[:200]:
                self.stderr.write(str(error))
            if len(result.errors) > 200:
                self.stderr.write(_("... and %(n)s more errors") % {"n": len(result.errors) - 200})
            raise CommandError(_("%(n)s errors; nothing was imported.") % {"n": len(result.errors)})
        if not result.records:
            raise CommandError(_("The file has no school rows; nothing was imported."))
        summary = schools_import(records=result.records, initial_password=initial_password)
        self.stdout.write(
            _(
                "%(rows)s rows read. States created: %(states)s, districts created: "
                "%(districts)s, schools created: %(created)s, updated: %(updated)s, "
                "unchanged: %(unchanged)s, accounts created: %(accounts)s."
            )
            % {
                "rows": len(result.records),
                "states": summary.states_created,
                "districts": summary.districts_created,
                "created": summary.schools_created,
                "updated": summary.schools_updated,
                "unchanged": summary.schools_unchanged,
                "accounts": summary.accounts_created,
            }
        )
        if summary.accounts_created:
            self.stdout.write(
                _(
                    "New respondent accounts (code + R) cannot log in until each school's "
                    "coordinator sets their password on the Maklumat Responden page."
                )
            )
        if summary.accounts_created and not initial_password:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "New coordinator accounts have no usable password: give "
                        "--initial-password, or set passwords in the admin."
                    )
                )
            )
