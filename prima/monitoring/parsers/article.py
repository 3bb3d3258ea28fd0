"""One article page (HTML bytes) → one :class:`ParsedItem`: main text and metadata.

Decoding follows the parsers' one strategy (:mod:`.encoding`), with the charset of the
HTTP header and of the page's ``<meta charset>`` as the declared ones. Main-text
extraction is trafilatura's; the canonical URL, site name and publication time come from
the page's own ``<link>`` and ``<meta>`` tags when it has them, as they are more exact
than heuristics.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura

from .base import (
    PLATFORM_NEWS,
    ParsedItem,
    ParseResult,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
    stable_id,
)
from .encoding import decode
from .values import JAKARTA, parse_datetime

logger = logging.getLogger(__name__)

# Pages bigger than this are cut before parsing (lxml and trafilatura are linear, but a
# 50 MB page is not an article).
DEFAULT_MAX_HTML_CHARS = 5_000_000

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def decode_html(data: bytes, content_type: str = "") -> str:
    """Decode HTML bytes to text; never raises (see :mod:`.encoding`: the charset of
    ``content_type`` and the page's ``<meta charset>`` in its first 4 KB are the declared
    ones)."""
    declared = []
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        declared.append(match.group(1))
    meta_match = _META_CHARSET.search(data[:4096])
    if meta_match:
        declared.append(meta_match.group(1).decode("ascii", "replace"))
    return decode(data, declared)


def _page_metadata(html_text: str, url: str) -> dict[str, str]:
    """Read canonical URL, og:* and article:* metadata straight from the page."""
    meta: dict[str, str] = {}
    try:
        tree = lxml.html.document_fromstring(html_text)
    except (ValueError, lxml.etree.ParserError, lxml.etree.XMLSyntaxError):
        return meta
    if tree.get("lang"):
        meta["html:lang"] = tree.get("lang", "").strip()
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if "canonical" in rel and href and "canonical" not in meta:
            meta["canonical"] = urljoin(url, href.strip()) if url else href.strip()
    for tag in tree.iterfind(".//meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = (tag.get("content") or "").strip()
        if key and value and key not in meta:
            meta[key] = value
    return meta


def _published(meta: dict[str, str], extracted_date: str | None) -> datetime | None:
    for key in ("article:published_time", "og:published_time", "datepublished",
                "pubdate", "publishdate", "date", "dc.date.issued", "dc.date"):  # fmt: skip
        if meta.get(key):
            parsed = parse_datetime(meta[key])
            if parsed:
                return parsed
    if extracted_date:
        # trafilatura gives a date only: take midnight in Jakarta rather than invent a time.
        try:
            day = datetime.strptime(extracted_date[:10], "%Y-%m-%d").date()
        except ValueError:
            return None
        return datetime.combine(day, time(0, 0), tzinfo=JAKARTA).astimezone(UTC)
    return None


def parse_article(
    data: bytes,
    *,
    url: str = "",
    content_type: str = "",
    platform: str = PLATFORM_NEWS,
    max_chars: int = DEFAULT_MAX_HTML_CHARS,
    min_text_chars: int = 40,
) -> ParseResult:
    """Extract the main text and metadata of an article page; never raises on bad input.

    ``url`` is the page's address (used for relative canonical links and as a fallback
    outlet); ``content_type`` is the HTTP header (for its charset). Returns a result with
    one item, or an error when no article text (at least ``min_text_chars``) is found.
    Costs 10-100 ms per page (trafilatura runs several extraction passes).
    """
    result = ParseResult()
    if not isinstance(data, bytes | bytearray) or not data.strip():
        result.errors.append("The page is empty.")
        return result
    html_text = decode_html(bytes(data), content_type)[:max_chars].replace("\x00", "")
    meta = _page_metadata(html_text, url)
    try:
        document: Any = trafilatura.bare_extraction(
            html_text,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
        )
    except Exception:  # trafilatura on hostile markup: report, never crash the import
        logger.exception("trafilatura failed on %s", url)
        document = None
    get = (
        (lambda name: getattr(document, name, None))
        if document is not None
        else (lambda name: None)
    )
    text = clean_text(get("text"))
    if len(text) < min_text_chars:
        result.errors.append("No article text could be found on this page.")
        return result
    page_url = clean_url(url)
    canonical = canonicalize_url(meta.get("canonical") or meta.get("og:url") or page_url)
    hostname = (urlsplit(canonical or page_url).hostname or "") if (canonical or page_url) else ""
    outlet = clean_text(
        meta.get("og:site_name") or get("sitename") or hostname.removeprefix("www."),
        max_length=300,
    )
    title = clean_text(meta.get("og:title") or get("title"), max_length=2_000)
    author = clean_text(get("author") or meta.get("author"), max_length=300)
    lang = clean_text(
        get("language") or meta.get("html:lang") or meta.get("og:locale") or "", max_length=20
    )
    published = _published(meta, get("date"))
    external_id = fit_external_id(canonical) if canonical else stable_id(title, text)
    result.items.append(
        ParsedItem(
            external_id=external_id,
            text=text,
            url=page_url or canonical,
            canonical_url=canonical,
            title=title,
            author=author,
            outlet=outlet,
            platform=platform,
            published_at=published,
            lang_hint=lang,
            raw={"description": clean_text(get("description"), max_length=2_000)},
        )
    )
    return result
