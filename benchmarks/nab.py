"""The Numenta Anomaly Benchmark (NAB) scorer, and PRIMA's storm detector scored with it.

A faithful re-implementation of NAB's scoring (numenta/NAB ``nab/sweeper.py``,
``nab/optimizer.py``, ``nab/runner.py``; MIT licence, Numenta 2014-2024):

- labelled anomaly windows come from ``combined_windows.json``;
- the first 15 % of every series (at most 750 points) is probationary: scores there are
  ignored;
- every point at or above the threshold is a detection. Inside a window only the
  earliest detection counts, worth ``tp × scaledSigmoid(position) / scaledSigmoid(-1)``
  (position −1 at the window's first point, 0 after its last); a window without a
  detection costs ``fn``; a detection outside every window costs
  ``fp × scaledSigmoid(distance after the previous window / its width)`` (−``fp`` far
  from or before any window);
- profiles (tp, fn, fp): standard (1, 1, 0.11), reward-low-FP (1, 1, 0.22),
  reward-low-FN (1, 2, 0.11);
- ONE threshold for the whole corpus, the one that maximises the corpus score (NAB's
  optimiser sweeps every distinct score);
- the raw score is normalised to 100 × (S − S_null) / (S_perfect − S_null), where the
  null detector never fires and the perfect one scores ``tp`` on every labelled window.

Run it (the corpus is ``../shared/data/anomaly/nab``, found by walking up from here;
``--data DIR`` for another copy)::

    .venv/bin/python benchmarks/nab.py               # shipped detector + baselines, LOCO
    .venv/bin/python benchmarks/nab.py --only prima  # just the shipped detector
    .venv/bin/python benchmarks/nab.py --scores-from OUT/   # score result files

``--scores-from DIR`` scores files written by ``prima detect-storms`` (or any detector in
NAB's results format ``timestamp,value,anomaly_score``) laid out like the corpus
(``DIR/<category>/<file>.csv``).

It prints, for the shipped detector and the baselines (null, NAB's windowed Gaussian, a
rolling-mean z-score) from the same run, the normalised score of each profile with its
corpus threshold, then a leave-one-category-out evaluation of the shipped detector: each
category scored with the threshold chosen on the other categories only.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NAB_SUBDIR = Path("shared") / "data" / "anomaly" / "nab"
PROBATION_PERCENT = 0.15


# --- Profiles and the scaled sigmoid ---------------------------------------------------


@dataclass(frozen=True)
class Profile:
    name: str
    tp: float
    fn: float
    fp: float


STANDARD = Profile("standard", 1.0, 1.0, 0.11)
LOW_FP = Profile("reward_low_FP_rate", 1.0, 1.0, 0.22)
LOW_FN = Profile("reward_low_FN_rate", 1.0, 2.0, 0.11)
PROFILES = (STANDARD, LOW_FP, LOW_FN)


def scaled_sigmoid(position: float) -> float:
    """NAB's scaled sigmoid: +0.987 at the start of a window (position −1), 0 at its end,
    falling to −1 after it (−1 flat beyond 3 window widths)."""
    if position > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


MAX_TP = scaled_sigmoid(-1.0)


def probationary_length(rows: int, percent: float = PROBATION_PERCENT) -> float:
    return min(math.floor(percent * rows), percent * 5000)


# --- The corpus -----------------------------------------------------------------------


@dataclass
class Series:
    key: str  # "<category>/<file>.csv", as in combined_windows.json
    timestamps: list[datetime]
    raw_timestamps: list[str]
    values: list[float]
    windows: list[tuple[int, int]]  # first and last index of each labelled window

    @property
    def category(self) -> str:
        return self.key.split("/", 1)[0]


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def window_indices(
    timestamps: Sequence[datetime], windows: Iterable[Sequence[str]]
) -> list[tuple[int, int]]:
    """Index of each window's first and last point (windows are inclusive)."""
    found = []
    for start_text, end_text in windows:
        start, end = parse_time(start_text), parse_time(end_text)
        inside = [i for i, t in enumerate(timestamps) if start <= t <= end]
        if not inside:
            raise ValueError(f"window {start_text} … {end_text} holds no point")
        found.append((inside[0], inside[-1]))
    found.sort()
    for (_, last), (first, _) in zip(found, found[1:], strict=False):
        if first <= last:
            raise ValueError("overlapping windows")
    return found


def read_series_csv(path: Path) -> tuple[list[str], list[float], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [r for r in rows[1:] if r]
    if header[:2] != ["timestamp", "value"]:
        raise ValueError(f"{path}: expected a 'timestamp,value' header, got {header}")
    return [r[0] for r in body], [float(r[1]) for r in body], [header, *body]


def find_nab() -> Path | None:
    """The NAB corpus in ``…/shared/data/anomaly/nab`` above this checkout, if any."""
    for folder in ROOT.parents:
        candidate = folder / NAB_SUBDIR
        if (candidate / "combined_windows.json").is_file():
            return candidate
    return None


def load_corpus(data_dir: Path) -> list[Series]:
    with open(data_dir / "combined_windows.json", encoding="utf-8") as handle:
        windows = json.load(handle)
    corpus = []
    for key in sorted(windows):
        raw, values, _ = read_series_csv(data_dir / "data" / key)
        timestamps = [parse_time(t) for t in raw]
        corpus.append(
            Series(key, timestamps, raw, values, window_indices(timestamps, windows[key]))
        )
    return corpus


# --- Scoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One scorable point: the detector's score, what detecting here is worth, and the
    window it lies in (None outside every window)."""

    score: float
    weight: float
    window: tuple[str, int] | None


def sweep(
    key: str,
    rows: int,
    windows: Sequence[tuple[int, int]],
    scores: Sequence[float],
    profile: Profile,
) -> list[Point]:
    """NAB's ``Sweeper.calcSweepScore``: the worth of a detection at every scorable point."""
    if len(scores) != rows:
        raise ValueError(f"{key}: {len(scores)} scores for {rows} rows")
    probation = probationary_length(rows)
    pending = list(windows)
    current: tuple[int, int] | None = None
    previous: tuple[int, int] | None = None
    points = []
    for i in range(rows):
        if pending and current is None and i == pending[0][0]:
            current = pending.pop(0)
        if current is not None:
            first, last = current
            width = last - first + 1
            weight = scaled_sigmoid(-(last - i + 1) / width) * profile.tp / MAX_TP
            window: tuple[str, int] | None = (key, first)
        else:
            if previous is None:
                weight = -1.0
            else:
                first, last = previous
                width = last - first + 1
                weight = scaled_sigmoid(abs(last - i) / max(width - 1, 1))
            weight *= profile.fp
            window = None
        if i >= probation:
            points.append(Point(float(scores[i]), weight, window))
        if current is not None and i == current[1]:
            previous, current = current, None
    return points


@dataclass(frozen=True)
class ThresholdScore:
    threshold: float
    score: float
    detected_windows: int
    windows: int
    false_positives: int


def scores_by_threshold(points: Sequence[Point], fn_weight: float) -> list[ThresholdScore]:
    """NAB's ``Sweeper.calcScoreByThreshold``: the score at every distinct threshold (a
    point is a detection when its score is at or above the threshold), starting above
    every score (no detection at all)."""
    ordered = sorted(points, key=lambda p: p.score, reverse=True)
    best: dict[tuple[str, int], float] = {}
    for point in ordered:
        if point.window is not None:
            best[point.window] = -fn_weight
    windows_total = sum(best.values())
    fp_total = 0.0
    fp_count = 0
    detected: set[tuple[str, int]] = set()
    threshold = 1.1
    results = []
    for point in ordered:
        if point.score != threshold:
            results.append(
                ThresholdScore(
                    threshold, fp_total + windows_total, len(detected), len(best), fp_count
                )
            )
            threshold = point.score
        if point.window is None:
            fp_total += point.weight
            fp_count += 1
        else:
            detected.add(point.window)
            if point.weight > best[point.window]:
                windows_total += point.weight - best[point.window]
                best[point.window] = point.weight
    results.append(
        ThresholdScore(threshold, fp_total + windows_total, len(detected), len(best), fp_count)
    )
    return results


def best_threshold(points: Sequence[Point], fn_weight: float) -> ThresholdScore:
    """NAB's optimiser: the threshold with the highest corpus score (the highest such
    threshold on ties, as NAB's stable sort keeps the first one swept)."""
    return max(scores_by_threshold(points, fn_weight), key=lambda s: s.score)


def score_at(points: Sequence[Point], threshold: float, fn_weight: float) -> ThresholdScore:
    """The score with a given threshold (detections: scores at or above it)."""
    best: dict[tuple[str, int], float] = {}
    fp_total = 0.0
    fp_count = 0
    for point in points:
        if point.window is not None:
            best.setdefault(point.window, -fn_weight)
    detected = set()
    for point in points:
        if point.score < threshold:
            continue
        if point.window is None:
            fp_total += point.weight
            fp_count += 1
        else:
            detected.add(point.window)
            best[point.window] = max(best[point.window], point.weight)
    return ThresholdScore(
        threshold, fp_total + sum(best.values()), len(detected), len(best), fp_count
    )


def corpus_points(
    corpus: Sequence[Series], scores: Mapping[str, Sequence[float]], profile: Profile
) -> list[Point]:
    points: list[Point] = []
    for series in corpus:
        points += sweep(series.key, len(series.values), series.windows, scores[series.key], profile)
    return points


def null_score(corpus: Sequence[Series], profile: Profile) -> float:
    """The raw score of the null detector (never fires), computed like any other."""
    nothing = {s.key: [0.0] * len(s.values) for s in corpus}
    return best_threshold(corpus_points(corpus, nothing, profile), profile.fn).score


def perfect_score(corpus: Sequence[Series], profile: Profile) -> float:
    """NAB's normaliser: ``tp`` for every labelled window of the corpus."""
    return profile.tp * sum(len(s.windows) for s in corpus)


def normalise(raw: float, null: float, perfect: float) -> float:
    return 100.0 * (raw - null) / (perfect - null)


@dataclass(frozen=True)
class ProfileResult:
    profile: Profile
    normalised: float
    best: ThresholdScore


def evaluate(
    corpus: Sequence[Series],
    scores: Mapping[str, Sequence[float]],
    profiles: Sequence[Profile] = PROFILES,
) -> list[ProfileResult]:
    """Each profile's normalised score with its own optimised corpus threshold."""
    results = []
    for profile in profiles:
        best = best_threshold(corpus_points(corpus, scores, profile), profile.fn)
        value = normalise(best.score, null_score(corpus, profile), perfect_score(corpus, profile))
        results.append(ProfileResult(profile, value, best))
    return results


@dataclass(frozen=True)
class HeldOut:
    category: str
    threshold: float
    raw: float
    null: float
    perfect: float
    detected_windows: int
    windows: int
    false_positives: int


def leave_one_category_out(
    corpus: Sequence[Series], scores: Mapping[str, Sequence[float]], profile: Profile = STANDARD
) -> tuple[float, list[HeldOut]]:
    """Each category scored with the threshold optimised on the other categories only.

    Returns the corpus score made of the held-out scores (normalised like the corpus
    score) and the detail per category."""
    categories = sorted({s.category for s in corpus})
    held: list[HeldOut] = []
    for category in categories:
        inside = [s for s in corpus if s.category == category]
        outside = [s for s in corpus if s.category != category]
        chosen = best_threshold(corpus_points(outside, scores, profile), profile.fn).threshold
        result = score_at(corpus_points(inside, scores, profile), chosen, profile.fn)
        held.append(
            HeldOut(
                category,
                chosen,
                result.score,
                null_score(inside, profile),
                perfect_score(inside, profile),
                result.detected_windows,
                result.windows,
                result.false_positives,
            )
        )
    total = normalise(
        sum(h.raw for h in held), null_score(corpus, profile), perfect_score(corpus, profile)
    )
    return total, held


@dataclass(frozen=True)
class Selected:
    category: str
    candidate: str
    threshold: float
    raw: float
    null: float
    perfect: float


def leave_one_category_out_selection(
    corpus: Sequence[Series],
    candidates: Mapping[str, Mapping[str, Sequence[float]]],
    profile: Profile = STANDARD,
) -> tuple[float, list[Selected]]:
    """Nested leave-one-category-out over a set of candidate settings: for each
    category, the candidate and threshold that score best on the OTHER categories are
    chosen, then scored on the held-out category. Measures how much choosing among the
    candidates (tuning) flatters the corpus score."""
    categories = sorted({s.category for s in corpus})
    chosen: list[Selected] = []
    for category in categories:
        inside = [s for s in corpus if s.category == category]
        outside = [s for s in corpus if s.category != category]
        best_name, best = "", None
        for name, scores in candidates.items():
            result = best_threshold(corpus_points(outside, scores, profile), profile.fn)
            if best is None or result.score > best.score:
                best_name, best = name, result
        if best is None:
            raise ValueError("no candidate settings")
        held = score_at(
            corpus_points(inside, candidates[best_name], profile), best.threshold, profile.fn
        )
        chosen.append(
            Selected(
                category,
                best_name,
                best.threshold,
                held.score,
                null_score(inside, profile),
                perfect_score(inside, profile),
            )
        )
    total = normalise(
        sum(c.raw for c in chosen), null_score(corpus, profile), perfect_score(corpus, profile)
    )
    return total, chosen


def category_folds(corpus: Sequence[Series]) -> tuple[set[str], set[str]]:
    """Two halves of the categories, fixed in advance: alternate ones in sorted order
    (artificialNoAnomaly, realAWSCloudwatch, realKnownCause | artificialWithAnomaly,
    realAdExchange, realTraffic)."""
    categories = sorted({s.category for s in corpus})
    return set(categories[0::2]), set(categories[1::2])


@dataclass(frozen=True)
class FoldResult:
    tuned_on: tuple[str, ...]
    candidate: str
    threshold: float
    raw: float
    null: float
    perfect: float


def two_fold_by_category(
    corpus: Sequence[Series],
    candidates: Mapping[str, Mapping[str, Sequence[float]]],
    profile: Profile = STANDARD,
) -> tuple[float, list[FoldResult]]:
    """Tune on half of the categories, score on the other half, and the other way round:
    on each half, the candidate settings and threshold with the best score are chosen,
    then scored (at that threshold) on the other half. Returns the corpus score made of
    the two held-out halves (normalised like the corpus score) and the detail."""
    results: list[FoldResult] = []
    first, second = category_folds(corpus)
    for tune, test in ((first, second), (second, first)):
        tuning = [s for s in corpus if s.category in tune]
        testing = [s for s in corpus if s.category in test]
        best_name, best = "", None
        for name, scores in candidates.items():
            result = best_threshold(corpus_points(tuning, scores, profile), profile.fn)
            if best is None or result.score > best.score:
                best_name, best = name, result
        if best is None:
            raise ValueError("no candidate settings")
        held = score_at(
            corpus_points(testing, candidates[best_name], profile), best.threshold, profile.fn
        )
        results.append(
            FoldResult(
                tuple(sorted(tune)),
                best_name,
                best.threshold,
                held.score,
                null_score(testing, profile),
                perfect_score(testing, profile),
            )
        )
    total = normalise(
        sum(r.raw for r in results), null_score(corpus, profile), perfect_score(corpus, profile)
    )
    return total, results


# --- Detectors ------------------------------------------------------------------------

ScoreFunction = Callable[[Series], list[float]]


def null_detector(series: Series) -> list[float]:
    return [0.0] * len(series.values)


def windowed_gaussian(series: Series, window: int = 6400, step: int = 100) -> list[float]:
    """NAB's windowed Gaussian baseline (``nab/detectors/gaussian``): the upper tail
    probability of each value under a Gaussian fitted to up to 6,400 earlier values,
    refitted every 100 points once the window is full."""
    data: list[float] = []
    buffer: list[float] = []
    total = total_sq = 0.0
    mean, std = 0.0, 1.0
    scores = []
    for value in series.values:
        score = 0.0
        if data:
            score = 1.0 - 0.5 * math.erfc((value - mean) / std / math.sqrt(2.0))
        refit = False
        if len(data) < window:
            data.append(value)
            total += value
            total_sq += value * value
            refit = True
        else:
            buffer.append(value)
            if len(buffer) == step:
                data = data[step:] + buffer
                buffer = []
                total = sum(data)
                total_sq = sum(x * x for x in data)
                refit = True
        if refit:
            mean = total / len(data)
            std = math.sqrt(max(total_sq / len(data) - mean * mean, 0.0)) or 0.000001
        scores.append(score)
    return scores


def perfect_detector(series: Series) -> list[float]:
    """Cheats with the labels: fires once, at the first point of every window. It must
    score 100 in every profile (a check of the scorer, not a detector)."""
    scores = [0.0] * len(series.values)
    for first, _ in series.windows:
        scores[first] = 1.0
    return scores


ROLLING_WINDOW = 288


def rolling_step(state: dict[str, Any], value: float, window: int = ROLLING_WINDOW) -> float:
    """A plain baseline, one point: |z| of the value against the mean and deviation of
    the previous ``window`` values (kept in ``state`` with their running sums, updated
    in place), squashed to 0…1."""
    history: list[float] = state.setdefault("history", [])
    total, squares = state.get("sum", 0.0), state.get("squares", 0.0)
    score = 0.0
    if len(history) >= 2:
        mean = total / len(history)
        spread = math.sqrt(max(squares / len(history) - mean * mean, 0.0)) or 1e-6
        score = 1.0 - math.exp(-abs(value - mean) / spread / 4.0)
    history.append(value)
    total += value
    squares += value * value
    if len(history) > window:
        old = history.pop(0)
        total -= old
        squares -= old * old
    state["sum"], state["squares"] = total, squares
    return score


def rolling_mean(series: Series) -> list[float]:
    """The rolling-mean baseline over a whole series (one day of 5-minute buckets)."""
    state: dict[str, Any] = {}
    return [rolling_step(state, value) for value in series.values]


def prima_detector(series: Series) -> list[float]:
    from prima.crisis.detection import SHIPPED_SETTINGS, Detector
    from prima.crisis.detection.series import in_time_order

    # NAB scores rows in file order; one series steps back in time once (see
    # in_time_order), which the detector refuses: such a row takes the time before it,
    # as in `prima detect-storms` (which scores every file this way, with no flag).
    timestamps = in_time_order(series.timestamps)
    return Detector(SHIPPED_SETTINGS).score_series(timestamps, series.values)


DETECTORS: dict[str, ScoreFunction] = {
    "prima": prima_detector,
    "null": null_detector,
    "perfect": perfect_detector,
    "windowed_gaussian": windowed_gaussian,
    "rolling_mean": rolling_mean,
}


def scores_from_files(corpus: Sequence[Series], folder: Path) -> dict[str, list[float]]:
    """Scores from result files (``timestamp,value,anomaly_score``) laid out like the
    corpus; their timestamps must match the corpus row for row."""
    scores = {}
    for series in corpus:
        path = folder / series.key
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        if [r["timestamp"] for r in rows] != series.raw_timestamps:
            raise ValueError(f"{path}: timestamps differ from the corpus")
        scores[series.key] = [float(r["anomaly_score"]) for r in rows]
    return scores


# --- Report ---------------------------------------------------------------------------


def report_detector(
    name: str, corpus: Sequence[Series], scores: Mapping[str, Sequence[float]]
) -> None:
    cells = []
    for result in evaluate(corpus, scores):
        best = result.best
        cells.append(
            f"{result.normalised:6.1f} (t={best.threshold:.4f}, "
            f"{best.detected_windows}/{best.windows} windows, {best.false_positives} FP)"
        )
    print(f"{name:<18} " + " | ".join(cells))


def report_loco(corpus: Sequence[Series], scores: Mapping[str, Sequence[float]]) -> None:
    total, held = leave_one_category_out(corpus, scores)
    print("\nLeave-one-category-out (standard profile; threshold chosen without the category):")
    for h in held:
        if h.windows:
            value = f"{normalise(h.raw, h.null, h.perfect):6.1f}"
        else:
            value = "   n/a"  # no labelled window: only false positives can happen
        print(
            f"  {h.category:<24} {value}  t={h.threshold:.4f}  "
            f"{h.detected_windows}/{h.windows} windows, {h.false_positives} FP, raw {h.raw:+.2f}"
        )
    print(f"  {'corpus (held-out scores)':<24} {total:6.1f}")


def report_two_fold(
    candidates: Mapping[str, Mapping[str, Sequence[float]]], corpus: Sequence[Series]
) -> None:
    total, folds = two_fold_by_category(corpus, candidates)
    what = "threshold" if len(candidates) == 1 else f"settings ({len(candidates)}) and threshold"
    print(
        f"\nTwo-fold by category (standard profile; {what} chosen on one half, "
        "scored on the other):"
    )
    for fold in folds:
        print(
            f"  tuned on {', '.join(fold.tuned_on)}: chose {fold.candidate} "
            f"(t={fold.threshold:.4f}); other half "
            f"{normalise(fold.raw, fold.null, fold.perfect):6.1f}"
        )
    print(f"  {'corpus (held-out halves)':<24} {total:6.1f}")


def per_category(corpus: Sequence[Series], scores: Mapping[str, Sequence[float]]) -> None:
    threshold = evaluate(corpus, scores, (STANDARD,))[0].best.threshold
    print(f"\nPer category at the corpus threshold {threshold:.4f} (standard profile):")
    for category in sorted({s.category for s in corpus}):
        inside = [s for s in corpus if s.category == category]
        result = score_at(corpus_points(inside, scores, STANDARD), threshold, STANDARD.fn)
        null, perfect = null_score(inside, STANDARD), perfect_score(inside, STANDARD)
        value = f"{normalise(result.score, null, perfect):6.1f}" if result.windows else "   n/a"
        print(
            f"  {category:<24} {value}  {result.detected_windows}/{result.windows} windows, "
            f"{result.false_positives} FP, raw {result.score:+.2f}"
        )


def candidate_scores(corpus: Sequence[Series], path: Path) -> dict[str, dict[str, list[float]]]:
    """Scores of the shipped detector and of each candidate in ``path`` (JSON: name ->
    settings that differ from the shipped ones)."""
    from prima.crisis.detection import SHIPPED_SETTINGS, Detector, DetectorSettings
    from prima.crisis.detection.series import in_time_order

    with open(path, encoding="utf-8") as handle:
        overrides = json.load(handle)
    settings = {"shipped": SHIPPED_SETTINGS}
    for name, changes in overrides.items():
        if name.startswith("_"):
            continue
        settings[name] = DetectorSettings.from_dict({**SHIPPED_SETTINGS.to_dict(), **changes})
    return {
        name: {
            s.key: Detector(chosen).score_series(in_time_order(s.timestamps), s.values)
            for s in corpus
        }
        for name, chosen in settings.items()
    }


def report_selection(corpus: Sequence[Series], path: Path) -> None:
    candidates = candidate_scores(corpus, path)
    print(
        f"\nTuning check: nested leave-one-category-out over {len(candidates)} candidate "
        f"settings ({path.name}; standard profile).\nFor each category, the settings and "
        "threshold are chosen on the other categories only:"
    )
    for name, scores in candidates.items():
        corpus_score = evaluate(corpus, scores, (STANDARD,))[0].normalised
        print(f"  candidate {name:<28} corpus {corpus_score:6.1f}")
    total, chosen = leave_one_category_out_selection(corpus, candidates)
    for c in chosen:
        value = f"{normalise(c.raw, c.null, c.perfect):6.1f}" if c.perfect else "   n/a"
        print(
            f"  {c.category:<24} {value}  chose {c.candidate} "
            f"(t={c.threshold:.4f}), raw {c.raw:+.2f}"
        )
    print(f"  {'corpus (held-out scores)':<24} {total:6.1f}")
    report_two_fold(candidates, corpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the NAB folder (default: found)")
    parser.add_argument(
        "--only", choices=sorted(DETECTORS), action="append", help="detectors to run (repeatable)"
    )
    parser.add_argument("--scores-from", type=Path, help="score result files in this folder")
    parser.add_argument("--no-loco", action="store_true", help="skip leave-one-category-out")
    parser.add_argument(
        "--candidates",
        type=Path,
        help="JSON of candidate settings: nested leave-one-category-out over them",
    )
    args = parser.parse_args(argv)

    data_dir = args.data or find_nab()
    if data_dir is None or not (data_dir / "combined_windows.json").is_file():
        print("NAB corpus not found: pass --data DIR (holding combined_windows.json)")
        return 2
    corpus = load_corpus(data_dir)
    windows = sum(len(s.windows) for s in corpus)
    print(
        f"NAB corpus {data_dir}: {len(corpus)} series, "
        f"{sum(len(s.values) for s in corpus):,} points, {windows} windows"
    )
    print(f"{'detector':<18} " + " | ".join(f"{p.name:<45}" for p in PROFILES))

    if args.scores_from:
        scores = scores_from_files(corpus, args.scores_from)
        report_detector(str(args.scores_from), corpus, scores)
        if not args.no_loco:
            report_loco(corpus, scores)
            report_two_fold({str(args.scores_from): scores}, corpus)
        return 0

    shipped: dict[str, list[float]] | None = None
    for name in args.only or list(DETECTORS):
        started = time.process_time()
        scores = {s.key: DETECTORS[name](s) for s in corpus}
        spent = time.process_time() - started
        report_detector(name, corpus, scores)
        points = sum(len(s.values) for s in corpus)
        print(f"{'':<18} {1e6 * spent / points:.1f} µs CPU per point")
        if name == "prima":
            shipped = scores
    if shipped is not None:
        per_category(corpus, shipped)
        if not args.no_loco:
            report_loco(corpus, shipped)
            report_two_fold({"shipped": shipped}, corpus)
    if args.candidates:
        report_selection(corpus, args.candidates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
