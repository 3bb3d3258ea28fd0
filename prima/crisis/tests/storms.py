"""Synthetic mention-volume series for the detector tests: 5-minute counts of mentions
with a daily and a weekly rhythm (Poisson noise), optionally with planted bursts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np

BUCKET = timedelta(minutes=5)
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday


def rhythm(index: int, base: float) -> float:
    """Expected mentions in bucket ``index``: quiet nights, busy days, quieter weekends."""
    moment = START + index * BUCKET
    hour = moment.hour + moment.minute / 60
    daily = 0.25 + 0.75 * max(0.0, math.sin(math.pi * (hour - 5) / 18)) if 5 <= hour <= 23 else 0.25
    weekly = 0.6 if moment.weekday() >= 5 else 1.0
    return base * daily * weekly


def mention_series(
    days: int,
    base: float = 20.0,
    bursts: tuple[tuple[int, int, float], ...] = (),
    seed: int = 7,
) -> tuple[list[datetime], list[float]]:
    """``days`` of 5-minute buckets; each burst is (first bucket, length, extra mentions
    per bucket)."""
    rng = np.random.default_rng(seed)
    count = days * 288
    rates = [rhythm(i, base) for i in range(count)]
    for first, length, extra in bursts:
        for i in range(first, min(count, first + length)):
            rates[i] += extra
    values = [float(v) for v in rng.poisson(rates)]
    return [START + i * BUCKET for i in range(count)], values
