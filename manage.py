#!/usr/bin/env python
import os
import sys

# Commands that only read the code and write source files (migrations,
# catalogues): they never serve a request or sign anything, so they run in a
# bare checkout without SECRET_KEY. Every other command still requires it.
NO_SECRET_NEEDED = {"makemigrations", "makemessages", "compilemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssqs_portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Honour --settings before loading anything, as Django itself would.
    for i, arg in enumerate(sys.argv):
        if arg.startswith("--settings="):
            os.environ["DJANGO_SETTINGS_MODULE"] = arg.split("=", 1)[1]
        elif arg == "--settings" and i + 1 < len(sys.argv):
            os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[i + 1]
    if len(sys.argv) > 1 and sys.argv[1] in NO_SECRET_NEEDED:
        os.environ.setdefault("SECRET_KEY", "source-files-only-never-signs-anything")
    try:
        settings.INSTALLED_APPS  # noqa: B018 - load the settings to report their error
    except ImproperlyConfigured as exc:
        # Django would go on and fail later with a misleading "Models aren't loaded yet".
        sys.exit(f"Configuration error: {exc} (see .env.example).")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
