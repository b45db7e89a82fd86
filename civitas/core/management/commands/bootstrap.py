"""Prepare a Civitas site: database, catalogue, demo city and a first administrator."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser
from django.urls import NoReverseMatch, reverse

from civitas.accounts.models import User
from civitas.accounts.services import administrator_ensure
from civitas.catalogue.services import catalogue_load

PASSWORD_FILE_NAME = "initial-admin-password"  # noqa: S105 (a file name)


class Command(BaseCommand):
    help = (
        "Migrate the database, load the catalogue and the demo city, make sure an "
        "administrator exists and say how to log in. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="address the site will be served at, for the login instructions",
        )
        parser.add_argument("--no-demo", action="store_true", help="do not build the demo city")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        self.stdout.write("Updating the database…")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        result = catalogue_load()
        if result.skipped:
            summary = " ".join(result.messages)
        elif result.created or result.updated or result.removed_items:
            summary = (
                f"Catalogue v{result.version} loaded: {result.created} types added, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        else:
            summary = f"Catalogue v{result.version} is up to date ({result.unchanged} types)."
        self.stdout.write(summary)

        # The administrator comes before the demo city, which makes it the demo's owner.
        password_file = settings.DATA_DIR / PASSWORD_FILE_NAME
        user, password = administrator_ensure(password_file=password_file)

        if options["no_demo"]:
            self.stdout.write("Demo city skipped.")
        elif "demo" in get_commands():
            call_command("demo", verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)

        self._login_instructions(options["url"].rstrip("/"), user, password, password_file)

    def _login_instructions(
        self, base_url: str, user: User, password: str | None, password_file: Path
    ) -> None:
        try:
            login_path = reverse("accounts:login")
        except NoReverseMatch:
            login_path = "/"
        lines = [
            "",
            "To log in:",
            f"  Address:   {base_url}{login_path}",
            f"  Username:  {user.get_username()}",
        ]
        if password is not None:
            lines += [
                f"  Password:  {password}",
                f"  (also saved in {password_file}; change it after logging in)",
            ]
        elif password_file.exists():
            lines.append(
                f"  Password:  see {password_file} (change it after logging in, if not done yet)"
            )
        else:
            lines.append("  Password:  the one set for this account")
        self.stdout.write("\n".join(lines) + "\n")
