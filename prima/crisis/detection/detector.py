"""The streaming storm detector (see ``MODEL_CARD.md`` for the method and its figures).

Per point, in time order:

1. **Expectation.** A robust local level plus a daily profile (``day_bins`` bins over the
   24 hours, linearly interpolated) predicts the value; the residual is divided by a
   robust per-bin scale (mean absolute residual, with floors from the series' global
   residual level and long-run volatility), giving a z-score. Residuals are clipped
   before they update the model, so a storm does not become the new normal at once.
2. **Tests.** Six statistics, each one-sided: the point z-score, a short and a longer
   exponentially weighted mean of the clipped z-scores (scaled to unit variance), each
   upwards and downwards.
3. **Calibration against the series' own past.** Each statistic keeps the peaks of its
   ``memory_size`` largest past episodes (an episode is a run of the statistic above
   ``episode_end``), decaying with ``memory_points``. A statistic is surprising when it
   exceeds both ``significance_floor`` and ``margin`` × the smallest remembered peak:
   what has happened several times before is not a storm, whatever its size.
4. **One alarm per burst.** The score is the largest ratio of a statistic to its bar,
   mapped so that the ratio 1 lands on ``threshold``. The first point that reaches the
   threshold alarms; afterwards the score is held under the threshold until the series
   has been calm (ratio under ``rearm_level`` for ``calm_points`` points, and at least
   ``refractory_points`` points since the alarm). So an alarm is exactly a score at or
   above the threshold. Drops must go ``drop_factor`` times further than rises.
5. **Relative entropy** (Wang et al. 2011, NAB's "relativeEntropy" baseline), when
   ``entropy_window`` > 0: the histogram of the last ``entropy_window`` raw values (bins
   over the running minimum..maximum) is compared with up to ``entropy_hypotheses``
   remembered histograms; a histogram unlike all of them (smallest relative entropy over
   the chi-squared bar at 1 %) becomes a new hypothesis. That smallest relative entropy
   over the bar, divided by ``entropy_bar``, is one more ratio, counted only at a point
   above the expectation (a rise): the largest ratio of all tests makes the score and
   goes through the same one-alarm gate.

Everything the detector knows about a series is the state dict: about 400 numbers, JSON-
serialisable, never mutated in place. After an alarm, ``state["direction"]`` says whether
it was a rise (1) or a drop (-1) against the expectation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .settings import DetectorSettings

# Bumped whenever the layout or meaning of the state changes: a state written by another
# version is not trusted and learning starts afresh (see Detector.step).
STATE_VERSION = 3

Timestamp = datetime | float | int

# Mean absolute deviation of a normal variable, in standard deviations: sqrt(2/pi).
_MAD_TO_SD = 1.2533141373155003
_DAY = 86400.0
# An empty memory slot (JSON has no -inf).
_EMPTY = -1.0e9
# Number of one-sided statistics: point, short and long mean; each up and down.
_STATS = 6
# Upper 1 % point of the chi-squared distribution by degrees of freedom (bins - 1).
_CHI2_99 = (6.6349, 9.2103, 11.3449, 13.2767, 15.0863, 16.8119, 18.4753, 20.0902, 21.6660)


@dataclass(frozen=True)
class StepResult:
    """What one point did: its anomaly score (0…1), whether a burst starts here, the
    state to keep for the next point."""

    score: float
    alarm: bool
    state: dict[str, Any]


def epoch_seconds(timestamp: Timestamp) -> float:
    """Seconds since the epoch; a naive datetime counts as UTC (only differences and the
    phase within a day matter to the detector)."""
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
        bins = self.settings.day_bins
        return {
            "v": STATE_VERSION,
            "n": 0,
            "t": None,
            "t0": None,
            "warm": False,
            "level": 0.0,
            "season": [0.0] * bins,
            "scale": [0.0] * bins,
            "seen": [0.0] * bins,
            "spread": 0.0,
            "mean": 0.0,
            "volatility": 0.0,
            "short": 0.0,
            "long": 0.0,
            # Per statistic: the log of each remembered episode peak plus its age offset
            # (see _advance), and the peak of the episode under way.
            "memory": [[_EMPTY] * self.settings.memory_size for _ in range(_STATS)],
            "episode": [0.0] * _STATS,
            "armed": True,
            "calm": 0,
            "since": 0,
            # Of the last alarm: 1 for a rise above the expectation, -1 for a drop.
            "direction": 0,
            # Relative-entropy test: the last values, their running range, the remembered
            # histograms and how often each was seen again.
            "kbuf": [],
            "klo": 0.0,
            "khi": 0.0,
            "khyp": [],
            "kcnt": [],
        }

    def step(self, state: dict[str, Any], timestamp: Timestamp, value: float) -> StepResult:
        """Score one point. Raises ValueError for a non-finite value or a timestamp
        earlier than the previous one. A repeated timestamp is accepted as the next point
        (recorded series repeat a time stamp when clocks change): the caller must not feed
        the same bucket twice. A state from another detector version, or one made with
        other settings' shape, is replaced by a fresh one (the series is learnt again)."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, got {value!r}")
        t = epoch_seconds(timestamp)
        state = _upgrade(state)
        if not self._compatible(state):
            state = self.initial_state()
        if state["t"] is not None and t < state["t"]:
            raise ValueError("timestamps must not go backwards: points come in time order")
        work = _copy_state(state)
        score, alarm = self._advance(work, t, value)
        return StepResult(score=score, alarm=alarm, state=work)

    def score_series(self, timestamps: Iterable[Timestamp], values: Iterable[float]) -> list[float]:
        """Scores of a whole series, exactly as stepping through it point by point (the
        same arithmetic on one working state, without copying it at every point)."""
        work = self.initial_state()
        scores: list[float] = []
        for timestamp, value in zip(timestamps, values, strict=True):
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"value must be a finite number, got {value!r}")
            t = epoch_seconds(timestamp)
            if work["t"] is not None and t < work["t"]:
                raise ValueError("timestamps must not go backwards: points come in time order")
            scores.append(self._advance(work, t, value)[0])
        return scores

    def _compatible(self, state: dict[str, Any]) -> bool:
        try:
            return (
                state.get("v") == STATE_VERSION
                and len(state["season"]) == self.settings.day_bins
                and len(state["memory"][0]) == self.settings.memory_size
                and isinstance(state["kbuf"], list)
            )
        except (KeyError, TypeError, IndexError):
            return False

    def _advance(self, st: dict[str, Any], t: float, y: float) -> tuple[float, bool]:
        """Move the working state ``st`` (mutated) past one point; return its score and
        whether it alarms."""
        s = self.settings
        n = st["n"]
        st["t"] = t
        st["n"] = n + 1
        entropy = self._entropy(st, y, n == 0) if s.entropy_window else 0.0
        if n == 0:
            st["t0"] = t
            st["level"] = y
            st["mean"] = y
            return 0.0, False
        warm = st["warm"]
        young = n < s.warmup

        season, scale, seen = st["season"], st["scale"], st["seen"]
        bins = len(season)
        phase = (t % _DAY) / _DAY * bins - 0.5
        low = math.floor(phase)
        w1 = phase - low
        w0 = 1.0 - w1
        b0 = int(low) % bins
        b1 = (b0 + 1) % bins

        # 1. Expectation and z-score.
        level = st["level"]
        expected_season = w0 * season[b0] + w1 * season[b1]
        predicted = level + expected_season
        tiny = 1e-9 * (abs(level) + 1.0)
        local = w0 * scale[b0] + w1 * scale[b1]
        if young or local <= 0.0:
            spread = max(st["spread"], tiny)
        else:
            spread = max(local, 0.1 * st["spread"], s.volatility_floor * st["volatility"], tiny)
        z = (y - predicted) / (_MAD_TO_SD * spread)
        clipped = max(-s.clip, min(s.clip, z))
        short = st["short"] + s.short_rate * (clipped - st["short"])
        long = st["long"] + s.long_rate * (clipped - st["long"])
        st["short"], st["long"] = short, long

        # 2. Statistics and 3. their bars.
        short_z = short * math.sqrt((2.0 - s.short_rate) / s.short_rate)
        long_z = long * math.sqrt((2.0 - s.long_rate) / s.long_rate)
        stats = (z, -z, short_z, -short_z, long_z, -long_z)
        memory, episode = st["memory"], st["episode"]
        # Remembered peaks decay by exp(-1/memory_points) a point. All of a statistic's
        # peaks decay alike, so they are stored as log(peak) + age offset and compared
        # with log(value) + n / memory_points: nothing needs updating as time passes.
        age = n / s.memory_points
        recording = not young
        ratio = 0.0
        strongest = 0
        for j in range(_STATS):
            value = stats[j]
            slots = memory[j]
            weakest = min(slots)
            remembered = math.exp(weakest - age) if weakest > _EMPTY else 0.0
            bar = max(s.significance_floor, s.margin * remembered)
            if j % 2:
                bar *= s.drop_factor
            if value > 0.0 and value / bar > ratio:
                ratio = value / bar
                strongest = j
            if recording:
                if value > episode[j]:
                    episode[j] = value
                if value < s.episode_end and episode[j] > 0.0:
                    peak = math.log(episode[j]) + age
                    if peak > weakest:
                        slots[slots.index(weakest)] = peak
                    episode[j] = 0.0

        # Model updates, from the clipped residual.
        fitted = predicted + clipped * _MAD_TO_SD * spread
        level += s.level_rate * (fitted - expected_season - level)
        st["level"] = level
        seen[b0] += w0
        seen[b1] += w1
        error = fitted - level - expected_season
        season[b0] += max(s.season_rate, 1.0 / (1.0 + seen[b0])) * w0 * error
        season[b1] += max(s.season_rate, 1.0 / (1.0 + seen[b1])) * w1 * error
        residual = abs(fitted - predicted)
        rate = 1.0 / (n + 1) if young else s.scale_rate
        st["spread"] += rate * (residual - st["spread"])
        scale[b0] += max(s.scale_rate, 1.0 / (1.0 + seen[b0])) * w0 * (residual - scale[b0])
        scale[b1] += max(s.scale_rate, 1.0 / (1.0 + seen[b1])) * w1 * (residual - scale[b1])
        # Visits only matter while the bins are young; keep the numbers small.
        cap = 1.0 / min(s.season_rate, s.scale_rate)
        if seen[b0] > cap:
            seen[b0] = cap
        if seen[b1] > cap:
            seen[b1] = cap
        rate = max(s.volatility_rate, 1.0 / (n + 1))
        st["volatility"] += rate * (abs(y - st["mean"]) - st["volatility"])
        st["mean"] += rate * (y - st["mean"])

        # 4. Score and gate.
        st["since"] += 1
        if not warm:
            # Learning: no score and no alarm until the warm-up has passed (episodes are
            # remembered from ``warmup`` points on, so the bars are set by then).
            st["warm"] = n + 1 >= s.warmup and t - st["t0"] >= s.warmup_hours * 3600.0
            return 0.0, False
        if entropy > ratio and z > 0.0:
            # The histogram has no direction: it counts only for a point above the
            # expectation (as a drop it cost a storm on the synthetic mention volumes).
            ratio = entropy
            strongest = 0
        score = min(1.0, s.threshold * ratio)
        if st["armed"]:
            if ratio >= 1.0:
                st["armed"] = False
                st["calm"] = 0
                st["since"] = 0
                # Even statistics are rises above the expectation, odd ones drops.
                st["direction"] = -1 if strongest % 2 else 1
                return score, True
            return score, False
        st["calm"] = st["calm"] + 1 if ratio < s.rearm_level else 0
        if st["calm"] >= s.calm_points and st["since"] >= s.refractory_points:
            st["armed"] = True
        return min(score, s.threshold * s.rearm_level), False

    def _entropy(self, st: dict[str, Any], y: float, first: bool) -> float:
        """Step the relative-entropy test (``st`` mutated); return its ratio to its bar."""
        s = self.settings
        width_points, bins = s.entropy_window, s.entropy_bins
        buffer: list[float] = st["kbuf"]
        buffer.append(y)
        if len(buffer) > width_points:
            del buffer[0]
        if first:
            st["klo"] = st["khi"] = y
        else:
            st["klo"] = min(st["klo"], y)
            st["khi"] = max(st["khi"], y)
        if len(buffer) < width_points:
            return 0.0
        low = st["klo"]
        width = (st["khi"] - low) / bins or 1.0
        counts = [0] * bins
        for value in buffer:
            counts[min(bins - 1, int((value - low) / width))] += 1
        total = width_points + 0.5 * bins
        histogram = [(c + 0.5) / total for c in counts]
        bar = _CHI2_99[bins - 2] / (2.0 * width_points)
        hypotheses: list[list[float]] = st["khyp"]
        seen: list[int] = st["kcnt"]
        nearest, index = math.inf, -1
        for i, other in enumerate(hypotheses):
            divergence = 0.0
            for p, q in zip(histogram, other, strict=True):
                divergence += p * math.log(p / q)
            if divergence < nearest:
                nearest, index = divergence, i
        if index >= 0 and nearest < bar:
            seen[index] += 1
            return nearest / bar / s.entropy_bar
        if len(hypotheses) >= s.entropy_hypotheses:
            rarest = seen.index(min(seen))
            del hypotheses[rarest]
            del seen[rarest]
        hypotheses.append(histogram)
        seen.append(1)
        return nearest / bar / s.entropy_bar if index >= 0 else 0.0


def _upgrade(state: dict[str, Any]) -> dict[str, Any]:
    """A version-2 state (before the relative-entropy test) keeps everything it learnt;
    the relative-entropy test starts afresh from the current level (so a running series
    is not silent for a new warm-up)."""
    if not isinstance(state, dict) or state.get("v") != 2 or "kbuf" in state:
        return state
    level = float(state.get("level", 0.0))
    return {
        **state,
        "v": STATE_VERSION,
        "kbuf": [],
        "klo": level,
        "khi": level,
        "khyp": [],
        "kcnt": [],
    }


def _copy_state(state: dict[str, Any]) -> dict[str, Any]:
    work = dict(state)
    for key in ("season", "scale", "seen", "episode", "kbuf", "khyp", "kcnt"):
        work[key] = list(state[key])
    work["memory"] = [list(slots) for slots in state["memory"]]
    return work
