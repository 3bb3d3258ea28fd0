"""Benchmark: the storm detector on synthetic mention-volume series, scored the NAB way.

A stand-in for the kind of data the detector is for (and for NAB's held-back Twitter
category, which was never seen): 10 series of 55 days of 5-minute mention counts with
negative-binomial noise, a daily and a weekly rhythm, a slow drift of interest, frequent
small bursts that are ordinary chatter (NOT anomalies), and 1-4 large labelled storms
each, with NAB-style windows (10 % of the series, centred on each storm). The generator
is the developer's own and was used, next to NAB, when choosing the shipped settings
(see prima/crisis/detection/MODEL_CARD.md): it is a check of behaviour on long bursty
count series, not an independent test.

    .venv/bin/python benchmarks/mention_storms.py

Prints the NAB standard score with the shipped threshold (0.5: what the crisis app sees)
and with the threshold NAB's optimiser would choose, for the shipped detector and the
baselines of benchmarks/nab.py, from the same run.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import nab


def make_series(
    seed: int,
    days: int = 55,
    base: float = 50.0,
    dispersion: float = 20.0,
    storms: int = 3,
    chatter_per_day: float = 1.0,
) -> tuple[list[float], list[float], list[tuple[int, int]]]:
    """Epoch seconds, counts and labelled windows of one synthetic series."""
    rng = np.random.default_rng(seed)
    n = days * 288
    t0 = 1424990000.0 + rng.integers(0, 288) * 300
    ts = t0 + 300.0 * np.arange(n)
    hours = (ts % 86400) / 3600.0
    peak = rng.uniform(12, 18)
    daily = 0.35 + 0.65 * (0.5 + 0.5 * np.cos(2 * np.pi * (hours - peak) / 24)) ** 1.5
    weekday = (ts // 86400 + 4) % 7
    weekly = np.where(weekday >= 5, rng.uniform(0.55, 0.85), 1.0)
    drift = np.exp(np.cumsum(rng.normal(0, 0.004, n)))
    rate = base * daily * weekly * drift
    extra = np.zeros(n)
    # Ordinary chatter: small retweet cascades, about chatter_per_day a day.
    for start in rng.integers(0, n, rng.poisson(chatter_per_day * days)):
        height, decay = base * rng.uniform(0.5, 2.5), rng.uniform(3, 15)
        idx = np.arange(start, min(n, start + int(6 * decay)))
        extra[idx] += height * np.exp(-(idx - start) / decay)
    # Labelled storms, after NAB's probationary 15 %.
    starts = sorted(rng.choice(np.arange(int(0.2 * n), n - 600), storms, replace=False))
    for start in starts:
        height, decay = base * rng.uniform(4, 15), rng.uniform(6, 48)
        ramp = rng.integers(1, 4)
        idx = np.arange(start, min(n, start + int(8 * decay)))
        shape = np.minimum(1.0, (idx - start + 1) / ramp) * np.exp(
            -np.maximum(0, idx - start - ramp) / decay
        )
        extra[idx] += height * shape
    mean = rate + extra
    counts = rng.poisson(rng.gamma(dispersion, mean / dispersion)).astype(float)
    width = int(0.1 * n / max(1, storms))
    windows: list[tuple[int, int]] = []
    for s in starts:
        first, last = max(0, int(s) - width // 2), min(n - 1, int(s) + width // 2)
        if windows and first <= windows[-1][1]:
            # Storms close together share one window, as NAB's labels would.
            windows[-1] = (windows[-1][0], last)
        else:
            windows.append((first, last))
    return ts.tolist(), counts.tolist(), windows


def corpus(count: int = 10, seed: int = 100) -> list[nab.Series]:
    rng = np.random.default_rng(seed)
    series = []
    for i in range(count):
        base = float(rng.choice([4, 10, 30, 80, 250]))
        dispersion = float(rng.uniform(5, 40))
        storms = int(rng.integers(1, 5))
        chatter = float(rng.uniform(0.3, 2))
        ts, counts, windows = make_series(
            seed + i, base=base, dispersion=dispersion, storms=storms, chatter_per_day=chatter
        )
        moments = [datetime.fromtimestamp(t, UTC).replace(tzinfo=None) for t in ts]
        raw = [m.isoformat(sep=" ") for m in moments]
        series.append(nab.Series(f"synthMentions/s{i}.csv", moments, raw, counts, windows))
    return series


def main() -> int:
    from prima.crisis.detection import SHIPPED_SETTINGS

    data = corpus()
    points = sum(len(s.values) for s in data)
    windows = sum(len(s.windows) for s in data)
    print(
        f"Synthetic mention volumes: {len(data)} series, {points:,} points, "
        f"{windows} labelled windows"
    )
    null, perfect = nab.null_score(data, nab.STANDARD), nab.perfect_score(data, nab.STANDARD)
    for name in ("prima", "windowed_gaussian", "rolling_mean"):
        scores = {s.key: nab.DETECTORS[name](s) for s in data}
        swept = nab.corpus_points(data, scores, nab.STANDARD)
        best = nab.best_threshold(swept, nab.STANDARD.fn)
        line = (
            f"  {name:<18} optimised threshold {best.threshold:.4f}: "
            f"{nab.normalise(best.score, null, perfect):5.1f} "
            f"({best.detected_windows}/{best.windows} windows, {best.false_positives} FP)"
        )
        if name == "prima":
            fixed = nab.score_at(swept, SHIPPED_SETTINGS.threshold, nab.STANDARD.fn)
            line += (
                f"; shipped threshold {SHIPPED_SETTINGS.threshold}: "
                f"{nab.normalise(fixed.score, null, perfect):5.1f} "
                f"({fixed.detected_windows}/{fixed.windows} windows, {fixed.false_positives} FP)"
            )
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
