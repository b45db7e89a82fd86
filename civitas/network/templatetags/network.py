"""Template tags of the network app: the relationships section of a stakeholder's page."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from civitas.network.selectors import relationship_list
from civitas.network.vocabulary import KIND_STYLES

register = template.Library()


@register.inclusion_tag("network/_stakeholder_relationships.html", takes_context=True)
def stakeholder_relationships(context: Any, stakeholder: Any) -> dict[str, Any]:
    """Render a stakeholder's relationships, each said from this stakeholder's side."""
    request = context["request"]
    user = request.user
    city = stakeholder.city
    rows = []
    for relationship in relationship_list(city=city, user=user, stakeholder=stakeholder):
        if relationship.source_id == stakeholder.pk:
            other, label = relationship.target, relationship.get_kind_display().lower()
        elif relationship.is_mutual:
            other, label = relationship.source, relationship.get_kind_display().lower()
        else:
            other, label = relationship.source, KIND_STYLES[relationship.kind].passive
        rows.append({"relationship": relationship, "other": other, "label": label})
    can_change = user.has_perm("network.change_relationship", stakeholder)
    is_editor = user.has_perm("network.change_relationship", city)
    here = request.get_full_path()
    add_query = urlencode({"source": stakeholder.pk, "next": here})
    return {
        "city": city,
        "stakeholder": stakeholder,
        "rows": rows,
        "can_add": can_change and stakeholder.archived_at is None,
        "can_change": can_change,
        "is_editor": is_editor,
        "here": here,
        "add_url": f"{reverse('network:relationship_create', args=[city.slug])}?{add_query}",
        "map_url": f"{reverse('network:map', args=[city.slug])}?focus={stakeholder.pk}",
    }
