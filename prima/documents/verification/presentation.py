"""Findings shaped for the page: each part of the draft cut into pieces, the pieces a
finding points at marked with its number and severity, and the findings listed beside."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .types import SEVERITY_ORDER, Draft, Severity

SEVERITY_LABELS: dict[str, Promise] = {
    Severity.ERROR: _("Error"),
    Severity.WARNING: _("Warning"),
    Severity.INFO: _("Note"),
}


@dataclass
class Piece:
    text: str
    numbers: list[int] = field(default_factory=list)
    severity: str = ""


@dataclass
class ShownPart:
    name: str
    label: str
    pieces: list[Piece]
    checked: bool  # False for a question: shown for context, not checked


@dataclass
class ShownFinding:
    number: int  # 0: about the whole text (no words to point at)
    data: Mapping[str, Any]
    part_label: str = ""

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(str(self.data.get("severity")), ""))


@dataclass
class Shown:
    parts: list[ShownPart]
    findings: list[ShownFinding]
    errors: int
    warnings: int
    notes: int


def _cut(text: str, spans: Sequence[tuple[int, int, int, str]]) -> list[Piece]:
    """``text`` cut at every span boundary; each piece knows the findings covering it."""
    points = sorted({0, len(text), *(p for s, e, _, _ in spans for p in (s, e))})
    pieces: list[Piece] = []
    for start, end in zip(points, points[1:], strict=False):
        if start >= end:
            continue
        covering = [(n, sev) for s, e, n, sev in spans if s <= start and end <= e]
        piece = Piece(text[start:end])
        if covering:
            piece.numbers = sorted(n for n, _ in covering)
            piece.severity = min(
                (sev for _, sev in covering), key=lambda s: SEVERITY_ORDER[Severity(s)]
            )
        pieces.append(piece)
    return pieces


def shown(draft: Draft, findings: Sequence[Mapping[str, Any]]) -> Shown:
    """The draft's parts with the findings' words marked, and the numbered findings."""
    labels = {p.name: p.label for p in draft.parts}
    listed: list[ShownFinding] = []
    spans: dict[str, list[tuple[int, int, int, str]]] = {}
    number = 0
    for finding in findings:
        name = str(finding.get("part", ""))
        start, end = int(finding.get("start", 0)), int(finding.get("end", 0))
        if end > start:
            number += 1
            spans.setdefault(name, []).append((start, end, number, str(finding["severity"])))
            listed.append(ShownFinding(number, finding, labels.get(name, "")))
        else:
            listed.append(ShownFinding(0, finding, labels.get(name, "")))
    parts = []
    for part in draft.parts:
        if not part.text and part.name != "body":
            continue
        parts.append(
            ShownPart(
                part.name,
                part.label,
                _cut(part.text, spans.get(part.name, [])),
                checked=not part.name.startswith("question"),
            )
        )
    count = {s: sum(f.get("severity") == s for f in findings) for s in Severity}
    return Shown(
        parts, listed, count[Severity.ERROR], count[Severity.WARNING], count[Severity.INFO]
    )
