"""`civitas token create --user NAME`: make an API token for scripts."""

from typing import Any

from django.core.management.base import CommandParser

from civitas.accounts.models import User
from civitas.accounts.services import token_create
from civitas.core.cli import CivitasCommand, fail


class Command(CivitasCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        create = subcommands.add_parser(
            "create",
            help="Create an API token and print it (only the token, shown this once).",
            description="Create an API token for a user. Only the token is printed, so that "
            "a script can capture it; it is stored hashed and cannot be shown again.",
        )
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument(
            "--name", default="Command line", help="A label to recognize the token by."
        )

    def handle_create(self, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            fail(f"No user named '{options['user']}'.")
        if not user.is_active:
            fail(f"The user '{user.username}' is deactivated; a token for them would not work.")
        _, raw = token_create(user=user, name=options["name"])
        self.stdout.write(raw)
