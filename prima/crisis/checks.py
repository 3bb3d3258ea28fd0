"""System checks of the crisis playbook: storm detection must be able to run.

A missing or broken detector would silently detect nothing; Django's checks (run when a
server or worker starts and by ``manage.py check``) refuse it instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core import checks


@checks.register()
def storm_detector_runs(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    from . import streaming

    try:
        detector = streaming.make_detector()
        detector.step(detector.initial_state(), datetime(2025, 1, 1), 0.0)
    except Exception as exc:  # noqa: BLE001 - whatever breaks it, storms would go unseen
        return [
            checks.Error(
                f"The storm detector cannot run ({type(exc).__name__}: {exc}); "
                "no storm would raise a signal.",
                hint="Reinstall PRIMA: prima/crisis/detection/ and its settings.json must "
                "be importable.",
                id="crisis.E001",
            )
        ]
    return []
