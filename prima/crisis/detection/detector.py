"""The streaming storm detector (see ``MODEL_CARD.md`` for the method and its figures)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .settings import DetectorSettings

# Bumped whenever the layout or meaning of the state changes: a state written by another
# version is not trusted and learning starts afresh (see Detector.step).
STATE_VERSION = 1

Timestamp = datetime | float | int


@dataclass(frozen=True)
class StepResult:
    """What one point did: its anomaly score (0…1), whether a burst starts here, the
    state to keep for the next point."""

    score: float
    alarm: bool
    state: dict[str, Any]


def epoch_seconds(timestamp: Timestamp) -> float:
    """Seconds since the epoch; a naive datetime counts as UTC (only differences and the
    phase within a day or week matter to the detector)."""
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=UTC)
        return timestamp.timestamp()
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        raise TypeError(f"timestamp must be a datetime or epoch seconds, got {timestamp!r}")
    return float(timestamp)


class Detector:
    """Reads one series in time order, one point at a time, never looking ahead.

    The whole memory of a series is the state dict returned with each step: small, JSON-
    serialisable, never mutated in place. Feed it back with the next point::

        detector = Detector(SHIPPED_SETTINGS)
        state = detector.initial_state()
        for timestamp, value in series:
            result = detector.step(state, timestamp, value)
            state = result.state

    Empty buckets must be fed as zeros: the detector sees only the points it is given.
    """

    def __init__(self, settings: DetectorSettings) -> None:
        self.settings = settings

    def initial_state(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "n": 0,
            "t": None,
            "fast": 0.0,
            "mean": 0.0,
            "var": 0.0,
            "armed": True,
            "calm": 0,
        }

    def step(self, state: dict[str, Any], timestamp: Timestamp, value: float) -> StepResult:
        """Score one point. Raises ValueError for a non-finite value or a timestamp that
        does not come after the previous one. A state from another detector version is
        replaced by a fresh one (the series is learnt again)."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, got {value!r}")
        t = epoch_seconds(timestamp)
        if state.get("v") != STATE_VERSION:
            state = self.initial_state()
        if state["t"] is not None and t <= state["t"]:
            raise ValueError("timestamps must increase: each point must come after the last")
        s = self.settings
        st = dict(state)
        n = st["n"]
        if n == 0:
            st["fast"] = value
            st["mean"] = value
            st["var"] = 0.0
            raw = 0.0
        else:
            fast = st["fast"] + s.fast_alpha * (value - st["fast"])
            mean, var = st["mean"], st["var"]
            spread = math.sqrt(var) + 1e-9 * (abs(mean) + 1.0)
            z = abs(fast - mean) / spread
            # Two-sided Gaussian tail probability, on a log scale: p = 1e-8 scores 1.
            p = math.erfc(z / math.sqrt(2.0))
            raw = min(1.0, -math.log10(max(p, 1e-300)) / 8.0)
            # Background estimates learn slowly and, once warm, are shielded from the
            # burst itself so a storm does not become the new normal at once.
            weight = s.slow_alpha if n >= s.warmup else 1.0 / (n + 1)
            if n >= s.warmup:
                step_value = max(min(value, mean + 4 * spread), mean - 4 * spread)
            else:
                step_value = value
            delta = step_value - mean
            mean += weight * delta
            var = (1 - weight) * (var + weight * delta * delta)
            st.update(fast=fast, mean=mean, var=var)
        st["n"] = n + 1
        st["t"] = t
        score, alarm = self._gate(st, raw if n >= s.warmup else 0.0)
        return StepResult(score=score, alarm=alarm, state=st)

    def _gate(self, st: dict[str, Any], raw: float) -> tuple[float, bool]:
        """One alarm per burst: after an alarm the score stays under the threshold until
        the series has been calm for a while."""
        s = self.settings
        if st["armed"]:
            if raw >= s.threshold:
                st["armed"] = False
                st["calm"] = 0
                return raw, True
            return raw, False
        st["calm"] = st["calm"] + 1 if raw < s.rearm_level else 0
        if st["calm"] >= s.calm_points:
            st["armed"] = True
        return min(raw, s.rearm_level), False

    def score_series(
        self, timestamps: Sequence[Timestamp] | Iterable[Timestamp], values: Iterable[float]
    ) -> list[float]:
        """Scores of a whole series, exactly as stepping through it point by point."""
        state = self.initial_state()
        scores: list[float] = []
        for timestamp, value in zip(timestamps, values, strict=True):
            result = self.step(state, timestamp, value)
            state = result.state
            scores.append(result.score)
        return scores
