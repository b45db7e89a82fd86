"""`civitas city create`: add a city from the command line."""

from typing import Any

from django.core.management.base import CommandParser

from civitas.accounts.models import User
from civitas.cities.models import City, DevelopmentContext
from civitas.cities.services import city_create
from civitas.core.cli import CivitasCommand, fail


class Command(CivitasCommand):
    help = "Manage cities."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        create = subcommands.add_parser("create", help="Create a city.")
        create.add_argument("slug", help="Short name used in web addresses, e.g. 'lisbon'.")
        create.add_argument("--name", required=True, help="The city's name.")
        create.add_argument("--country", default="", help="ISO 3166-1 two-letter code, e.g. PT.")
        create.add_argument("--population", type=int, default=None, help="Number of residents.")
        create.add_argument(
            "--context",
            choices=DevelopmentContext.values,
            default="",
            help="Development context (§6): " + ", ".join(DevelopmentContext.values) + ".",
        )
        create.add_argument(
            "--owner", default="", help="Username of the person who will own the city."
        )

    def handle_create(self, **options: Any) -> None:
        slug = options["slug"].strip().lower()
        if City.objects.filter(slug=slug).exists():
            fail(f"A city with the slug '{slug}' already exists; choose another slug.")
        owner = None
        if options["owner"]:
            owner = User.objects.filter(username=options["owner"]).first()
            if owner is None:
                fail(f"No user named '{options['owner']}'. Create the user first.")
        population = options["population"]
        if population is not None and population < 0:
            fail("population: The population cannot be negative.")
        city = city_create(
            slug=slug,
            name=options["name"],
            country=options["country"],
            population=population,
            development_context=options["context"],
            by=owner,
        )
        self.stdout.write(f"Created the city {city.name} ({city.slug}).")
        if owner is not None:
            self.stdout.write(f"Owner: {owner.username}.")
        else:
            self.stdout.write("It has no owner yet: an administrator can open it and add members.")
