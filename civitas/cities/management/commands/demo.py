"""`civitas demo [--reset]`: build the demo city Aurelia."""

from typing import Any

from django.core.management.base import CommandParser

from civitas.cities.demo import DEMO_PASSWORD, DEMO_SLUG, demo_build
from civitas.core.cli import CivitasCommand


class Command(CivitasCommand):
    help = (
        "Build the demo city Aurelia: initiatives, stakeholders of every type, "
        "categorizations and matrix items, plus demo accounts. Does nothing if it exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo city and build it again (demo accounts are kept).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_build(reset=options["reset"])
        city = result.city
        if not result.built:
            self.stdout.write(
                f"The demo city {city.name} ({city.slug}) is already there; nothing to do. "
                "Use --reset to build it again."
            )
            return
        self.stdout.write(
            f"Built the demo city {city.name} ({DEMO_SLUG}): {result.initiatives} initiatives, "
            f"{result.stakeholders} stakeholders, {result.categorizations} categorizations, "
            f"{result.matrix_items} matrix items of the city's own."
        )
        self.stdout.write("Demo accounts:")
        for user in result.users:
            role = f"{user.role} for {user.acts_for}" if user.acts_for else user.role
            note = "" if user.created else " (account already existed; password unchanged)"
            self.stdout.write(f"  {user.username:<8} {role}{note}")
        self.stdout.write(
            f'New demo accounts sign in with the password "{DEMO_PASSWORD}". It is a demo '
            "password: do not keep these accounts on a server with real data."
        )
        if result.owner:
            self.stdout.write(f"Owner of {city.name}: {result.owner} (the administrator).")
        else:
            self.stdout.write(f"{city.name} has no owner: no administrator account exists yet.")
