"""Markdown written by PRIMA's own code (model cards) as safe HTML for a page.

The text is rendered with Python-Markdown (headings, lists, tables, code) and then
cleaned with nh3, so whatever the text holds, only plain formatting tags reach the page.
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr",
        "th", "td", "code", "pre", "strong", "em", "blockquote", "br", "hr", "a"}  # fmt: skip


def render(text: str, *, shift_headings: int = 1) -> SafeString:
    """``text`` (Markdown) as cleaned HTML; headings are moved ``shift_headings`` levels
    down (a card's ``#`` becomes ``<h2>`` under the page's own ``<h1>``)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    for level in range(4, 0, -1) if shift_headings else ():
        target = min(level + shift_headings, 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above
