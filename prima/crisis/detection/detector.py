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
6. **Shape discords** (the left matrix profile, as in DAMP, Lu et al. 2022), when
   ``discord_block`` > 0: the series is averaged over blocks of ``discord_block`` points;
   when a block ends, the newest subsequence of ``discord_length`` block means is compared
   with the earlier ones that start ``discord_length`` to ``discord_history`` blocks before
   it — each mean-centred and divided by its deviation floored at ``discord_floor`` × the
   typical deviation at its time, so a change of level alone is no new shape and a quiet
   stretch's noise is not magnified. The distance to the nearest (held until the next block
   ends) becomes a z-score against its own past and is calibrated like the six statistics;
   its ratio, divided by ``discord_bar``, joins the others (rise or drop by the point's
   residual).

Everything the detector knows about a series is the state dict: about 700 numbers, JSON-
serialisable, never mutated in place. After an alarm, ``state["direction"]`` says whether
it was a rise (1) or a drop (-1) against the expectation, and ``state["armed"]`` stays
false while that burst lasts (no other alarm can come before the series has calmed down;
the crisis streaming keeps a small alarm waiting for its mentions that long).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .settings import DetectorSettings

# Bumped whenever the layout or meaning of the state changes: a state written by another
# version is not trusted and learning starts afresh (see Detector.step).
STATE_VERSION = 4

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
            **_fresh_discord(self.settings.memory_size),
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
                and isinstance(state["dbuf"], list)
                and len(state["dslots"]) == self.settings.memory_size
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
        # Episodes of the discord are remembered once the detector is warm, like the
        # other statistics' (see below).
        discord = self._discord(st, y, n) if s.discord_block else 0.0
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
            bar = self._bar(memory[j], age)
            if j % 2:
                bar *= s.drop_factor
            if value > 0.0 and value / bar > ratio:
                ratio = value / bar
                strongest = j
            if recording:
                episode[j] = self._remember(memory[j], episode[j], value, age)

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
        if discord / s.discord_bar > ratio:
            # A shape not seen in the history: a rise or a drop by the point's residual.
            ratio = discord / s.discord_bar
            strongest = 0 if z >= 0.0 else 1
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

    def _bar(self, slots: list[float], age: float) -> float:
        """A statistic's bar: ``significance_floor``, or ``margin`` × the weakest of its
        remembered episode peaks (stored as log(peak) + age offset: they decay alike)."""
        weakest = min(slots)
        remembered = math.exp(weakest - age) if weakest > _EMPTY else 0.0
        return max(self.settings.significance_floor, self.settings.margin * remembered)

    def _remember(self, slots: list[float], running: float, value: float, age: float) -> float:
        """Follow an episode (a run of the statistic above ``episode_end``): return its
        peak so far, or 0 once it has ended — its peak then replaces the weakest
        remembered one if larger (``slots`` mutated)."""
        if value > running:
            running = value
        if value < self.settings.episode_end and running > 0.0:
            peak = math.log(running) + age
            weakest = min(slots)
            if peak > weakest:
                slots[slots.index(weakest)] = peak
            return 0.0
        return running

    def _discord(self, st: dict[str, Any], y: float, n: int) -> float:
        """Step the shape-discord test (``st`` mutated); return its ratio to its bar (0
        until there is a distance to calibrate)."""
        s = self.settings
        total, count = st["dsum"] + y, st["dcount"] + 1
        if count >= s.discord_block:
            st["dsum"], st["dcount"] = 0.0, 0
            self._discord_block(st, total / count)
        else:
            st["dsum"], st["dcount"] = total, count
        distance = st["dist"]
        if distance is None:
            return 0.0
        # The distance as a z-score against its own running mean and mean absolute
        # deviation (learnt from clipped values, at the long-run rate), over a bar from its
        # remembered episode peaks, exactly like the six statistics.
        seen = st["dseen"] + 1
        st["dseen"] = seen
        if seen == 1:
            st["dmean"] = distance
            return 0.0
        mean, deviation = st["dmean"], st["ddev"]
        sd = _MAD_TO_SD * deviation
        zz = (distance - mean) / sd if sd > 1e-12 else 0.0
        age = n / s.memory_points
        ratio = max(zz, 0.0) / self._bar(st["dslots"], age)
        if st["warm"]:
            st["dpeak"] = self._remember(st["dslots"], st["dpeak"], zz, age)
        clipped = max(-s.clip, min(s.clip, zz))
        fitted = mean + clipped * sd if sd > 1e-12 else distance
        rate = max(s.volatility_rate, 1.0 / seen)
        st["ddev"] = deviation + rate * (abs(fitted - mean) - deviation)
        st["dmean"] = mean + rate * (fitted - mean)
        return ratio

    def _discord_block(self, st: dict[str, Any], value: float) -> None:
        """A block has ended with mean ``value``: the newest subsequence of
        ``discord_length`` blocks is compared with the earlier ones (left matrix profile,
        lags ``discord_length``…``discord_history``); the distance to the nearest is kept
        in ``st["dist"]`` until the next block ends."""
        s = self.settings
        m, history = s.discord_length, s.discord_history
        buffer: list[float] = st["dbuf"]
        scales: list[float] = st["dinv"]
        buffer.append(value)
        if len(buffer) < m:
            return
        newest = np.asarray(buffer[-m:])
        centre = float(newest.mean())
        spread = float(newest.std())
        # The typical deviation of a subsequence so far (a running mean over all of them).
        counted = st["dsn"] + 1
        st["dsn"] = counted
        st["dsig"] += (spread - st["dsig"]) / counted
        # A subsequence's deviation is floored at discord_floor × the typical one, so a
        # quiet stretch's noise is not magnified into a shape; a flat one is all zeros.
        flat = spread <= 1e-9 * max(abs(centre), st["dsig"])
        scales.append(0.0 if flat else 1.0 / max(spread, s.discord_floor * st["dsig"], 1e-300))
        start = len(buffer) - m  # where the newest subsequence starts
        if start >= m:
            first = max(0, start - history)
            windows = np.lib.stride_tricks.sliding_window_view(np.asarray(buffer[first:start]), m)
            centred = (windows - windows.mean(axis=1, keepdims=True)) * np.asarray(
                scales[first : start - m + 1]
            )[:, None]
            target = (newest - centre) * scales[-1]
            nearest = float(((centred - target) ** 2).sum(axis=1).min())
            st["dist"] = math.sqrt(max(nearest, 0.0) / (2 * m))
        # Keep what later subsequences can still be compared with.
        excess = len(buffer) - (history + m)
        if excess > 0:
            del buffer[:excess]
            del scales[:excess]

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


def _fresh_discord(memory_size: int) -> dict[str, Any]:
    """The shape-discord test's part of a fresh state."""
    return {
        "dsum": 0.0,  # the block under way: sum and number of its points
        "dcount": 0,
        "dbuf": [],  # block means still needed, oldest first
        "dinv": [],  # per subsequence starting in dbuf: 1 / its floored deviation
        "dsn": 0,  # subsequences seen, and the running mean of their deviations
        "dsig": 0.0,
        "dist": None,  # the newest distance (held until the next block ends)
        "dseen": 0,  # the distance's calibration, as for the other statistics
        "dmean": 0.0,
        "ddev": 0.0,
        "dslots": [_EMPTY] * memory_size,
        "dpeak": 0.0,
    }


def _upgrade(state: dict[str, Any]) -> dict[str, Any]:
    """An older state keeps everything it learnt; only what was added since starts afresh
    (so a running series is not silent for a new warm-up): version 2 (before the
    relative-entropy test) gets that test from the current level, version 3 (before the
    shape-discord test) gets that test."""
    if not isinstance(state, dict):
        return state
    if state.get("v") == 2 and "kbuf" not in state:
        level = float(state.get("level", 0.0))
        state = {**state, "v": 3, "kbuf": [], "klo": level, "khi": level, "khyp": [], "kcnt": []}
    if state.get("v") == 3 and "dbuf" not in state:
        try:
            memory_size = len(state["memory"][0])
        except (KeyError, TypeError, IndexError):
            return state  # not a state this detector wrote: replaced by a fresh one
        state = {**state, **_fresh_discord(memory_size), "v": STATE_VERSION}
    return state


def _copy_state(state: dict[str, Any]) -> dict[str, Any]:
    work = dict(state)
    for key in (
        "season",
        "scale",
        "seen",
        "episode",
        "kbuf",
        "khyp",
        "kcnt",
        "dbuf",
        "dinv",
        "dslots",
    ):
        work[key] = list(state[key])
    work["memory"] = [list(slots) for slots in state["memory"]]
    return work
