"""API for the registry, contact persons, categorizations, the analysis matrix and reports."""

from ninja import Router

from civitas.stakeholders.api import analysis, registry

router = Router()
router.add_router("", registry.router)
router.add_router("", analysis.router)
