"""The content of a generated document: one typed structure of blocks, rendered to DOCX
and to PDF (and to plain text) by the renderers in this package.

A builder (:mod:`.builders`) makes a :class:`Content` from the source objects (a
conference, a crisis case, a period); a higher app (e.g. the post-event evaluation) may
make its own :class:`Content` — or a JSON-like dict read with :meth:`Content.from_dict`
— and hand it to :func:`prima.documents.generation.services.render_content`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Literal

ParagraphStyle = Literal["normal", "lead", "small", "note", "about", "contact"]


@dataclass(frozen=True)
class Letterhead:
    """What the top of every page says: the office's name, address and contacts (and its
    logo as image bytes, PNG or JPEG)."""

    name: str
    parent_name: str = ""  # e.g. the ministry and directorate general above the office
    address: str = ""
    contacts: str = ""  # one line: phone · e-mail · website
    logo: bytes = b""
    logo_type: str = ""  # "png" / "jpeg"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the document's headline (title is separate); 2: section; 3: sub


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: ParagraphStyle = "normal"
    # Written before the text in bold (a dateline "Tangerang, 19 November 2025 –").
    lead_in: str = ""


@dataclass(frozen=True)
class Quote:
    text: str
    name: str
    title: str = ""


@dataclass(frozen=True)
class ListBlock:
    items: tuple[str, ...]
    numbered: bool = True


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    # Relative widths of the columns (same length as headers); empty: equal.
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Image:
    """A chart or picture (PNG bytes) with its caption."""

    png: bytes
    caption: str = ""
    width_cm: float = 16.0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class EndMark:
    text: str = "-selesai-"


Block = Heading | Paragraph | Quote | ListBlock | Table | Image | PageBreak | EndMark


@dataclass(frozen=True)
class Content:
    """A whole document: the kind line ("SIARAN PERS"), its reference line (number and
    date), the headline, then the blocks."""

    kind_label: str  # e.g. "SIARAN PERS", "PRESS RELEASE"
    title: str
    language: str = "id"
    reference: str = ""  # e.g. "Nomor: 012/SP/SHIA/XII/2026"
    subtitle: str = ""  # e.g. the date or period
    letterhead: Letterhead = field(default_factory=lambda: Letterhead(name=""))
    blocks: tuple[Block, ...] = ()

    def text(self) -> str:
        """The document as plain text (what a reader reads; used by tests, search and the
        rendering benchmark's baseline)."""
        out: list[str] = [self.letterhead.name, self.kind_label]
        out += [t for t in (self.reference, self.title, self.subtitle) if t]
        for block in self.blocks:
            out.extend(block_text(block))
        return "\n".join(line for line in out if line)

    # --- A plain structure, for callers that build content without these classes --------
    def as_dict(self) -> dict[str, Any]:
        return {
            "kind_label": self.kind_label,
            "title": self.title,
            "language": self.language,
            "reference": self.reference,
            "subtitle": self.subtitle,
            "blocks": [_block_dict(b) for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], letterhead: Letterhead | None = None) -> Content:
        """Read the structure :meth:`as_dict` writes (unknown block types: ValueError)."""
        return cls(
            kind_label=str(data.get("kind_label", "")),
            title=str(data.get("title", "")),
            language=str(data.get("language", "id")),
            reference=str(data.get("reference", "")),
            subtitle=str(data.get("subtitle", "")),
            letterhead=letterhead or Letterhead(name=""),
            blocks=tuple(_block_from(b) for b in data.get("blocks", [])),
        )


def block_text(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, Paragraph):
        return [f"{block.lead_in} {block.text}".strip()]
    if isinstance(block, Quote):
        return [f"“{block.text}” — {block.name}" + (f", {block.title}" if block.title else "")]
    if isinstance(block, ListBlock):
        return [f"{i}. {item}" for i, item in enumerate(block.items, start=1)]
    if isinstance(block, Table):
        lines = [block.caption] if block.caption else []
        lines.append(" | ".join(block.headers))
        lines += [" | ".join(row) for row in block.rows]
        return lines
    if isinstance(block, Image):
        return [block.caption]
    if isinstance(block, EndMark):
        return [block.text]
    return []


def _block_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {
            "type": "paragraph",
            "text": block.text,
            "style": block.style,
            "lead_in": block.lead_in,
        }
    if isinstance(block, Quote):
        return {"type": "quote", "text": block.text, "name": block.name, "title": block.title}
    if isinstance(block, ListBlock):
        return {"type": "list", "items": list(block.items), "numbered": block.numbered}
    if isinstance(block, Table):
        return {
            "type": "table",
            "headers": list(block.headers),
            "rows": [list(r) for r in block.rows],
            "caption": block.caption,
            "widths": list(block.widths),
        }
    if isinstance(block, Image):
        return {
            "type": "image",
            "png": base64.b64encode(block.png).decode("ascii"),
            "caption": block.caption,
            "width_cm": block.width_cm,
        }
    if isinstance(block, EndMark):
        return {"type": "end", "text": block.text}
    return {"type": "page_break"}


def _block_from(data: dict[str, Any]) -> Block:
    kind = data.get("type")
    if kind == "heading":
        return Heading(str(data["text"]), int(data.get("level", 2)))
    if kind == "paragraph":
        style = data.get("style", "normal")
        if style not in ("normal", "lead", "small", "note", "about", "contact"):
            raise ValueError(f"unknown paragraph style {style!r}")
        return Paragraph(str(data["text"]), style, str(data.get("lead_in", "")))
    if kind == "quote":
        return Quote(str(data["text"]), str(data.get("name", "")), str(data.get("title", "")))
    if kind == "list":
        return ListBlock(tuple(str(i) for i in data["items"]), bool(data.get("numbered", True)))
    if kind == "table":
        return Table(
            tuple(str(h) for h in data["headers"]),
            tuple(tuple(str(c) for c in row) for row in data.get("rows", [])),
            str(data.get("caption", "")),
            tuple(int(w) for w in data.get("widths", [])),
        )
    if kind == "image":
        return Image(
            base64.b64decode(data["png"]),
            str(data.get("caption", "")),
            float(data.get("width_cm", 16.0)),
        )
    if kind == "end":
        return EndMark(str(data.get("text", "-selesai-")))
    if kind == "page_break":
        return PageBreak()
    raise ValueError(f"unknown block type {kind!r}")
