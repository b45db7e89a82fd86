"""`civitas analyze network`: the metrics, gaps and overlaps of a city's map of relationships."""

import textwrap
from typing import Any

from django.core.management.base import CommandParser

from civitas.core.cli import CivitasCommand, add_format_argument, table
from civitas.network.report import NetworkReport, network_report
from civitas.reports.management.commands.export import (
    add_city_argument,
    city_by_slug,
    initiative_of,
)

TOP = 15


class Command(CivitasCommand):
    help = "Analyse a city's data (the command line sees every stakeholder, confidential too)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        network = subcommands.add_parser(
            "network",
            help="Metrics, communities, brokers, gaps and overlaps of the map of relationships.",
            description="Analyse the map of relationships of a city, or of one initiative: "
            "degree, betweenness, PageRank and eigenvector centrality, Leiden communities, "
            "isolated stakeholders, brokers, influence without voice, the relationships the "
            "Supplement expects that are missing (gaps) and overlapping functions.",
        )
        add_city_argument(network)
        network.add_argument(
            "--initiative", default="", help="The initiative (name or id) whose map to analyse."
        )
        add_format_argument(network, ("json", "table"), default="table")
        network.add_argument(
            "--top",
            type=int,
            default=TOP,
            help=f"Table: how many stakeholders to rank by betweenness (default {TOP}).",
        )

    def handle_network(self, **options: Any) -> None:
        city = city_by_slug(options["city"])
        initiative = initiative_of(city, options["initiative"]) if options["initiative"] else None
        report = network_report(city=city, user=None, initiative=initiative)
        if options["format"] == "json":
            self.write_json(report.as_dict())
            return
        for line in report_lines(report, top=max(options["top"], 0)):
            self.stdout.write(line)


def _names(nodes: list[Any], limit: int = 30) -> str:
    names = ", ".join(node.name for node in nodes[:limit])
    if len(nodes) > limit:
        names += f", … ({len(nodes) - limit} more)"
    return names or "none"


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ")


def report_lines(report: NetworkReport, *, top: int = TOP) -> list[str]:
    """Return the analysis as lines of text for a terminal."""
    analysis = report.analysis
    metrics = analysis.metrics.nodes
    lines = [
        f"Map of {report.network.title}: {len(report.network.nodes)} stakeholders, "
        f"{len(report.network.edges)} relationships, {len(analysis.communities)} communities "
        f"(modularity {analysis.metrics.modularity:.2f}), density {analysis.density:.3f}.",
        "",
        f"Stakeholders by betweenness (top {top}):",
    ]
    rows = [
        (
            node.name,
            node.type_code,
            node.power,
            metrics[node.id].degree,
            f"{metrics[node.id].betweenness:.3f}",
            f"{metrics[node.id].pagerank:.4f}",
            f"{metrics[node.id].eigenvector:.3f}",
            metrics[node.id].community or "-",
        )
        for node, _ in report.ranked("betweenness", top)
    ]
    header = ("stakeholder", "type", "power", "degree", "betweenness", "pagerank", "eigenvector",
              "community")  # fmt: skip
    lines.extend(table(header, rows))
    lines.append("")
    lines.extend(_wrapped(f"Brokers ({len(analysis.brokers)}): {_names(analysis.brokers)}", ""))
    voiceless = [f"{node.name} (power {node.power})" for node in analysis.influence_without_voice]
    lines.extend(
        _wrapped(
            f"Influence without voice ({len(voiceless)}): {', '.join(voiceless) or 'none'}", ""
        )
    )
    lines.extend(_wrapped(f"Isolated ({len(analysis.isolated)}): {_names(analysis.isolated)}", ""))
    lines.append(f"Communities ({len(analysis.communities)}):")
    for community in analysis.communities:
        lines.extend(_wrapped(f"{community.number}. {_names(community.members, 12)}"))
    lines.append("")
    lines.append(f"Gaps ({len(report.gaps)}): relationships the Supplement expects")
    for gap in report.gaps:
        lines.extend(_wrapped(f"[{gap.rule.level}] {gap.message} ({gap.rule.clause})"))
    lines.append("")
    lines.append(f"Overlaps ({len(report.overlaps)}):")
    for overlap in report.overlaps:
        lines.extend(_wrapped(overlap.message))
    return lines
