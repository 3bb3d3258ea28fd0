"""Feature extraction for the sentiment model: the same code at training and inference.

Texts are normalised with :mod:`prima.lib.text` (so raw social posts and the
lower-cased, pre-tokenised SmSA sentences look alike), then turned into two groups of
string features:

* ``word``: unigrams, bigrams, Sastrawi stems, negation-scoped words (``n:bagus`` after
  ``tidak``), counts from a small hand-written sentiment lexicon (also after the last
  "but"), ``?``/``!``/digits, a length bucket and emoji (read as sentiment words),
  cues for a complaint phrased as a question, an information question, debunk framing
  ("Tidak benar bahwa …": the lexicon words of the debunked claim are counted apart) and
  praise followed by a complaint (often sarcasm);
* ``char``: character 2–5-grams inside word boundaries (robust to spelling variants).

:class:`Vectoriser` maps them to sublinear TF-IDF vectors with L2 norm, in plain numpy
(CSR triplets), so inference needs neither scikit-learn nor scipy.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from prima.lib import text as textlib

DATA_DIR = Path(__file__).resolve().parent / "data"

NEGATORS = {
    "id": frozenset({"tidak", "bukan", "belum", "jangan", "kurang", "tanpa", "tak"}),
    "en": frozenset({"not", "no", "never", "without", "nothing", "nobody", "none", "hardly"}),
}
NEGATION_SCOPE = 3
CONTRAST = {
    "id": frozenset({"tapi", "tetapi", "namun", "sayangnya", "cuma", "hanya", "padahal"}),
    "en": frozenset({"but", "however", "although", "though", "unfortunately", "yet"}),
}

# A question that complains ("Kok loketnya cuma dua?", "Sampai kapan begini?") against
# one that asks for information ("Jam berapa loket buka?").
COMPLAINT_QUESTION = {
    "id": frozenset({"kenapa", "mengapa", "kok", "masa", "memangnya", "emangnya", "gunanya"}),
    "en": frozenset({"why"}),
}
COMPLAINT_QUESTION_PAIRS = {
    "id": frozenset({("sampai", "kapan"), ("apa", "harus"), ("buat", "apa"), ("untuk", "apa"),
                     ("bagaimana", "bisa"), ("bagaimana", "mau"), ("mana", "petugasnya"),
                     ("macam", "apa"), ("berapa", "kali"), ("apa", "tidak"), ("apa", "iya")}),
    "en": frozenset({("how", "come"), ("how", "is"), ("who", "thought"), ("is", "this")}),
}  # fmt: skip
INFO_QUESTION = {
    "id": frozenset({"apakah", "berapa", "kapan", "dimana", "bagaimana", "syarat", "tanya",
                     "bisakah", "bolehkah"}),
    "en": frozenset({"what", "when", "where", "which", "do", "does", "can", "how"}),
}  # fmt: skip
# Debunk framing ("Tidak benar bahwa …", "HOAKS: …", "Cek fakta: …"): the post reports
# that a claim is false, which is information, not a complaint. Inside such a post the
# words that name the falsehood are not counted as negative, and the lexicon words of
# the (quoted) claim are counted apart (``l:claim_*``) so that they do not decide alone.
DEBUNK = {
    "id": frozenset({"hoaks", "hoax", "klarifikasi", "membantah", "dibantah", "disinformasi",
                     "misinformasi", "meluruskan", "luruskan", "faktanya", "menyesatkan"}),
    "en": frozenset({"hoax", "debunked", "clarified", "clarification", "misleading",
                     "disinformation", "misinformation"}),
}  # fmt: skip
DEBUNK_PAIRS = {
    "id": frozenset({("tidak", "benar"), ("cek", "fakta"), ("bukan", "fakta"),
                     ("dipastikan", "tidak"), ("jangan", "percaya")}),
    "en": frozenset({("not", "true"), ("fact", "check"), ("is", "false"), ("is", "fake")}),
}  # fmt: skip
# Words naming the falsehood itself: not a sentiment inside debunk framing.
DEBUNK_NAMES = frozenset(
    {"hoaks", "hoax", "palsu", "keliru", "bohong", "disinformasi", "misinformasi", "fitnah",
     "menyesatkan", "fake", "false", "misleading", "rumour", "rumor"}
)  # fmt: skip

# Emoji and emoticons carry much of the sentiment of a social post, but the training
# sets have none: read them as a common sentiment word of the post's language instead.
_POSITIVE_EMOJI = "😀😁😂🤣😃😄😆😊😍🥰😘☺🙂🤗👍👏🙌💯❤💕💖💗💙💚💛🧡💜✨🎉🔥⭐🌟✅🥳🥹😋👌🫶💪🤩😇"
_NEGATIVE_EMOJI = "😞😟😠😡🤬😢😭😤😩😫😒🙄😑😐😕🙁☹😣😖😓💩👎💔🤮🤢❌⛔🤦😪🤯😰😱😨🥵😵"
_EMOTICON_RE = re.compile(r"(?<!\w)(?::-?\)|:-?d\b|;-?\)|<3|:-?\(|:'\(|>:\()", re.IGNORECASE)
_EMOJI_WORD = {"id": {1: " bagus ", -1: " kecewa "}, "en": {1: " good ", -1: " bad "}}
_EMOJI_MAP = {ord(ch): 1 for ch in _POSITIVE_EMOJI} | {ord(ch): -1 for ch in _NEGATIVE_EMOJI}


def _read_lexicon(name: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, polarity = line.split("\t")
            out[word] = int(polarity)
    return out


LEXICON = {"id": _read_lexicon("lexicon_id.tsv"), "en": _read_lexicon("lexicon_en.tsv")}


def _replace_emoji(text: str, lang: str) -> str:
    words = _EMOJI_WORD[lang]
    if not text.isascii():
        text = "".join(words[_EMOJI_MAP[ord(ch)]] if ord(ch) in _EMOJI_MAP else ch for ch in text)
    if ":" in text or ";" in text or "<" in text:
        text = _EMOTICON_RE.sub(lambda m: words[-1 if "(" in m.group(0) else 1], text)
    return text


def normalised_tokens(text: str, lang: str = "id") -> list[str]:
    """Tokens as the model sees them: informal spellings mapped, nothing dropped.

    A stand-alone ``nya`` (SmSA writes ``tempat nya``) is joined to the word before it,
    as raw text writes it (``tempatnya``).
    """
    lang = "en" if lang == "en" else "id"
    raw = textlib.tokens(_replace_emoji(text, lang), lang=lang, stem=False, drop_stopwords=False)
    out: list[str] = []
    for tok in raw:
        if tok == "nya" and out:
            out[-1] += "nya"
        else:
            out.append(tok)
    return out


def word_features(text: str, lang: str = "id", toks: list[str] | None = None) -> list[str]:
    """Word-group features of one text (see module docstring)."""
    lang = "en" if lang == "en" else "id"
    if toks is None:
        toks = normalised_tokens(text, lang)
    negators, lexicon = NEGATORS[lang], LEXICON[lang]
    feats = [f"w:{t}" for t in toks]
    feats += [f"b:{a}_{b}" for a, b in zip(toks, toks[1:], strict=False)]
    if lang == "id":
        feats += [f"s:{s}" for t in toks if (s := textlib.stem(t)) != t]
    scope = 0
    pos = neg = post_pos = post_neg = 0
    first_polarity = 0
    praise_then_complaint = False
    contrast = CONTRAST[lang]
    words = set(toks)
    pairs = set(zip(toks, toks[1:], strict=False))
    debunk = bool(words & DEBUNK[lang] or pairs & DEBUNK_PAIRS[lang])
    if debunk:
        feats.append("c:debunk")
    for tok in toks:
        if tok in negators:
            scope = NEGATION_SCOPE
            continue
        if tok in contrast:
            # "enak, tapi mahal": what follows the last "but" usually decides.
            post_pos = post_neg = 0
            scope = 0
            continue
        polarity = lexicon.get(tok) or (lexicon.get(textlib.stem(tok)) if lang == "id" else None)
        if scope:
            feats.append(f"n:{tok}")
            scope -= 1
            if polarity:
                polarity = -polarity
        if debunk and polarity:
            # Inside debunk framing: the falsehood's name is no sentiment, the claim's
            # own words are counted apart.
            if tok not in DEBUNK_NAMES:
                feats.append("l:claim_pos" if polarity == 1 else "l:claim_neg")
            continue
        if polarity and not first_polarity:
            first_polarity = polarity
        elif polarity == -1 and first_polarity == 1:
            praise_then_complaint = True
        if polarity == 1:
            pos += 1
            post_pos += 1
        elif polarity == -1:
            neg += 1
            post_neg += 1
    feats += ["l:pos"] * pos + ["l:neg"] * neg
    if praise_then_complaint and pos == post_pos:
        # "Hebat ya, antre tiga jam": praise first, a complaint after it and no "but"
        # between them is often sarcasm.
        feats.append("c:praise_then_complaint")
    if "?" in text:
        if words & COMPLAINT_QUESTION[lang] or pairs & COMPLAINT_QUESTION_PAIRS[lang]:
            feats.append("c:complaint_question")
        elif toks and (toks[0] in INFO_QUESTION[lang] or words & INFO_QUESTION[lang]):
            feats.append("c:info_question")
    if pos != post_pos or neg != post_neg:
        feats += ["l:post_pos"] * post_pos + ["l:post_neg"] * post_neg
    if not pos and not neg:
        feats.append("l:none")
    if "?" in text:
        feats.append("p:?")
    if "!" in text:
        feats.append("p:!")
    n = len(toks)
    length = "1-5" if n <= 5 else "6-15" if n <= 15 else "16-40" if n <= 40 else "41+"
    feats.append(f"len:{length}")
    if any(ch.isdigit() for ch in text):
        feats.append("p:digit")
    feats.append(f"lang:{lang}")
    return feats


def _grams(tok: str, lo: int, hi: int) -> tuple[str, ...]:
    padded = f" {tok} "
    n = len(padded)
    return tuple(
        padded[i : i + size] for size in range(lo, min(hi, n) + 1) for i in range(n - size + 1)
    )


# Fitting expands every token of the training data many times: cached (about 1.7 KB a
# token, so at most ~340 MB; training runs in a child process that ends with it).
# Inference does not use this cache: a Vectoriser keeps each token's feature indices
# instead (UNIT_CACHE_SIZE), which is all it needs.
_token_grams = functools.lru_cache(maxsize=200_000)(_grams)


def clear_caches() -> None:
    """Forget the cached character n-grams (bounded at 200,000 tokens; training fills it
    with the whole training data's vocabulary)."""
    _token_grams.cache_clear()


def char_features(
    text: str, lang: str = "id", lo: int = 2, hi: int = 5, toks: list[str] | None = None
) -> list[str]:
    """Character ``lo``–``hi``-grams inside word boundaries of the normalised tokens."""
    feats: list[str] = []
    for tok in normalised_tokens(text, lang) if toks is None else toks:
        feats.extend(_token_grams(tok, lo, hi))
    return feats


def extract(text: str, lang: str = "id") -> dict[str, list[str]]:
    """Both feature groups of one text, tokenising once.

    The ``char`` group is returned as tokens: :class:`Vectoriser` expands each token
    into its character n-grams (and caches that per token, which is what makes
    inference fast).
    """
    lang = "en" if lang == "en" else "id"
    toks = normalised_tokens(text, lang)
    return {"word": word_features(text, lang, toks=toks), "char": toks}


CHAR_RANGE = (2, 5)
# Per-vectoriser cache of unit -> feature indices; cleared when it grows past this.
# About 180 bytes a token (with its key), so at most ~18 MB per vectoriser: a stream's
# working vocabulary fits (a year of posts may hold millions of distinct tokens, most
# seen once: the cache starts again rather than growing with them).
UNIT_CACHE_SIZE = 100_000


@dataclass
class Vectoriser:
    """Sublinear TF-IDF with L2 norm over a fixed vocabulary (numpy only).

    Documents are lists of *units*: a unit is a feature itself (``unit="feature"``) or a
    token that stands for its character n-grams (``unit="token"``).
    """

    vocab: dict[str, int]
    idf: np.ndarray
    unit: str = "feature"
    ngram_range: tuple[int, int] = CHAR_RANGE
    _cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def expand(self, unit: str, *, cached: bool = False) -> tuple[str, ...]:
        """The features a unit stands for. ``cached``: through the n-gram cache (fitting,
        which expands every token many times); inference keeps the result instead
        (:meth:`_indices`): a second copy of every token's n-grams would cost ten times
        as much memory."""
        if self.unit == "token":
            return (_token_grams if cached else _grams)(unit, *self.ngram_range)
        return (unit,)

    @classmethod
    def fit(cls, docs: Sequence[list[str]], min_df: int = 2, unit: str = "feature") -> Vectoriser:
        """Learn vocabulary and smooth IDF (as scikit-learn's ``smooth_idf=True``)."""
        df: Counter[str] = Counter()
        probe = cls({}, np.zeros(0, dtype=np.float32), unit)
        for units in docs:
            feats: set[str] = set()
            for u in units:
                feats.update(probe.expand(u, cached=True))
            df.update(feats)
        kept = sorted(f for f, c in df.items() if c >= min_df)
        n = len(docs)
        vocab = {f: i for i, f in enumerate(kept)}
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1 for f in kept], dtype=np.float32)
        return cls(vocab, idf, unit)

    def _indices(self, unit: str) -> tuple[int, ...]:
        vocab = self.vocab
        found = tuple(j for f in self.expand(unit) if (j := vocab.get(f)) is not None)
        if len(self._cache) >= UNIT_CACHE_SIZE:
            self._cache.clear()
        self._cache[unit] = found
        return found

    def transform(self, docs: Iterable[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return CSR ``(indptr, indices, data)`` arrays for ``docs`` (unknown features dropped).

        Python does one cached look-up per unit; counting, TF-IDF and the L2 norm are
        numpy operations over the whole batch.
        """
        cache = self._cache
        flat: list[int] = []
        lengths: list[int] = []
        for units in docs:
            before = len(flat)
            for u in units:
                hit = cache.get(u)
                flat.extend(hit if hit is not None else self._indices(u))
            lengths.append(len(flat) - before)
        n_rows = len(lengths)
        n_feat = max(len(self.vocab), 1)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        keys, counts = np.unique(
            rows * n_feat + np.asarray(flat, dtype=np.int64), return_counts=True
        )
        row_of = keys // n_feat
        idx = keys % n_feat
        ptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n_rows), out=ptr[1:])
        vals = (1.0 + np.log(counts.astype(np.float32))) * self.idf[idx]
        if len(vals):
            norms = np.sqrt(np.bincount(row_of, weights=vals * vals, minlength=n_rows))
            vals = vals / norms[row_of]
        return ptr, idx, vals.astype(np.float32)


def sparse_dot(csr: tuple[np.ndarray, np.ndarray, np.ndarray], weights: np.ndarray) -> np.ndarray:
    """Multiply CSR rows by a dense ``(n_features, k)`` matrix: ``(n_rows, k)`` result."""
    indptr, indices, data = csr
    n_rows = len(indptr) - 1
    out = np.zeros((n_rows, weights.shape[1]), dtype=np.float64)
    if len(indices) == 0:
        return out
    contrib = weights[indices] * data[:, None]
    nonempty = np.flatnonzero(np.diff(indptr))
    out[nonempty] = np.add.reduceat(contrib, indptr[nonempty], axis=0)
    return out
