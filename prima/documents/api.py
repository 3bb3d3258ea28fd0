"""API: documents."""

from ninja import Router

router = Router(tags=["documents"])
