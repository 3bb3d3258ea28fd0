"""The quality figures of the shipped models, measured here against held-out data.

The README and the model card quote figures that the training code wrote; these tests
score the shipped sentiment model and language identifier again, through the NLP seam
(:mod:`prima.monitoring.analysis`, as ingestion calls them), on the valid splits of
``$PRIMA_SHARED_DATA`` — data the models were not trained on — and fail below floors
set a little under the card's figures. The floors are constants here, never read back
from the artefact. Without the data the tests are skipped with a loud reason.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from prima.monitoring import analysis

# The seam looks for a model retrained with staff corrections; with none stored it uses
# the shipped artefact, which is what is measured here.
pytestmark = pytest.mark.django_db

# Model card (MODEL_CARD.md, valid splits): SmSA 87.76, NusaX-id 86.15, NusaX-en 82.64.
SENTIMENT_FLOORS = {"smsa": 0.865, "nusax-id": 0.845, "nusax-en": 0.805}
# SmSA's weak class (card: neutral F1 80.5).
SMSA_NEUTRAL_FLOOR = 0.78
# Language profile (held out): 99.92 % of SmSA valid, 100 % of NusaX-id and NusaX-en valid.
LANGUAGE_FLOORS = {"smsa": 0.995, "nusax-id": 0.99, "nusax-en": 0.98}


def _smsa(data: Path) -> list[tuple[str, str, str]]:
    with open(data / "sentiment" / "smsa" / "valid.tsv", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").rsplit("\t", 1) for line in fh if line.strip()]
    return [(text, label.strip(), "id") for text, label in rows]


def _nusax(data: Path, folder: str, lang: str) -> list[tuple[str, str, str]]:
    path = data / "sentiment" / "nusax" / folder / "valid.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return [(row["text"], row["label"].strip(), lang) for row in csv.DictReader(fh)]


@pytest.fixture(scope="module")
def valid_splits(shared_data: Path) -> dict[str, list[tuple[str, str, str]]]:
    return {
        "smsa": _smsa(shared_data),
        "nusax-id": _nusax(shared_data, "indonesian", "id"),
        "nusax-en": _nusax(shared_data, "english", "en"),
    }


@pytest.mark.parametrize("split", sorted(SENTIMENT_FLOORS))
@pytest.mark.django_db  # the seam asks for the newest retrained model (none here)
def test_the_shipped_sentiment_model_scores_above_its_floor(valid_splits, split):
    rows = valid_splits[split]
    predicted = [label for label, _score in analysis.classify_sentiments(
        [text for text, _gold, _lang in rows], [lang for _text, _gold, lang in rows]
    )]  # fmt: skip
    gold = [label for _text, label, _lang in rows]
    macro = f1_score(gold, predicted, average="macro")
    assert macro >= SENTIMENT_FLOORS[split], f"{split}: macro-F1 {macro:.4f}"
    if split == "smsa":
        neutral = f1_score(gold, predicted, labels=["neutral"], average="macro")
        assert neutral >= SMSA_NEUTRAL_FLOOR, f"SmSA neutral F1 {neutral:.4f}"


@pytest.mark.parametrize("split", sorted(LANGUAGE_FLOORS))
def test_the_language_identifier_recognises_held_out_text(valid_splits, split):
    rows = valid_splits[split]
    detected = analysis.detect_languages([text for text, _label, _lang in rows])
    accuracy = sum(d == lang for d, (_t, _l, lang) in zip(detected, rows, strict=True)) / len(rows)
    assert accuracy >= LANGUAGE_FLOORS[split], f"{split}: accuracy {accuracy:.4f}"
