"""Public pages of the Supplement's catalogue of stakeholder types."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civitas.catalogue.models import CatalogueRelease, DefaultMatrixItem, StakeholderType
from civitas.catalogue.selectors import catalogue_types
from civitas.core.vocabulary import Level, LfaRole, MatrixDimension, Sector, TechnologyRole


def _labels(codes: Iterable[str], choices: type[TextChoices]) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(code, code)) for code in codes]


@dataclass
class CatalogueEntry:
    """A catalogue entry with its codes spelled out for a reader."""

    type: StakeholderType
    units: list["CatalogueEntry"] = field(default_factory=list)

    @property
    def levels(self) -> list[str]:
        return _labels(self.type.default_levels, Level)

    @property
    def sector(self) -> str:
        return str(dict(Sector.choices).get(self.type.default_sector, self.type.default_sector))

    @property
    def lfa_roles(self) -> list[str]:
        return _labels(self.type.default_lfa_roles, LfaRole)

    @property
    def technology_roles(self) -> list[str]:
        return _labels(self.type.default_technology_roles, TechnologyRole)

    def matches(self, query: str) -> bool:
        text = " ".join(
            [self.type.code, self.type.name, self.type.definition, self.type.clause, self.sector]
        )
        return query.lower() in text.lower()


def _release() -> CatalogueRelease | None:
    return CatalogueRelease.objects.order_by("-version").first()


def catalogue_list(request: HttpRequest) -> HttpResponse:
    """Browse the 12 generic types with their units, optionally filtered by a text."""
    query = request.GET.get("q", "").strip()[:100]
    entries = [CatalogueEntry(stakeholder_type) for stakeholder_type in catalogue_types()]
    units: dict[int, list[CatalogueEntry]] = defaultdict(list)
    for entry in entries:
        if entry.type.parent_id is not None:
            units[entry.type.parent_id].append(entry)
    generic = [entry for entry in entries if entry.type.parent_id is None]
    shown = []
    for entry in generic:
        entry_matches = not query or entry.matches(query)
        entry.units = [
            unit for unit in units[entry.type.pk] if entry_matches or unit.matches(query)
        ]
        if entry_matches or entry.units:
            shown.append(entry)
    return render(
        request,
        "catalogue/catalogue_list.html",
        {
            "entries": shown,
            "query": query,
            "total": len(entries),
            "release": _release(),
        },
    )


def catalogue_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show one catalogue entry: definition, clause, defaults and default matrix items."""
    stakeholder_type = catalogue_types(with_matrix=True).filter(code=code).first()
    if stakeholder_type is None:
        raise Http404("No catalogue entry has this code.")
    items: dict[str, list[DefaultMatrixItem]] = defaultdict(list)
    for item in stakeholder_type.matrix.all():
        items[item.dimension].append(item)
    matrix = [(label, items.get(value, [])) for value, label in MatrixDimension.choices]
    units = [CatalogueEntry(unit) for unit in stakeholder_type.units.order_by("position")]
    return render(
        request,
        "catalogue/catalogue_detail.html",
        {
            "entry": CatalogueEntry(stakeholder_type),
            "matrix": matrix,
            "units": units,
            "release": _release(),
        },
    )
