"""HTML from outside (feeds, articles, imports) made safe to show, or flattened to text.

Both functions use nh3 (the Rust ``ammonia`` sanitiser): linear time, no regex backtracking
on hostile input, scripts and styles dropped with their content.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "h2", "h3", "h4", "i",
        "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Removed together with everything inside them.
_DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})

_BLOCK_TAG = re.compile(
    r"<\s*(/?\s*(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|pre|section|article|"
    r"header|footer|figure|figcaption|dd|dt|hr)\b)[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_html(value: str) -> str:
    """Return ``value`` with only a small allow-list of formatting tags kept.

    Links keep ``href``/``title`` only, may point to http, https or mailto, and get
    ``rel="noopener noreferrer nofollow"``. Everything else (scripts, event handlers,
    styles, iframes, forms, images) is removed. Safe to mark as safe in a template.
    """
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _mark_block(match: re.Match[str]) -> str:
    # <br> is a line break; other block tags separate paragraphs (blank-line collapsing
    # below turns the newlines around them into one empty line).
    if match.group(1).lower().startswith("br"):
        return "\n"
    return "\n\n"


def html_to_text(value: str) -> str:
    """Flatten HTML (or plain text) to readable plain text.

    Block elements become line breaks, scripts and styles disappear with their content,
    entities are decoded and runs of whitespace collapse. The result is plain text, not
    HTML: escape it when you put it in a page.
    """
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        text = value
    else:
        marked = _BLOCK_TAG.sub(_mark_block, value)
        stripped = nh3.clean(
            marked, tags=set(), clean_content_tags=set(_DROP_WITH_CONTENT), strip_comments=True
        )
        text = html.unescape(stripped)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
