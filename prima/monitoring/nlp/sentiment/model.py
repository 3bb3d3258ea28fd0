"""Sentiment inference with numpy only, from a portable artefact.

The artefact is a directory with ``model.json`` (labels, feature-group settings,
intercepts, class offsets, metrics) and ``model.npz`` (for each feature group its
vocabulary as UTF-8 text, IDF weights and coefficients; no pickled objects), so that a
newer scikit-learn — or none at all — can still load it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from prima.monitoring.nlp.language import detect_language
from prima.monitoring.nlp.sentiment.features import Vectoriser, extract, sparse_dot

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
ARTEFACT_DIR = Path(__file__).resolve().parent / "artefact"
FORMAT_VERSION = 1
# Texts per chunk: bounds memory of the batched sparse product on huge inputs.
CHUNK = 4096


@dataclass
class FeatureGroup:
    name: str
    scale: float
    vectoriser: Vectoriser
    coef: np.ndarray  # (n_features, n_labels)


@dataclass
class SentimentModel:
    """A linear model over TF-IDF feature groups, with per-class decision offsets."""

    groups: list[FeatureGroup]
    intercept: np.ndarray
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(len(LABELS)))
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)

    def _langs(self, texts: Sequence[str], langs: Sequence[str | None] | None) -> list[str]:
        if langs is None:
            langs = [None] * len(texts)
        elif len(langs) != len(texts):
            raise ValueError("langs must be as long as texts")
        out = []
        for text, lang in zip(texts, langs, strict=True):
            if lang is None:
                lang = detect_language(text)
            out.append("en" if lang == "en" else "id")
        return out

    def decision_function(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Raw class scores ``(n, n_labels)`` before offsets and softmax."""
        texts = list(texts)
        langs_ = self._langs(texts, langs)
        scores = np.zeros((len(texts), len(self.labels)))
        for start in range(0, len(texts), CHUNK):
            feats = [
                extract(t, lang)
                for t, lang in zip(
                    texts[start : start + CHUNK], langs_[start : start + CHUNK], strict=True
                )
            ]
            block = scores[start : start + len(feats)]
            for group in self.groups:
                csr = group.vectoriser.transform(f[group.name] for f in feats)
                block += group.scale * sparse_dot(csr, group.coef)
            block += self.intercept
        return scores

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Class probabilities ``(n, n_labels)`` in ``self.labels`` order.

        ``langs`` gives each text's language (``"id"``/``"en"``; anything else is read as
        Indonesian); when omitted it is detected per text. Text with no letters or
        digits gets certainty for ``neutral``.
        """
        texts = list(texts)
        scores = self.decision_function(texts, langs)
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        neutral = self.labels.index("neutral")
        for i, text in enumerate(texts):
            if not any(ch.isalnum() for ch in text):
                probs[i] = 0.0
                probs[i, neutral] = 1.0
        return probs

    def predict(self, texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[str]:
        """One label per text (``"positive"``, ``"neutral"`` or ``"negative"``).

        The tuned per-class offsets are added to the log probabilities first (they
        trade a little positive recall for neutral recall, the weak class).
        """
        texts = list(texts)
        if not texts:
            return []
        logp = np.log(np.clip(self.predict_proba(texts, langs), 1e-12, None)) + self.offsets
        return [self.labels[i] for i in logp.argmax(axis=1)]

    # -- portable storage -------------------------------------------------------------

    def save(self, out_dir: Path) -> None:
        """Write ``model.json`` and ``model.npz`` into ``out_dir`` (created if needed)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {}
        groups_meta = []
        for g in self.groups:
            vocab = sorted(g.vectoriser.vocab, key=g.vectoriser.vocab.__getitem__)
            blob = "\n".join(vocab).encode("utf-8")
            arrays[f"{g.name}_vocab"] = np.frombuffer(blob, dtype=np.uint8)
            arrays[f"{g.name}_idf"] = g.vectoriser.idf.astype(np.float32)
            arrays[f"{g.name}_coef"] = g.coef.astype(np.float32)
            groups_meta.append(
                {
                    "name": g.name,
                    "unit": g.vectoriser.unit,
                    "ngram_range": list(g.vectoriser.ngram_range),
                    "scale": g.scale,
                    "n_features": len(vocab),
                }
            )
        np.savez_compressed(out_dir / "model.npz", **arrays)
        meta = {
            "format": FORMAT_VERSION,
            "labels": list(self.labels),
            "groups": groups_meta,
            "intercept": [float(x) for x in self.intercept],
            "offsets": [float(x) for x in self.offsets],
            **{k: v for k, v in self.meta.items() if k not in {"format", "labels", "groups"}},
        }
        (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SentimentModel:
        """Read an artefact directory written by :meth:`save` (about 0.2 s)."""
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported sentiment artefact format {meta.get('format')!r}")
        groups = []
        with np.load(path / "model.npz", allow_pickle=False) as npz:
            for g in meta["groups"]:
                name = g["name"]
                blob = npz[f"{name}_vocab"].tobytes().decode("utf-8")
                words = blob.split("\n") if blob else []
                vocab = {w: i for i, w in enumerate(words)}
                vec = Vectoriser(
                    vocab,
                    npz[f"{name}_idf"].astype(np.float32),
                    g["unit"],
                    (int(g["ngram_range"][0]), int(g["ngram_range"][1])),
                )
                coef = npz[f"{name}_coef"].astype(np.float64)
                groups.append(FeatureGroup(name, float(g["scale"]), vec, coef))
        return cls(
            groups=groups,
            intercept=np.asarray(meta["intercept"], dtype=np.float64),
            offsets=np.asarray(meta.get("offsets", [0.0] * len(meta["labels"]))),
            labels=tuple(meta["labels"]),
            meta=meta,
        )


@functools.lru_cache(maxsize=4)
def _load_cached(path: Path) -> SentimentModel:
    return SentimentModel.load(path)


def load_model(path: Path | str | None = None) -> SentimentModel:
    """Return the sentiment model stored at ``path`` (default: the shipped artefact).

    Cached per path for the life of the process: the first call reads about 2 MB.
    Call ``load_model.cache_clear()`` after retraining into the same directory.
    """
    return _load_cached(Path(path or ARTEFACT_DIR).resolve())


load_model.cache_clear = _load_cached.cache_clear  # type: ignore[attr-defined]
