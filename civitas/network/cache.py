"""Keep a map's metrics and computed positions until its graph changes.

Each map (a city, or one initiative, for one audience) has one cache row, valid for the
graph digest (`Network.fingerprint`) it was computed from. Relationship services also drop
a city's rows when they write; a stakeholder archived, merged or made confidential changes
the digest, so no stale map is ever served.
"""

from django.db import IntegrityError, transaction

from civitas.cities.models import City, Initiative
from civitas.network.analytics import Metrics, compute_metrics
from civitas.network.graph import Network
from civitas.network.layout import Positions, compute_layout
from civitas.network.models import NetworkCache


def cached_state(
    network: Network,
    *,
    city: City,
    initiative: Initiative | None,
    audience: str,
    grouping: str | None = None,
) -> tuple[Metrics, Positions | None]:
    """Return the map's metrics, and its positions for `grouping` when one is asked for.

    One query when the cache is fresh; what is missing is computed and stored.
    """
    fingerprint = network.fingerprint()
    row = NetworkCache.objects.filter(city=city, initiative=initiative, audience=audience).first()
    fresh = row is not None and row.fingerprint == fingerprint
    metrics_json = row.metrics if fresh and row is not None else {}
    layouts = dict(row.layouts) if fresh and row is not None else {}
    changed = False
    if metrics_json:
        metrics = Metrics.from_json(metrics_json)
    else:
        metrics = compute_metrics(network)
        metrics_json = metrics.as_json()
        changed = True
    positions: Positions | None = None
    if grouping is not None:
        stored = layouts.get(grouping)
        if stored is None:
            positions = compute_layout(network, grouping)
            layouts[grouping] = {str(pk): [x, y] for pk, (x, y) in positions.items()}
            changed = True
        else:
            positions = {int(pk): (x, y) for pk, (x, y) in stored.items()}
    if changed:
        _store(row, city, initiative, audience, fingerprint, metrics_json, layouts)
    return metrics, positions


def _store(
    row: NetworkCache | None,
    city: City,
    initiative: Initiative | None,
    audience: str,
    fingerprint: str,
    metrics: dict[str, object],
    layouts: dict[str, object],
) -> None:
    if row is None:
        row = NetworkCache(city=city, initiative=initiative, audience=audience)
    row.fingerprint = fingerprint
    row.metrics = metrics
    row.layouts = layouts
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # Another request cached the same map at the same moment: its copy will do.
        pass
