#!/usr/bin/env python
import os
import sys


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
    try:
        settings.INSTALLED_APPS  # noqa: B018 - load the settings to report their error
    except ImproperlyConfigured as exc:
        # Django would go on and fail later with a misleading "Models aren't loaded yet".
        sys.exit(f"Configuration error: {exc} (see .env.example).")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
