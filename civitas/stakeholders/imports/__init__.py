"""Importers for the registry, categorizations and the analysis matrix (issue 3).

Each reads a civitas.core.imports.Table, checks every row first, collects every problem
with its line and column, and writes all rows in one transaction, or nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from civitas.core.imports import ImportResult
from civitas.stakeholders.imports import categorizations, matrix, registry
from civitas.stakeholders.imports._common import Column
from civitas.stakeholders.imports.categorizations import categorization_import
from civitas.stakeholders.imports.matrix import matrix_import
from civitas.stakeholders.imports.registry import stakeholder_import


@dataclass(frozen=True)
class Importer:
    """One kind of import: its columns, its template and the function that runs it."""

    kind: str
    label: str
    columns: tuple[Column, ...]
    template_columns: tuple[str, ...]
    run: Callable[..., ImportResult]
    sheet_names: tuple[str, ...]
    permissions: tuple[str, ...]
    needs_initiative: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def template(self) -> tuple[list[str], list[str]]:
        """Return the template's header and its example row."""
        header = list(self.template_columns)
        return header, [self.column(name).example for name in header]

    def documented_columns(self) -> list[Column]:
        """Return the columns people may use, the template's first."""
        rest = [c for c in self.columns if c.name not in self.template_columns]
        return [self.column(name) for name in self.template_columns] + rest


IMPORTERS: dict[str, Importer] = {
    "stakeholders": Importer(
        "stakeholders",
        "Stakeholders (the registry)",
        registry.COLUMNS,
        registry.TEMPLATE_COLUMNS,
        stakeholder_import,
        ("stakeholders", "registry"),
        ("stakeholders.add_stakeholder", "stakeholders.change_stakeholder"),
    ),
    "categorizations": Importer(
        "categorizations",
        "Categorizations (roles, power, interest, attitude per initiative)",
        categorizations.COLUMNS,
        categorizations.TEMPLATE_COLUMNS,
        categorization_import,
        ("categorizations", "categorization"),
        ("stakeholders.categorize",),
        needs_initiative=True,
    ),
    "matrix": Importer(
        "matrix",
        "Analysis matrix items",
        matrix.COLUMNS,
        matrix.TEMPLATE_COLUMNS,
        matrix_import,
        ("matrix", "analysis matrix"),
        ("stakeholders.change_matrix",),
    ),
}


def register_importer(importer: Importer) -> None:
    """Offer another kind of import (a later issue's records) in the pages, API and CLI."""
    IMPORTERS[importer.kind] = importer


def importers_for(user: Any, city: Any) -> list[Importer]:
    """Return the kinds of import the user may run in the city."""
    return [
        importer
        for importer in IMPORTERS.values()
        if all(user.has_perm(permission, city) for permission in importer.permissions)
    ]


def run_import(kind: str, **arguments: Any) -> ImportResult:
    """Run the importer of a kind with its arguments."""
    return IMPORTERS[kind].run(**arguments)


__all__ = [
    "IMPORTERS",
    "Importer",
    "importers_for",
    "register_importer",
    "categorization_import",
    "matrix_import",
    "run_import",
    "stakeholder_import",
]
