"""A readable word-level diff between two texts, for people who approve a new version.

Pure functions: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text that is unchanged, added or removed."""

    op: Op
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> list[Segment]:
    """What changed from ``old`` to ``new``, word by word (whitespace kept as it is).

    Joining the ``equal`` and ``delete`` segments gives ``old``; joining ``equal`` and
    ``insert`` gives ``new``. A replaced word shows as its deletion followed by its
    insertion. Adjacent segments of the same kind are merged.
    """
    a, b = _tokens(old), _tokens(new)
    segments: list[Segment] = []

    def add(op: Op, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def changed_words(segments: list[Segment]) -> tuple[int, int]:
    """(words added, words removed) in a diff."""
    added = sum(len(s.text.split()) for s in segments if s.op == "insert")
    removed = sum(len(s.text.split()) for s in segments if s.op == "delete")
    return added, removed
