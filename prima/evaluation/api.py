"""API: evaluation."""

from ninja import Router

from .postevent_api import router as postevent_router

router = Router(tags=["evaluation"])
router.add_router("", postevent_router)
