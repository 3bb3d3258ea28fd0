"""The NAB scorer in benchmarks/nab.py: hand-computed cases on synthetic series (always
run), and the null/perfect checks on the real corpus (skipped, with a warning, where
../shared/data/anomaly/nab is absent)."""

from __future__ import annotations

import math
import warnings
from datetime import datetime, timedelta

import pytest

from .nabscorer import load_nab

nab = load_nab()
STANDARD, LOW_FP, LOW_FN = nab.STANDARD, nab.LOW_FP, nab.LOW_FN


def series(key: str, rows: int, windows: list[tuple[int, int]]):
    start = datetime(2020, 1, 1)
    timestamps = [start + timedelta(minutes=5 * i) for i in range(rows)]
    return nab.Series(key, timestamps, [str(t) for t in timestamps], [0.0] * rows, windows)


def raw_score(corpus, detections: dict[str, list[int]], profile=STANDARD, threshold=0.5):
    scores = {}
    for s in corpus:
        values = [0.0] * len(s.values)
        for i in detections.get(s.key, []):
            values[i] = 1.0
        scores[s.key] = values
    return nab.score_at(nab.corpus_points(corpus, scores, profile), threshold, profile.fn).score


# One series of 100 points, one window over points 40..49; probation is points 0..14.
ONE = [series("cat/one.csv", 100, [(40, 49)])]
MAX_TP = 2 * (1 / (1 + math.exp(-5))) - 1  # 0.986614…


def test_the_scaled_sigmoid_matches_its_definition():
    assert nab.scaled_sigmoid(-1.0) == pytest.approx(0.986614, abs=1e-6)
    assert nab.scaled_sigmoid(0.0) == pytest.approx(0.0)
    assert nab.scaled_sigmoid(3.0) == pytest.approx(2 / (1 + math.exp(15)) - 1)
    assert nab.scaled_sigmoid(3.01) == -1.0


def test_probation_is_fifteen_percent_capped_at_750_points():
    assert nab.probationary_length(100) == 15
    assert nab.probationary_length(4032) == 604
    assert nab.probationary_length(22695) == 750


def test_no_detection_costs_the_false_negative_weight():
    assert raw_score(ONE, {}) == pytest.approx(-1.0)
    assert raw_score(ONE, {}, LOW_FN) == pytest.approx(-2.0)


def test_a_detection_at_the_window_start_is_worth_the_full_true_positive_weight():
    assert raw_score(ONE, {"cat/one.csv": [40]}) == pytest.approx(1.0)


def test_a_late_detection_is_worth_less():
    # Last point: position -1/10 -> 2*sigmoid(0.5) - 1 = 0.244919, over MAX_TP = 0.248242.
    expected = (2 / (1 + math.exp(-0.5)) - 1) / MAX_TP
    assert expected == pytest.approx(0.248242, abs=1e-6)
    assert raw_score(ONE, {"cat/one.csv": [49]}) == pytest.approx(expected)


def test_only_the_earliest_detection_in_a_window_counts():
    # Point 42: position -8/10 -> 2*sigmoid(4) - 1 = 0.964028 -> 0.977107.
    assert raw_score(ONE, {"cat/one.csv": [42, 45, 49]}) == pytest.approx(0.977107, abs=1e-6)


def test_false_positives_before_a_window_cost_the_full_weight_per_point():
    assert raw_score(ONE, {"cat/one.csv": [20]}) == pytest.approx(-1.11)
    assert raw_score(ONE, {"cat/one.csv": [20, 21]}) == pytest.approx(-1.22)
    assert raw_score(ONE, {"cat/one.csv": [20]}, LOW_FP) == pytest.approx(-1.22)


def test_a_false_positive_just_after_a_window_costs_less():
    # Point 50: 1/9 of the window's width past it -> scaledSigmoid(0.111) = -0.270860.
    near = 2 / (1 + math.exp(5 / 9)) - 1
    assert raw_score(ONE, {"cat/one.csv": [50]}) == pytest.approx(-1.0 + 0.11 * near)
    # More than 3 widths past it: the full cost.
    assert raw_score(ONE, {"cat/one.csv": [80]}) == pytest.approx(-1.11)


def test_detections_in_the_probationary_period_are_ignored():
    assert raw_score(ONE, {"cat/one.csv": [3, 10, 14]}) == pytest.approx(-1.0)
    assert raw_score(ONE, {"cat/one.csv": [15]}) == pytest.approx(-1.11)


def test_one_threshold_for_the_whole_corpus():
    corpus = [series("a/x.csv", 100, [(40, 49)]), series("b/y.csv", 100, [(60, 69)])]
    scores = {"a/x.csv": [0.0] * 100, "b/y.csv": [0.0] * 100}
    scores["a/x.csv"][40] = 0.9  # found early
    scores["a/x.csv"][20] = 0.95  # a false alarm, more confident than the find
    scores["b/y.csv"][60] = 0.6  # found early, weakly
    points = nab.corpus_points(corpus, scores, STANDARD)
    sweep = {round(s.threshold, 6): s.score for s in nab.scores_by_threshold(points, 1.0)}
    assert sweep[1.1] == pytest.approx(-2.0)
    assert sweep[0.95] == pytest.approx(-2.11)
    assert sweep[0.9] == pytest.approx(-0.11)
    assert sweep[0.6] == pytest.approx(1.89)
    best = nab.best_threshold(points, 1.0)
    assert best.threshold == 0.6 and best.score == pytest.approx(1.89)
    assert (best.detected_windows, best.windows, best.false_positives) == (2, 2, 1)


def test_normalisation_against_the_null_and_perfect_detectors():
    null = nab.null_score(ONE, STANDARD)
    perfect = nab.perfect_score(ONE, STANDARD)
    assert (null, perfect) == (-1.0, 1.0)
    late = raw_score(ONE, {"cat/one.csv": [49]})
    assert nab.normalise(late, null, perfect) == pytest.approx(62.4122, abs=1e-3)
    results = nab.evaluate(ONE, {"cat/one.csv": nab.perfect_detector(ONE[0])})
    assert [round(r.normalised, 9) for r in results] == [100.0, 100.0, 100.0]


def test_leave_one_category_out_scores_each_category_with_the_others_threshold():
    corpus = [series("a/x.csv", 100, [(40, 49)]), series("b/y.csv", 100, [(60, 69)])]
    scores = {"a/x.csv": [0.0] * 100, "b/y.csv": [0.0] * 100}
    scores["a/x.csv"][40] = 0.9
    scores["b/y.csv"][60] = 0.6
    scores["b/y.csv"][30] = 0.8  # a false alarm in b, above b's find
    _, held = nab.leave_one_category_out(corpus, scores)
    by_category = {h.category: h for h in held}
    # Without a, the best threshold for b is 0.6 (1 - 0.11 beats -1); a at 0.6 finds x.
    assert by_category["a"].threshold == 0.6 and by_category["a"].raw == pytest.approx(1.0)
    # Without b, the best threshold for a is 0.9; b at 0.9 finds nothing.
    assert by_category["b"].threshold == 0.9 and by_category["b"].raw == pytest.approx(-1.0)


def test_windows_are_located_by_timestamp():
    timestamps = [datetime(2020, 1, 1) + timedelta(hours=i) for i in range(10)]
    found = nab.window_indices(
        timestamps, [["2020-01-01 02:00:00.000000", "2020-01-01 04:00:00.000000"]]
    )
    assert found == [(2, 4)]
    with pytest.raises(ValueError, match="no point"):
        nab.window_indices(timestamps, [["2021-01-01 00:00:00", "2021-01-02 00:00:00"]])


@pytest.fixture(scope="module")
def corpus():
    folder = nab.find_nab()
    if folder is None:
        message = (
            "NAB corpus not found (../shared/data/anomaly/nab): the scorer's checks on the "
            "real corpus did NOT run"
        )
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    return nab.load_corpus(folder)


def test_the_corpus_has_48_series_and_their_windows(corpus):
    assert len(corpus) == 48
    assert sum(len(s.windows) for s in corpus) == 83
    assert len({s.category for s in corpus}) == 6


def test_on_the_corpus_the_null_detector_scores_0_and_the_perfect_one_100(corpus):
    for detector, expected in ((nab.null_detector, 0.0), (nab.perfect_detector, 100.0)):
        scores = {s.key: detector(s) for s in corpus}
        for result in nab.evaluate(corpus, scores):
            assert result.normalised == pytest.approx(expected), (detector, result.profile)


def test_nested_selection_picks_settings_without_the_held_out_category():
    corpus = [series("a/x.csv", 100, [(40, 49)]), series("b/y.csv", 100, [(60, 69)])]
    zeros = {"a/x.csv": [0.0] * 100, "b/y.csv": [0.0] * 100}
    finds_a = {k: list(v) for k, v in zeros.items()}
    finds_a["a/x.csv"][40] = 0.9
    finds_b = {k: list(v) for k, v in zeros.items()}
    finds_b["b/y.csv"][60] = 0.9
    total, chosen = nab.leave_one_category_out_selection(
        corpus, {"finds_a": finds_a, "finds_b": finds_b}
    )
    by_category = {c.category: c for c in chosen}
    # Judged on b alone, "finds_b" wins, and it finds nothing in a: the held-out score
    # shows that choosing on the other category does not carry over.
    assert by_category["a"].candidate == "finds_b" and by_category["a"].raw == pytest.approx(-1)
    assert by_category["b"].candidate == "finds_a" and by_category["b"].raw == pytest.approx(-1)
    assert total == pytest.approx(0.0)


def test_two_fold_by_category_tunes_on_one_half_and_scores_the_other():
    # Sorted categories a, b, c, d: the halves are {a, c} and {b, d}.
    corpus = [series(f"{c}/s.csv", 100, [(40, 49)]) for c in "abcd"]
    assert nab.category_folds(corpus) == ({"a", "c"}, {"b", "d"})
    zeros = {s.key: [0.0] * 100 for s in corpus}
    finds_ac = {k: list(v) for k, v in zeros.items()}
    finds_ac["a/s.csv"][40] = finds_ac["c/s.csv"][40] = 0.9
    finds_all = {k: list(v) for k, v in zeros.items()}
    for key in finds_all:
        finds_all[key][40] = 0.7
        finds_all[key][20] = 0.8  # a false alarm before each find
    total, folds = nab.two_fold_by_category(corpus, {"finds_ac": finds_ac, "finds_all": finds_all})
    tuned_on_ac, tuned_on_bd = folds
    # On {a, c} "finds_ac" is perfect (2 > 2 × (1 − 0.11)); at 0.9 it finds nothing in b, d.
    assert tuned_on_ac.tuned_on == ("a", "c") and tuned_on_ac.candidate == "finds_ac"
    assert tuned_on_ac.threshold == 0.9 and tuned_on_ac.raw == pytest.approx(-2.0)
    # On {b, d} only "finds_all" finds anything; at 0.7 it finds a and c, one false alarm each.
    assert tuned_on_bd.candidate == "finds_all" and tuned_on_bd.threshold == 0.7
    assert tuned_on_bd.raw == pytest.approx(2 * (1 - 0.11))
    assert total == pytest.approx(100 * (-2 + 2 * 0.89 + 4) / 8)
