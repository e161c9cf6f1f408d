"""The `ettervern` command: Django's management commands under one name.

    ettervern demo                 migrate, seed demo data, print logins, serve :8000
    ettervern seed --patients N    synthetic population
    ettervern demo_scenario PHASE  a new patient's pathway in that phase, as JSON (demo mode)
    ettervern token create USER    print a new API bearer token
    ettervern migrate | runserver | …  any other management command
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ettervern.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ettervern", *sys.argv[1:]])


if __name__ == "__main__":
    main()
