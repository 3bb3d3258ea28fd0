from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from prima.monitoring.nlp.sentiment import ARTEFACT_DIR, LABELS, load_model, train
from prima.monitoring.nlp.sentiment.corrections import load_corrections
from prima.monitoring.nlp.sentiment.training import INFORMAL_TRAIN, read_handwritten

# A tiny synthetic corpus: enough for the trainer to run in about a second.
TINY = {
    "positive": [
        "pelayanan sangat bagus dan cepat",
        "petugas ramah sekali terima kasih",
        "mantap prosesnya mudah",
        "saya puas dengan hasilnya",
        "tempatnya bersih dan nyaman",
        "keren banget pelayanannya",
    ],
    "negative": [
        "pelayanan buruk dan lambat",
        "petugas kasar sekali",
        "kecewa prosesnya ribet",
        "saya kesal menunggu lama",
        "tempatnya kotor dan bau",
        "parah banget pelayanannya",
    ],
    "neutral": [
        "kantor buka jam delapan pagi",
        "besok ada rapat di aula",
        "formulir tersedia di loket dua",
        "pengumuman jadwal libur nasional",
        "alamat kantor di jalan sudirman",
        "antrean dibuka setelah istirahat",
    ],
}


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    smsa = data / "sentiment" / "smsa"
    smsa.mkdir(parents=True)
    lines = [f"{text}\t{label}" for label, texts in TINY.items() for text in texts]
    (smsa / "train.tsv").write_text("\n".join(lines * 2) + "\n", encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_shipped_artefact_is_portable_and_small() -> None:
    files = {p.name for p in ARTEFACT_DIR.iterdir()}
    assert {"model.json", "model.npz", "MODEL_CARD.md"} <= files
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in files)
    meta = json.loads((ARTEFACT_DIR / "model.json").read_text(encoding="utf-8"))
    assert meta["labels"] == list(LABELS)
    with np.load(ARTEFACT_DIR / "model.npz", allow_pickle=False) as npz:
        for group in meta["groups"]:
            assert npz[f"{group['name']}_coef"].shape == (group["n_features"], 3)
            assert npz[f"{group['name']}_vocab"].dtype == np.uint8
    size = sum((ARTEFACT_DIR / n).stat().st_size for n in ("model.json", "model.npz"))
    assert size < 15_000_000


def test_model_card_credits_data_and_reports_scores() -> None:
    card = (ARTEFACT_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for needle in ["Wilie", "Winata", "Apache-2.0", "CC-BY-SA-4.0", "SmSA valid", "NusaX-en valid"]:
        assert needle in card
    assert "prima train-sentiment" in card


def test_it_understands_negation_and_both_languages(model) -> None:
    assert model.predict(["pelayanannya bagus sekali"], ["id"]) == ["positive"]
    assert model.predict(["pelayanannya tidak bagus"], ["id"]) == ["negative"]
    assert model.predict(["Petugasnya jutek bgt, antri 3 jam gk dilayani"]) == ["negative"]
    assert model.predict(["The officers were friendly and very helpful"]) == ["positive"]
    assert model.predict(["Terrible service, I waited for hours"]) == ["negative"]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "\ufffd\ufffd", "!!!", "😀" * 3])
def test_empty_and_garbage_input_is_handled(model, text: str) -> None:
    [label] = model.predict([text])
    assert label in LABELS
    if not any(ch.isalnum() for ch in text):
        assert label == "neutral"


def test_long_input_and_empty_batches(model) -> None:
    assert model.predict([]) == []
    assert model.predict(["bagus " * 5000])[0] in LABELS
    probs = model.predict_proba(["bagus", "jelek", "kantor"], ["id", "id", "id"])
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_classify_sentiment_command_round_trip() -> None:
    stdin = io.StringIO("Pelayanan sangat memuaskan!\n\nantrean lama, petugas kasar\nThanks!\n")
    out = io.StringIO()
    call_command("classify_sentiment", stdin=stdin, stdout=out)
    labels = out.getvalue().splitlines()
    assert len(labels) == 4
    assert labels[0] == "positive"
    assert labels[1] == "neutral"
    assert labels[2] == "negative"
    assert set(labels) <= set(LABELS)


def test_classify_sentiment_survives_invalid_utf8() -> None:
    stdin = io.BytesIO(b"bagus sekali\n\xff\xfe\xfa rusak \xc3\n\xef\xbb\xbf\n")
    out = io.StringIO()
    call_command("classify_sentiment", stdin=stdin, stdout=out, batch_size=2)
    labels = out.getvalue().splitlines()
    assert len(labels) == 3
    assert set(labels) <= set(LABELS)


@pytest.mark.django_db
def test_load_corrections_is_empty_without_staff_corrections() -> None:
    assert load_corrections() == []


def test_corrections_change_the_prediction_after_retraining(
    tiny_data: Path, tmp_path: Path
) -> None:
    contrived = "loket wuzz zorblat"
    base = train(tiny_data, out_dir=tmp_path / "base")
    before = load_model(tmp_path / "base").predict([contrived], ["id"])[0]
    wanted = "negative" if before != "negative" else "positive"

    report = train(tiny_data, [(contrived, wanted, "id")], out_dir=tmp_path / "fixed")

    assert load_model(tmp_path / "fixed").predict([contrived], ["id"]) == [wanted]
    assert report.corrections == 1
    assert base.corrections == 0


def test_a_correction_replaces_the_training_row_with_the_same_text(
    tiny_data: Path, tmp_path: Path
) -> None:
    report = train(tiny_data, [("petugas kasar sekali", "neutral", "id")], out_dir=tmp_path / "m")
    informal = len(read_handwritten(INFORMAL_TRAIN))
    assert report.trained_on == {"smsa": 34, "informal": informal, "correction": 1}


def test_training_refuses_unknown_labels(tiny_data: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="label"):
        train(tiny_data, [("bagus", "very positive", "id")], out_dir=tmp_path / "m")


@pytest.mark.django_db
def test_train_sentiment_command_writes_an_artefact(tiny_data: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("train_sentiment", data_dir=tiny_data, out=tmp_path / "cmd", stdout=out)
    assert (tmp_path / "cmd" / "model.npz").exists()
    assert f"trained on {36 + len(read_handwritten(INFORMAL_TRAIN))} rows" in out.getvalue()
    assert load_model(tmp_path / "cmd").predict(["pelayanan sangat bagus"], ["id"]) == ["positive"]


def test_the_shipped_model_reads_informal_posts_above_a_floor():
    """PRIMA's hand-written informal test sets (never trained on): embarrassment, fatigue,
    complaints phrased as questions, posts debunking a hoax, sarcasm, slang, emoji. The
    weights shipped until 2026-12-05 measured 0.83 on the small set and 0.746 on the
    334-post held-out set; the model trained with the hand-written informal examples and
    the informal cues measures 1.00 and 0.863. The floors guard against getting worse."""
    from prima.monitoring.nlp.sentiment import load_model
    from prima.monitoring.nlp.sentiment.training import (
        INFORMAL_HELDOUT,
        INFORMAL_TEST,
        evaluate,
    )

    assert evaluate(load_model(), read_handwritten(INFORMAL_TEST))["macro_f1"] >= 0.9
    assert evaluate(load_model(), read_handwritten(INFORMAL_HELDOUT))["macro_f1"] >= 0.84


def test_the_shipped_model_reads_plain_queue_complaints_as_negative():
    """The commonest complaint an airport office sees, with the incidental details that
    change from post to post, must never read as neutral."""
    from prima.monitoring.nlp.sentiment import load_model

    texts = [
        f"Antrean panjang di konter imigrasi bandara nomor {n}, petugas lambat"
        for n in range(1, 41)
    ]
    labels = load_model().predict(texts, ["id"] * len(texts))
    assert labels.count("negative") >= 38, labels


def test_the_held_out_informal_set_is_never_trained_on():
    """The 334-post held-out informal set only reports: none of its texts may be in the
    hand-written training rows or the shipped training data."""
    from prima.monitoring.nlp.sentiment.training import (
        INFORMAL_HELDOUT,
        INFORMAL_TRAIN,
        read_handwritten,
        text_key,
    )
    from prima.monitoring.retraining import read_training_data

    held = read_handwritten(INFORMAL_HELDOUT)
    assert len(held) >= 300
    assert {e.label for e in held} == set(LABELS) and all(e.tag for e in held)
    trained = {text_key(e.text) for e in read_handwritten(INFORMAL_TRAIN)}
    trained |= {text_key(e.text) for e in read_training_data()}
    assert not {text_key(e.text) for e in held} & trained


def test_inference_keeps_one_bounded_cache_per_token(model) -> None:
    """Labelling new words caches each token's feature indices once, in the vectoriser's
    bounded cache, never a second time as character n-grams (about ten times the memory:
    the n-gram cache is for fitting only; docs/operations.md, "Memory")."""
    from prima.monitoring.nlp.sentiment import features

    features.clear_caches()
    words = ["zqvorblatnik", "pxweluntrah", "kromsavindet"]
    model.predict([" ".join(words)], ["id"])
    assert features._token_grams.cache_info().currsize == 0
    char = next(g.vectoriser for g in model.groups if g.vectoriser.unit == "token")
    assert set(words) <= set(char._cache)
    # The cached indices are those of the n-grams found in the vocabulary.
    expected = tuple(
        j
        for f in features._grams(words[0], *char.ngram_range)
        if (j := char.vocab.get(f)) is not None
    )
    assert char._cache[words[0]] == expected


def test_the_vectoriser_cache_starts_again_when_full(model, monkeypatch) -> None:
    from prima.monitoring.nlp.sentiment import features

    char = next(g.vectoriser for g in model.groups if g.vectoriser.unit == "token")
    monkeypatch.setattr(features, "UNIT_CACHE_SIZE", 5)
    monkeypatch.setattr(char, "_cache", {})
    model.predict([" ".join(f"kata{n}x" for n in range(12))], ["id"])
    assert 0 < len(char._cache) <= 5
