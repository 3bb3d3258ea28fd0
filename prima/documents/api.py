"""API: documents (each part adds its operations to the one router)."""

from ninja import Router

from .generation.api import router as generation_router
from .verification.api import router as verification_router

router = Router(tags=["documents"])
router.add_router("", verification_router)
router.add_router("", generation_router)
