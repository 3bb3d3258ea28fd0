"""API: crisis playbook."""

from ninja import Router

router = Router(tags=["crisis"])
