"""The `civitas` console command: every Django management command, and the project's own."""

import os
import sys


def main() -> None:
    """Run a management command with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civitas.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "civitas"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
