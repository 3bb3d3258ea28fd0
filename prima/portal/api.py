"""API: public portal."""

from ninja import Router

router = Router(tags=["portal"])
