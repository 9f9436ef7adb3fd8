"""Write (or, with --check, compare) the checked-in OpenAPI description docs/api/openapi.json."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


def served_schema() -> str:
    from api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI description to docs/api/openapi.json (--check: compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check, **options):
        text = served_schema()
        if check:
            if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != text:
                raise CommandError(
                    f"{SCHEMA_FILE} differs from the served schema: run manage.py api_schema."
                )
            self.stdout.write("The checked-in schema is up to date.")
            return
        SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_FILE.write_text(text)
        self.stdout.write(f"Wrote {SCHEMA_FILE}.")
