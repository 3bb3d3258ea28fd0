"""What monitoring announces to the layers above it (Django signals).

Monitoring never imports the apps that build on it: it sends these signals, and a higher
app (the crisis playbook's storm detection) connects receivers in its ``AppConfig.ready``.
Receivers run in the sender's process, after the sender's work is committed; they are
called with ``send_robust``, so a failing receiver is logged and never breaks ingestion
or the scheduler.

- :data:`mentions_stored` — an ingestion job finished and stored mentions (``office_id``,
  ``job_id``, ``accepted``).
- :data:`scheduler_ticked` — the monitoring scheduler ran one round (``now``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.dispatch import Signal

logger = logging.getLogger(__name__)

mentions_stored = Signal()
scheduler_ticked = Signal()


def _send(signal: Signal, **kwargs: Any) -> None:
    for receiver, result in signal.send_robust(sender="monitoring", **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "monitoring hook receiver %r failed",
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )


def announce_mentions_stored(office_id: int, job_id: int, accepted: int) -> None:
    """Tell the layers above that a job stored ``accepted`` new mentions (none: silent)."""
    if accepted:
        _send(mentions_stored, office_id=office_id, job_id=job_id, accepted=accepted)


def announce_tick(now: datetime) -> None:
    """Tell the layers above that the scheduler ran a round at ``now``."""
    _send(scheduler_ticked, now=now)
