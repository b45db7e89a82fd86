"""Template helpers of engagement: labels of codes and the stakeholder page's section."""

from typing import Any

from django import template

from civitas.engagement.selectors import stakeholder_engagement
from civitas.stakeholders.models import Stakeholder

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """Return mapping[key], or the key itself when it is missing."""
    return mapping.get(key, key)


@register.inclusion_tag("engagement/_stakeholder_engagement.html", takes_context=True)
def engagement_of(context: Any, stakeholder: Stakeholder) -> dict[str, Any]:
    """Render a stakeholder's invitations, contributions and answers over time."""
    user = context.get("user")
    visible = user is not None and user.has_perm("engagement.view_engagement", stakeholder)
    return {
        "stakeholder": stakeholder,
        "entries": stakeholder_engagement(stakeholder=stakeholder) if visible else [],
        "visible": visible,
    }
