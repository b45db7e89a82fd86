"""Web pages of the registry, categorization and analysis matrix."""

from civitas.stakeholders.views.categorization import (
    categorization_delete_view,
    categorize_view,
    figure2_svg_view,
    grid_svg_view,
    initiative_categorization_view,
)
from civitas.stakeholders.views.contacts import (
    contact_add_view,
    contact_delete_view,
    contact_edit_view,
)
from civitas.stakeholders.views.detail import stakeholder_detail_view
from civitas.stakeholders.views.matrix import (
    matrix_add_view,
    matrix_default_dismiss_view,
    matrix_default_edit_view,
    matrix_default_restore_view,
    matrix_item_delete_view,
    matrix_item_edit_view,
)
from civitas.stakeholders.views.overview import completeness_view, summary_view
from civitas.stakeholders.views.registry import (
    stakeholder_archive_view,
    stakeholder_create_view,
    stakeholder_delete_view,
    stakeholder_edit_view,
    stakeholder_list_view,
    stakeholder_merge_view,
    start_view,
)

__all__ = [
    "categorization_delete_view",
    "categorize_view",
    "completeness_view",
    "contact_add_view",
    "contact_delete_view",
    "contact_edit_view",
    "figure2_svg_view",
    "grid_svg_view",
    "initiative_categorization_view",
    "matrix_add_view",
    "matrix_default_dismiss_view",
    "matrix_default_edit_view",
    "matrix_default_restore_view",
    "matrix_item_delete_view",
    "matrix_item_edit_view",
    "stakeholder_archive_view",
    "stakeholder_create_view",
    "stakeholder_delete_view",
    "stakeholder_detail_view",
    "stakeholder_edit_view",
    "stakeholder_list_view",
    "stakeholder_merge_view",
    "start_view",
    "summary_view",
]
