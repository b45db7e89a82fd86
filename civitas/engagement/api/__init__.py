"""API for engagement: members' records under /cities/{slug}/, public pages under /public/."""

from ninja import Router

from civitas.engagement.api import activities, contributions, disclosures, grievances, public

router = Router()
router.add_router("", activities.router)
router.add_router("", disclosures.router)
router.add_router("", contributions.router)
router.add_router("", grievances.router)
router.add_router("", public.router)
