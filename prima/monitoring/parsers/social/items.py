"""One record of an export (a CSV row, a JSON object) → a :class:`ParsedItem` or a
:class:`Rejected`, through a column mapping: values read leniently (dates, counts,
platforms), JSON paths followed, joined objects (X/Twitter ``includes``) attached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from ..base import (
    PLATFORM_FACEBOOK,
    PLATFORM_INSTAGRAM,
    PLATFORM_NEWS,
    PLATFORM_OTHER,
    PLATFORM_TIKTOK,
    PLATFORM_TWITTER,
    PLATFORM_YOUTUBE,
    PLATFORMS,
    ParsedItem,
    Rejected,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
    stable_id,
)
from ..mapping import ColumnMapping, Join, normalise_header
from ..values import parse_count, parse_datetime

_PLATFORM_ALIASES = {
    "twitter": PLATFORM_TWITTER, "x": PLATFORM_TWITTER, "x_twitter": PLATFORM_TWITTER,
    "twitter_x": PLATFORM_TWITTER, "tweet": PLATFORM_TWITTER, "x_com": PLATFORM_TWITTER,
    "facebook": PLATFORM_FACEBOOK, "fb": PLATFORM_FACEBOOK, "meta": PLATFORM_FACEBOOK,
    "instagram": PLATFORM_INSTAGRAM, "ig": PLATFORM_INSTAGRAM, "insta": PLATFORM_INSTAGRAM,
    "tiktok": PLATFORM_TIKTOK, "tik_tok": PLATFORM_TIKTOK,
    "youtube": PLATFORM_YOUTUBE, "yt": PLATFORM_YOUTUBE,
    "news": PLATFORM_NEWS, "berita": PLATFORM_NEWS, "online": PLATFORM_NEWS,
    "media_online": PLATFORM_NEWS, "portal_berita": PLATFORM_NEWS, "web": PLATFORM_NEWS,
    "rss": PLATFORM_NEWS, "other": PLATFORM_OTHER, "lainnya": PLATFORM_OTHER,
}  # fmt: skip
_HOST_PLATFORMS = {
    "twitter.com": PLATFORM_TWITTER, "x.com": PLATFORM_TWITTER, "t.co": PLATFORM_TWITTER,
    "facebook.com": PLATFORM_FACEBOOK, "fb.com": PLATFORM_FACEBOOK,
    "fb.watch": PLATFORM_FACEBOOK, "instagram.com": PLATFORM_INSTAGRAM,
    "tiktok.com": PLATFORM_TIKTOK, "youtube.com": PLATFORM_YOUTUBE,
    "youtu.be": PLATFORM_YOUTUBE,
}  # fmt: skip


def normalise_platform(value: object, url: str = "", default: str = "") -> str:
    """Map ``"X"``, ``"IG"``, ``"Facebook"``, a URL's host … to a platform identifier."""
    if isinstance(value, str) and value.strip():
        key = normalise_header(value)
        if key in PLATFORMS:
            return key
        if key in _PLATFORM_ALIASES:
            return _PLATFORM_ALIASES[key]
        for alias, platform in _PLATFORM_ALIASES.items():
            if len(alias) > 3 and alias in key:
                return platform
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
        if host in _HOST_PLATFORMS:
            return _HOST_PLATFORMS[host]
    return default if default in PLATFORMS else PLATFORM_OTHER


def present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not isinstance(value, dict | list)


def build_item(
    get: Callable[[str], Any],
    mapping: ColumnMapping,
    position: int,
    raw: dict[str, Any],
    source: str,
) -> ParsedItem | Rejected:
    text_value = get("text")
    text = clean_text(text_value) if isinstance(text_value, str | int | float) else ""
    if not text:
        where = ", ".join(repr(s) for s in mapping.sources("text"))
        return Rejected(position, f"the post text is empty (column {where})", source)
    warnings: list[str] = []
    handle = clean_text(get("author_handle"), max_length=200).lstrip("@")
    author = clean_text(get("author"), max_length=300) or (f"@{handle}" if handle else "")
    date_value = get("published_at")
    published = parse_datetime(date_value, mapping.timezone) if present(date_value) else None
    if present(date_value) and published is None:
        warnings.append(f"unreadable date {str(date_value)[:60]!r}")
    counts: dict[str, int | None] = {}
    for name in ("likes", "shares", "comments", "author_followers"):
        value = get(name)
        counts[name] = parse_count(value) if present(value) else None
        if present(value) and counts[name] is None:
            warnings.append(f"unreadable {name} {str(value)[:30]!r}")
    url = clean_url(get("url"))
    external = get("external_id")
    external_id = fit_external_id(str(external)) if present(external) else ""
    platform = normalise_platform(get("platform"), url, mapping.platform)
    if not url and mapping.url_template and external_id:
        url = clean_url(
            mapping.url_template.replace("{external_id}", quote(external_id, safe="")).replace(
                "{author_handle}", quote(handle, safe="")
            )
        )
    canonical = canonicalize_url(url)
    if not external_id:
        external_id = canonical or stable_id(
            platform, handle or author, published.isoformat() if published else "", text
        )
    if warnings:
        raw = {**raw, "_warnings": warnings}
    return ParsedItem(
        external_id=external_id,
        text=text,
        url=url,
        canonical_url=canonical,
        title=clean_text(get("title"), max_length=2_000),
        author=author,
        author_handle=handle,
        author_followers=counts["author_followers"],
        outlet=clean_text(get("outlet"), max_length=300),
        platform=platform,
        published_at=published,
        likes=counts["likes"],
        shares=counts["shares"],
        comments=counts["comments"],
        lang_hint=clean_text(get("lang_hint"), max_length=20),
        raw=raw,
    )


def resolve_path(record: Any, path: str, joined: Mapping[str, Any]) -> Any:
    """Follow a dotted path (``public_metrics.like_count``, ``@author.name``, ``urls.0``)."""
    if isinstance(record, Mapping) and path in record:
        return record[path]
    current: Any
    if path.startswith("@"):
        name, _, path = path[1:].partition(".")
        current = joined.get(name)
        if not path:
            return current
    else:
        current = record
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
        if current is None:
            return None
    return current


def join_tables(document: Any, joins: tuple[Join, ...]) -> dict[str, tuple[Join, dict[str, Any]]]:
    tables: dict[str, tuple[Join, dict[str, Any]]] = {}
    for join in joins:
        collection = resolve_path(document, join.collection, {})
        table: dict[str, Any] = {}
        if isinstance(collection, list):
            for element in collection:
                if isinstance(element, dict) and join.key in element:
                    table.setdefault(str(element[join.key]), element)
        tables[join.name] = (join, table)
    return tables
