"""Health of PRIMA's parts, for ``/healthz``: a registry that apps fill and the shell reads.

An app registers a probe per component in its ``AppConfig.ready()``; a probe returns a
JSON-safe dict with at least ``"status"`` (``"ok"`` or ``"error"``) and should be cheap
(it runs on every health check). Lower layers never import the page that shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Probe = Callable[[], dict[str, Any]]
_probes: dict[str, Probe] = {}


def register(name: str, probe: Probe) -> Probe:
    """Register (or replace) the probe of component ``name``."""
    _probes[name] = probe
    return probe


def report() -> dict[str, dict[str, Any]]:
    """Every component's state; a probe that raises reports an error (no details)."""
    out: dict[str, dict[str, Any]] = {}
    for name, probe in _probes.items():
        try:
            out[name] = probe()
        except Exception as exc:
            logger.exception("health probe %s failed", name)
            out[name] = {"status": "error", "error": type(exc).__name__}
    return out
