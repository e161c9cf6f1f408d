"""Planning's endpoints: one router, made of each capability's (mounted by api.api)."""

from __future__ import annotations

from ninja import Router

from ettervern.planning.checklist.api import router as checklist_router
from ettervern.planning.crisis.api import router as crisis_router
from ettervern.planning.mapping.api import router as mapping_router
from ettervern.planning.plan.api import router as plan_router

router = Router()
router.add_router("", checklist_router)
router.add_router("", plan_router)
router.add_router("", crisis_router)
router.add_router("", mapping_router)
