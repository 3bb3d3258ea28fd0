"""Benchmark: the storm detector's cost per 5-minute tick for 10,000 series.

Each tick, the crisis app reads a series' state from its database row, steps the
detector with the bucket's mention count and writes the new state back. This script
times exactly that per series — JSON-decode the state, ``Detector.step``, JSON-encode —
for 10,000 series over several ticks, and the step alone, next to a baseline from the
same run: the plain rolling mean and deviation over the last 288 buckets (one day) of
benchmarks/nab.py, its values and running sums kept the same way, as JSON.

    .venv/bin/python benchmarks/detector_cost.py                 # 10,000 series, 12 ticks
    .venv/bin/python benchmarks/detector_cost.py --series 1000 --ticks 5

The series are warmed up first (three days of synthetic 5-minute mention counts with a
daily rhythm, 200 distinct series copied to fill the 10,000) so the states are those of
running series. Prints wall-clock and CPU time per tick and per series, and the size of
a state in JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.nab import rolling_step  # noqa: E402
from prima.crisis.detection import SHIPPED_SETTINGS, Detector  # noqa: E402

BUCKET = timedelta(minutes=5)
START = datetime(2026, 1, 5, tzinfo=UTC)


def mentions(rng: random.Random, base: float, index: int) -> float:
    """A Poisson-like count with a daily rhythm (normal approximation, rounded)."""
    hour = ((START + index * BUCKET).hour + 0.5) / 24
    rate = base * (0.3 + 0.7 * max(0.0, math.sin(math.pi * hour)))
    return float(max(0, round(rng.gauss(rate, math.sqrt(rate + 1)))))


def tick(
    rows: list[str], detector: Detector | None, moment: datetime, values: list[float]
) -> tuple[list[str], float, float, float]:
    """One tick over every row; returns the new rows, wall and CPU seconds, and the CPU
    seconds spent in the step itself."""
    wall, cpu = time.perf_counter(), time.process_time()
    in_step = 0.0
    new_rows = []
    for row, value in zip(rows, values, strict=True):
        state = json.loads(row)
        started = time.process_time()
        if detector is None:
            rolling_step(state, value)
        else:
            state = detector.step(state, moment, value).state
        in_step += time.process_time() - started
        new_rows.append(json.dumps(state))
    return new_rows, time.perf_counter() - wall, time.process_time() - cpu, in_step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--ticks", type=int, default=12)
    parser.add_argument("--distinct", type=int, default=200)
    args = parser.parse_args()

    detector = Detector(SHIPPED_SETTINGS)
    rng = random.Random(1)
    warm_points = 3 * 288
    print(f"Warming up {args.distinct} distinct series over {warm_points} buckets …")
    bases = [rng.choice([2.0, 5.0, 20.0, 80.0, 300.0]) for _ in range(args.distinct)]
    detector_rows, rolling_rows = [], []
    for base in bases:
        state = detector.initial_state()
        rolling: dict[str, Any] = {}
        for i in range(warm_points):
            value = mentions(rng, base, i)
            state = detector.step(state, START + i * BUCKET, value).state
            rolling_step(rolling, value)
        detector_rows.append(json.dumps(state))
        rolling_rows.append(json.dumps(rolling))
    copies = math.ceil(args.series / args.distinct)
    detector_rows = (detector_rows * copies)[: args.series]
    rolling_rows = (rolling_rows * copies)[: args.series]
    series_bases = (bases * copies)[: args.series]

    results: dict[str, list[tuple[float, float, float]]] = {"detector": [], "rolling": []}
    for k in range(args.ticks):
        index = warm_points + k
        moment = START + index * BUCKET
        values = [mentions(rng, base, index) for base in series_bases]
        detector_rows, *timing = tick(detector_rows, detector, moment, values)
        results["detector"].append((timing[0], timing[1], timing[2]))
        rolling_rows, *timing = tick(rolling_rows, None, moment, values)
        results["rolling"].append((timing[0], timing[1], timing[2]))

    print(
        f"\nCost of one 5-minute tick for {args.series:,} series "
        f"(median of {args.ticks} ticks; JSON decode + step + JSON encode per series):"
    )
    sizes = {
        "detector": statistics.median(len(r) for r in detector_rows),
        "rolling": statistics.median(len(r) for r in rolling_rows),
    }
    labels = {
        "detector": "storm detector (shipped)",
        "rolling": "baseline: rolling mean, 1 day",
    }
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        step = statistics.median(r[2] for r in runs)
        print(
            f"  {labels[name]:<31} {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU per tick"
            f" = {cpu / args.series * 1e6:6.1f} µs per series"
            f" (step alone {step / args.series * 1e6:5.1f} µs); state {sizes[name]:,.0f} bytes"
        )
        # Series that started together end their discord blocks on the same tick: the
        # slowest tick is the one to plan for.
        slowest = max(r[1] for r in runs)
        print(f"  {'':<31} slowest tick {slowest * 1000:8.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
