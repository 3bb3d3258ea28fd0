"""Content → HTML with print CSS → PDF (WeasyPrint). The HTML is made from the same
:class:`~.content.Content` as the DOCX; nothing is fetched while rendering (images are
``data:`` URIs and any other URL is refused)."""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string

from . import content as c


def _data_uri(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _block_context(block: c.Block) -> dict[str, Any]:
    kind = type(block).__name__.lower()
    context: dict[str, Any] = {"kind": kind, "block": block}
    if isinstance(block, c.Image):
        context["src"] = _data_uri(block.png)
    if isinstance(block, c.Table):
        widths: list[float | None] = [None] * len(block.headers)
        if block.widths and len(block.widths) == len(block.headers):
            total = sum(block.widths) or 1
            widths = [round(100 * w / total, 2) for w in block.widths]
        context["head_cells"] = list(zip(block.headers, widths, strict=True))
    return context


def render_html(content: c.Content, *, footer: str = "") -> str:
    """The printable HTML of the content (what the PDF is made from)."""
    head = content.letterhead
    return render_to_string(
        "documents/generated/document.html",
        {
            "content": content,
            "head": head,
            "logo": _data_uri(head.logo, head.logo_type or "png") if head.logo else "",
            "blocks": [_block_context(b) for b in content.blocks],
            "footer": footer or head.name,
        },
    )


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        result: dict[str, Any] = default_url_fetcher(url)
        return result
    raise ValueError(f"documents never fetch {url[:60]!r} while rendering")


def _fetcher() -> Any:
    """Only ``data:`` URIs (WeasyPrint ≥ 68 takes a fetcher object; older ones a function)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:
        return _no_fetch
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def render_pdf(content: c.Content, *, footer: str = "") -> bytes:
    """The content as an A4 PDF (letterhead on the first page, page numbers below)."""
    from weasyprint import HTML  # Imported here: loading Pango costs ~0.3 s at start-up.

    html = render_html(content, footer=footer)
    pdf: bytes = HTML(string=html, url_fetcher=_fetcher()).write_pdf()
    return pdf
