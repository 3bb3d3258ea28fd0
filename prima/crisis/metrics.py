"""How fast the office answered: per case, and over the office's real cases.

Per case, counted from the burst's start (and from the signal for what only starts
with it), against the targets:

- **signal**: burst start → end of the bucket that raised the first signal; target two
  buckets (the burst's own or the next one, ``docs/crisis.md``);
- **notified**: signal → first responder notified; target
  ``CRISIS_NOTIFY_TARGET_MINUTES``;
- **acknowledged**: signal → first acknowledgement; target the playbook's for the level;
- **first statement**: burst start → first approved public statement (holding statement
  of a conference opened from the case, a published clarification, a statement recorded
  by the PR lead or head); target the playbook's first-response time for the level.

Performance figures (:func:`performance`) use real cases only: exercises never count.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import configs
from .buckets import BUCKET
from .config import Config
from .models import Case, CaseQuerySet, Signal


@dataclass(frozen=True)
class Timing:
    code: str
    label: str | Promise
    start: datetime | None
    at: datetime | None
    target: timedelta

    @property
    def elapsed(self) -> timedelta | None:
        if self.start is None or self.at is None:
            return None
        return max(timedelta(0), self.at - self.start)

    @property
    def minutes(self) -> float | None:
        return None if self.elapsed is None else self.elapsed.total_seconds() / 60

    @property
    def target_minutes(self) -> float:
        return self.target.total_seconds() / 60

    def met(self, now: datetime) -> bool | None:
        """True within the target, False past it (also while still waiting past it),
        None while waiting within it."""
        if self.start is None:
            return None
        if self.at is not None:
            return self.at - self.start <= self.target
        return None if now - self.start <= self.target else False

    def due(self) -> datetime | None:
        return None if self.start is None else self.start + self.target


def first_signal(case: Case) -> Signal | None:
    return case.signals.order_by("raised_at", "bucket_start").first()


LABELS = {
    "signal": _("Signal"),
    "notified": _("Responder notified"),
    "acknowledged": _("Acknowledged"),
    "statement": _("First approved public statement"),
}


def timings(
    case: Case,
    signal: Signal | None = None,
    config: Config | None = None,
    *,
    signal_known: bool = False,
) -> list[Timing]:
    """The four timings of ``case`` (one query for the first signal, unless given or
    ``signal_known`` says the case has none)."""
    if signal is None and not signal_known:
        signal = first_signal(case)
    config = config or configs.current().parsed
    playbook = config.playbook(case.level)
    burst = case.burst_started_at
    detected = signal.bucket_start + BUCKET if signal is not None else None
    return [
        Timing("signal", LABELS["signal"], burst, detected, 2 * BUCKET),
        Timing(
            "notified",
            LABELS["notified"],
            case.signal_at,
            case.notified_at,
            timedelta(minutes=settings.CRISIS_NOTIFY_TARGET_MINUTES),
        ),
        Timing(
            "acknowledged",
            LABELS["acknowledged"],
            case.signal_at or case.opened_at,
            case.acknowledged_at,
            timedelta(minutes=playbook.ack_minutes),
        ),
        Timing(
            "statement",
            LABELS["statement"],
            burst,
            case.first_statement_at,
            timedelta(minutes=playbook.response_minutes),
        ),
    ]


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise
    cases: int
    median_minutes: float | None
    within_target: int


def performance(cases: CaseQuerySet, now: datetime) -> list[Figure]:
    """Median times and how many met their targets, over real cases (no exercises)."""
    rows = list(cases.performance().prefetch_related("signals"))
    config = configs.current().parsed
    per: dict[str, list[Timing]] = {}
    for case in rows:
        signals = sorted(case.signals.all(), key=lambda s: (s.raised_at, s.bucket_start))
        for timing in timings(case, signals[0] if signals else None, config, signal_known=True):
            if timing.minutes is not None:
                per.setdefault(timing.code, []).append(timing)
    out = []
    for code in ("signal", "notified", "acknowledged", "statement"):
        done = per.get(code, [])
        out.append(
            Figure(
                code=code,
                label=LABELS[code],
                cases=len(done),
                median_minutes=statistics.median(t.minutes for t in done if t.minutes is not None)
                if done
                else None,
                within_target=sum(1 for t in done if t.met(now)),
            )
        )
    return out
