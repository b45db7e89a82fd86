"""Load the shipped catalogue, idempotently; a newer version upgrades the old one."""

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from django.db import transaction

from civitas.catalogue.models import CatalogueRelease, DefaultMatrixItem, StakeholderType
from civitas.core.errors import ValidationError

TYPE_FIELDS = {
    "kind": "kind",
    "letter": "letter",
    "name": "name",
    "definition": "definition",
    "clause": "clause",
    "levels": "default_levels",
    "sector": "default_sector",
    "lfa_roles": "default_lfa_roles",
    "technology_roles": "default_technology_roles",
    "power_monetary": "default_power_monetary",
    "power_administrative": "default_power_administrative",
    "interest": "default_interest",
    "attitude": "default_attitude",
}
ITEM_FIELDS = ("dimension", "text", "clause")


@dataclass
class LoadResult:
    """What a catalogue load changed."""

    version: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed_items: int = 0
    skipped: bool = False
    messages: list[str] = field(default_factory=list)


def shipped_catalogue() -> dict[str, Any]:
    """Return the catalogue data shipped inside the package."""
    text = resources.files("civitas.catalogue").joinpath("data/catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def loaded_version() -> int | None:
    """Return the newest catalogue version in the database, if any."""
    return CatalogueRelease.objects.order_by("-version").values_list("version", flat=True).first()


@transaction.atomic
def catalogue_load(*, data: dict[str, Any] | None = None) -> LoadResult:
    """Create or update every catalogue entry and its default matrix items.

    Loading the same data again changes nothing. A city's stakeholders and its own matrix
    items are never touched: they only point at catalogue rows, which keep their ids.
    An older catalogue than the one loaded is refused rather than downgrading.
    """
    data = data if data is not None else shipped_catalogue()
    version = int(data["version"])
    current = loaded_version()
    if current is not None and version < current:
        return LoadResult(
            version=current,
            skipped=True,
            messages=[f"Catalogue v{current} is loaded; v{version} is older and was not loaded."],
        )
    result = LoadResult(version=version)
    existing = {t.code: t for t in StakeholderType.objects.all()}
    parents: dict[str, str | None] = {}
    for position, entry in enumerate(data["types"]):
        code = entry["code"]
        parents[code] = entry.get("parent")
        values = {model_field: entry.get(key) for key, model_field in TYPE_FIELDS.items()}
        values["letter"] = values["letter"] or ""
        values["position"] = position
        values["catalogue_version"] = version
        stakeholder_type = existing.get(code)
        if stakeholder_type is None:
            stakeholder_type = StakeholderType(code=code, **values)
            stakeholder_type.full_clean(exclude=["parent"])
            stakeholder_type.save()
            existing[code] = stakeholder_type
            result.created += 1
        elif _differs(stakeholder_type, values):
            for name, value in values.items():
                setattr(stakeholder_type, name, value)
            stakeholder_type.full_clean(exclude=["parent"])
            stakeholder_type.save()
            result.updated += 1
        else:
            result.unchanged += 1
    for code, parent_code in parents.items():
        stakeholder_type = existing[code]
        if parent_code and parent_code not in existing:
            raise ValidationError(
                f"Catalogue entry '{code}' names an unknown parent '{parent_code}'."
            )
        parent = existing[parent_code] if parent_code else None
        if stakeholder_type.parent_id != (parent.pk if parent else None):
            stakeholder_type.parent = parent
            stakeholder_type.save(update_fields=["parent"])
    _load_matrix(data, existing, result)
    CatalogueRelease.objects.update_or_create(
        version=version,
        defaults={
            "types": len(parents),
            "matrix_items": DefaultMatrixItem.objects.count(),
        },
    )
    return result


def _differs(instance: Any, values: dict[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())


def _load_matrix(
    data: dict[str, Any], types: dict[str, StakeholderType], result: LoadResult
) -> None:
    existing = {item.key: item for item in DefaultMatrixItem.objects.all()}
    seen: set[str] = set()
    for entry in data["types"]:
        stakeholder_type = types[entry["code"]]
        for position, raw in enumerate(entry.get("matrix", [])):
            key = raw["key"]
            if key in seen:
                raise ValidationError(f"Catalogue matrix key '{key}' appears twice.")
            seen.add(key)
            values = {name: raw.get(name, "") for name in ITEM_FIELDS}
            values["position"] = position
            item = existing.get(key)
            if item is None:
                item = DefaultMatrixItem(key=key, type=stakeholder_type, **values)
                item.full_clean(exclude=["type"])
                item.save()
            elif item.type_id != stakeholder_type.pk or _differs(item, values):
                item.type = stakeholder_type
                for name, value in values.items():
                    setattr(item, name, value)
                item.full_clean(exclude=["type"])
                item.save()
    # Items dropped from the catalogue go; a city's edits of them stay as its own items
    # (their `replaces` becomes empty), while its dismissals of them have nothing left to hide.
    from civitas.stakeholders.models import MatrixItem

    stale = DefaultMatrixItem.objects.exclude(key__in=seen)
    result.removed_items = stale.count()
    MatrixItem.objects.filter(replaces__in=stale, dismissed=True).delete()
    stale.delete()
