"""Check the names and parents a registry import gives, against the file and the registry."""

from typing import Any

from civitas.catalogue.models import StakeholderType
from civitas.core.imports import Problem
from civitas.stakeholders.imports.stakeholder_columns import PlannedRow


def check_names_and_parents(
    rows: list[PlannedRow],
    existing: list[dict[str, Any]],
    by_id: dict[int, dict[str, Any]],
    types: dict[str, StakeholderType],
    problems: list[Problem],
    unit: str,
) -> None:
    """Check names against the rest of the registry, and resolve and check parents."""
    in_file = {row.existing["id"] for row in rows if row.existing is not None}
    # The names the registry will hold: stakeholders the file leaves alone, then the file's.
    names: dict[str, Any] = {
        stakeholder["name"].lower(): stakeholder["id"]
        for stakeholder in existing
        if stakeholder["id"] not in in_file
    }
    for row in rows:
        taken = names.get(row.name.lower())
        if taken is not None and not isinstance(taken, PlannedRow):
            problems.append(
                Problem(
                    row.line,
                    "name",
                    f"Another stakeholder of this city (id {taken}) already has the name "
                    f"“{row.name}”.",
                    unit,
                )
            )
        names[row.name.lower()] = row
    type_of: dict[int, StakeholderType] = {t.pk: t for t in types.values()}
    for row in rows:
        if row.parent is None:
            continue
        if not row.parent:
            row.values["parent_id"] = None
            continue
        parent = names.get(row.parent.lower())
        if parent is None:
            problems.append(
                Problem(
                    row.line,
                    "parent",
                    f"No stakeholder named “{row.parent}” in the file or in the city.",
                    unit,
                )
            )
            continue
        if parent is row:
            problems.append(
                Problem(row.line, "parent", "A stakeholder cannot be its own parent.", unit)
            )
            continue
        row.parent_ref = parent
        parent_type = (
            parent.type if isinstance(parent, PlannedRow) else type_of[by_id[parent]["type_id"]]
        )
        own_type = row.type
        if own_type.parent_id and parent_type.pk not in (own_type.parent_id, own_type.pk):
            expected = type_of.get(own_type.parent_id)
            problems.append(
                Problem(
                    row.line,
                    "parent",
                    f"A “{own_type.name}” unit belongs to a stakeholder of type "
                    f"“{expected.name if expected else own_type.parent_id}”; “{row.parent}” is "
                    f"of type “{parent_type.name}”.",
                    unit,
                )
            )
    if not problems:
        _check_cycles(rows, by_id, problems, unit)


def _check_cycles(
    rows: list[PlannedRow], by_id: dict[int, dict[str, Any]], problems: list[Problem], unit: str
) -> None:
    """Refuse parents that would make a stakeholder its own ancestor."""
    row_of_id = {row.existing["id"]: row for row in rows if row.existing is not None}

    def parent_of(node: Any) -> Any:
        if isinstance(node, PlannedRow):
            if node.parent is not None:
                return node.parent_ref
            node = node.existing["id"] if node.existing else None
            if node is None:
                return None
            parent_id = by_id[node]["parent_id"]
        else:
            parent_id = by_id[node]["parent_id"]
        if parent_id is None:
            return None
        return row_of_id.get(parent_id, parent_id)

    def key(node: Any) -> Any:
        return id(node) if isinstance(node, PlannedRow) else ("stored", node)

    done: set[Any] = set()
    # The stored parents form no circle, so a new circle passes through a row that sets
    # a parent: walking up from those rows finds every one.
    for row in rows:
        if not row.parent:
            continue
        path: list[Any] = []
        position: dict[Any, int] = {}
        node: Any = row
        while node is not None and key(node) not in done:
            if key(node) in position:
                circle = path[position[key(node)] :]
                culprit = next(
                    (n for n in circle if isinstance(n, PlannedRow) and n.parent is not None), row
                )
                problems.append(
                    Problem(
                        culprit.line,
                        "parent",
                        f"“{culprit.parent}” is itself one of “{culprit.name}”'s units: the "
                        "parents would go round in a circle.",
                        unit,
                    )
                )
                break
            position[key(node)] = len(path)
            path.append(node)
            node = parent_of(node)
        done.update(key(node) for node in path)
