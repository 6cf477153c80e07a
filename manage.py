#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the environment (peerassist/settings.py)
    except ImproperlyConfigured as error:
        # A missing or bad environment variable: one line that names it, not a traceback.
        sys.exit(f"peerassist cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
