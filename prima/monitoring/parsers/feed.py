"""RSS and Atom feeds (bytes) → :class:`ParsedItem` objects, via feedparser.

Only bytes are accepted, never a URL or a path: ``feedparser.parse`` would otherwise fetch
URLs and open files by itself. Fetching is :mod:`prima.monitoring.fetch`'s job.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from .base import (
    PLATFORM_NEWS,
    ParsedItem,
    ParseResult,
    Rejected,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
    stable_id,
)
from .sanitize import html_to_text

logger = logging.getLogger(__name__)

# A feed rarely carries more than a few hundred entries; a bigger one is cut here.
DEFAULT_MAX_ENTRIES = 5_000

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_XML_DECL_ENCODING = re.compile(rb"^(<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")


def _to_ascii_compatible(data: bytes) -> bytes:
    """Re-encode UTF-16/UTF-32 documents to UTF-8 so byte-level checks below see the markup."""
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    )
    encoding = None
    for bom, name in boms:
        if data.startswith(bom):
            encoding, data = name, data[len(bom) :]
            break
    if encoding is None and data[:2] == b"<\x00":
        encoding = "utf-16-le"
    elif encoding is None and data[:2] == b"\x00<":
        encoding = "utf-16-be"
    if encoding is None:
        return data
    text = data.decode(encoding, errors="replace")
    utf8 = text.encode("utf-8")
    return _XML_DECL_ENCODING.sub(rb'\1"utf-8"', utf8, count=1)


def neutralise_dtd(data: bytes) -> tuple[bytes, str | None]:
    """Strip a DOCTYPE from a feed; refuse one that declares entities.

    Returns ``(data, error)``. Entity declarations are how "billion laughs" and external
    entity (XXE) attacks work; no legitimate feed needs them, so such a feed is refused.
    A plain DOCTYPE (old RSS 0.91 feeds have one) is removed so no parser ever loads a DTD.
    """
    data = _to_ascii_compatible(data)
    if _ENTITY_DECL.search(data):
        return data, (
            "The feed declares XML entities (<!ENTITY ...>). Such feeds are refused because "
            "entities can be used to attack the server."
        )
    return _DOCTYPE.sub(b"", data, count=1), None


def _struct_to_datetime(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _entry_text(entry: Mapping[str, Any]) -> str:
    contents = entry.get("content") or []
    best = ""
    for content in contents:
        value = content.get("value") if isinstance(content, Mapping) else None
        if isinstance(value, str) and len(value) > len(best):
            best = value
    summary = entry.get("summary")
    if isinstance(summary, str) and len(summary) > len(best):
        best = summary
    return html_to_text(best)


def _entry_link(entry: Mapping[str, Any], base_url: str) -> str:
    candidates: list[str] = []
    link = entry.get("link")
    if isinstance(link, str):
        candidates.append(link)
    for item in entry.get("links") or []:
        if isinstance(item, Mapping) and item.get("rel", "alternate") == "alternate":
            href = item.get("href")
            if isinstance(href, str):
                candidates.append(href)
    for candidate in candidates:
        if not candidate.strip():
            continue
        absolute = urljoin(base_url, candidate.strip()) if base_url else candidate.strip()
        url = clean_url(absolute)
        if url:
            return url
    return ""


def parse_feed(
    data: bytes,
    *,
    base_url: str = "",
    content_type: str = "",
    platform: str = PLATFORM_NEWS,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> ParseResult:
    """Parse RSS/Atom ``data`` into items; never raises on bad input.

    ``base_url`` (the feed's URL) resolves relative links; ``content_type`` (the HTTP
    header) helps with encodings. Entries without an id get one derived from their link or,
    lacking that, from a hash of their content; entries with neither title nor text are
    rejected. HTML in summaries becomes plain text. Costs roughly 1 ms per entry.
    """
    result = ParseResult()
    if not isinstance(data, bytes | bytearray) or not data.strip():
        result.errors.append("The feed is empty.")
        return result
    data, error = neutralise_dtd(bytes(data))
    if error:
        result.errors.append(error)
        return result
    headers = {"content-location": base_url} if base_url else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers=headers, resolve_relative_uris=True
        )
    except Exception:  # feedparser on hostile bytes: report, never crash the import
        logger.exception("feedparser failed")
        result.errors.append("The feed could not be read (the parser failed on its content).")
        return result

    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        detail = f": {str(reason)[:200]}" if reason else ""
        result.errors.append(f"This is not a readable RSS or Atom feed{detail}.")
        return result

    feed_info = parsed.get("feed") or {}
    outlet = clean_text(feed_info.get("title"), max_length=300)
    feed_lang = clean_text(feed_info.get("language"), max_length=20)
    feed_link = clean_url(feed_info.get("link"))
    base = base_url or feed_link

    if len(entries) > max_entries:
        result.errors.append(
            f"The feed has {len(entries)} entries; only the first {max_entries} were read."
        )
    for position, entry in enumerate(entries[:max_entries], start=1):
        try:
            item = _entry_to_item(entry, base, outlet, feed_lang, platform)
        except Exception:  # one odd entry must not lose the others
            logger.exception("feed entry %s failed", position)
            result.rejected.append(Rejected(position, "the entry could not be read"))
            continue
        if isinstance(item, str):
            result.rejected.append(Rejected(position, item))
        else:
            result.items.append(item)
    return result


def _entry_to_item(
    entry: Mapping[str, Any], base: str, outlet: str, feed_lang: str, platform: str
) -> ParsedItem | str:
    title = html_to_text(clean_text(entry.get("title"), max_length=2_000))
    text = _entry_text(entry)
    link = _entry_link(entry, base)
    if not (title or text):
        return "the entry has no title or text"
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            published = _struct_to_datetime(entry[key])
            if published:
                break
    entry_id = entry.get("id") or entry.get("guid")
    if isinstance(entry_id, str) and entry_id.strip():
        external_id = fit_external_id(entry_id)
    elif link:
        external_id = fit_external_id(canonicalize_url(link))
    else:
        external_id = stable_id(title, text)
    # RSS authors are "mail@example.id (Name)"; feedparser splits out the name.
    author_detail = entry.get("author_detail") or {}
    author = clean_text(author_detail.get("name") or entry.get("author"), max_length=300)
    lang = clean_text((entry.get("title_detail") or {}).get("language") or feed_lang, max_length=20)
    tags = [t.get("term") for t in entry.get("tags") or [] if isinstance(t, Mapping)]
    return ParsedItem(
        external_id=external_id,
        text=text or title,
        url=link,
        canonical_url=canonicalize_url(link),
        title=title,
        author=author,
        outlet=outlet,
        platform=platform,
        published_at=published,
        lang_hint=lang,
        raw={
            "id": entry_id if isinstance(entry_id, str) else None,
            "link": entry.get("link"),
            "tags": [t for t in tags if isinstance(t, str)],
        },
    )
