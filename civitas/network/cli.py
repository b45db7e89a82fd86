"""`civitas export graph`: the subcommand the network app adds to `civitas export`."""

from typing import Any

from django.core.management.base import BaseCommand

from civitas.core.cli import add_format_argument, atomic_output
from civitas.network.formats import COLOURS, FORMATS, SIZES
from civitas.network.maps import graph_export
from civitas.network.vocabulary import Grouping, RelationshipKind


def add_graph_subcommand(subcommands: Any) -> None:
    """Add `graph` to the subcommands of `civitas export`."""
    from civitas.reports.management.commands.export import add_city_argument, add_output_argument

    graph = subcommands.add_parser(
        "graph",
        help="The map of relationships as GraphML, GEXF, JSON, Kumu or SVG.",
        description="Write the map of relationships of a city (or of one initiative) with its "
        "metrics: GraphML and GEXF open in Gephi, networkx and igraph; json holds nodes and "
        "edges; kumu is Kumu's import format; svg draws the map with its positions.",
    )
    add_city_argument(graph)
    add_format_argument(graph, tuple(FORMATS))
    add_output_argument(graph)
    graph.add_argument("--initiative", default="", help="The initiative's map (name or id).")
    graph.add_argument(
        "--grouping", choices=[g for g in Grouping.values if g], default="",
        help="Group stakeholders by sector or type (positions and SVG boxes).",
    )  # fmt: skip
    graph.add_argument(
        "--kind", action="append", choices=RelationshipKind.values, default=[],
        help="Only this kind of relationship (repeat for several).",
    )  # fmt: skip
    graph.add_argument("--colour", choices=COLOURS, default="sector", help="SVG: colour by.")
    graph.add_argument("--size", choices=SIZES, default="power", help="SVG: size by.")


def run_graph_subcommand(command: BaseCommand, **options: Any) -> None:
    """Write the graph `civitas export graph` asked for."""
    from civitas.reports.management.commands.export import city_by_slug, initiative_of

    city = city_by_slug(options["city"])
    initiative = initiative_of(city, options["initiative"]) if options["initiative"] else None
    format, output = options["format"], options["output"]
    content = graph_export(
        format,
        city=city,
        user=None,
        initiative=initiative,
        grouping=options["grouping"],
        kinds=set(options["kind"]) or None,
        colour_by=options["colour"],
        size_by=options["size"],
    )
    if not output:
        command.stdout.write(content.decode(), ending="")
        return
    with atomic_output(output, binary=True) as file:
        file.write(content)
    command.stdout.write(f"Wrote the map of {city.name} as {format} to {output}.")
