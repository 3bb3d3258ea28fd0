"""API: service catalogue."""

from ninja import Router

router = Router(tags=["catalogue"])
