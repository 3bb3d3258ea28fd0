"""Row preparation: one parsed entry → one candidate mention, checked and normalised.

Pure (no database): cleans text and URLs, fixes the publication time (naive times are in
the office's zone; implausible ones are refused with a reason), picks the platform and
outlet, and computes the keys that deduplication uses (external id, URL hash, content
hash of the normalised words).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, tzinfo

from django.utils import timezone

from .. import neardup
from ..models import Issue, Platform, Source
from ..parsers.base import (
    ParsedItem,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
    stable_id,
)
from ..parsers.sanitize import html_to_text
from .results import DUPLICATE, ItemResult

# Counts above this are nonsense (and would overflow a BIGINT column): capped.
MAX_COUNT = 10**15
# Publication times before this are refused (typos; and out of range for time zones).
OLDEST = datetime(1990, 1, 1, tzinfo=UTC)
# Publication times further ahead than this are refused (a wrong time zone or a typo).
FUTURE_TOLERANCE = timedelta(days=1)
# Item warnings kept per job.
MAX_WARNINGS = 100
# (``Platform.values`` builds a new list on every access.)
_PLATFORMS = frozenset(Platform.values)


class Row:
    """One candidate mention while its chunk is processed."""

    __slots__ = (
        "index", "item", "external_id", "url", "url_hash", "content_hash", "platform",
        "outlet", "title", "text", "summary", "programme", "published_at", "engagement",
        "words", "search_text", "language", "sentiment", "score", "bands", "dup_group",
        "is_original", "issue", "mention_id",
    )  # fmt: skip

    index: int
    item: ParsedItem
    external_id: str
    url: str
    url_hash: str | None
    content_hash: str
    platform: str
    outlet: str
    title: str
    text: str
    summary: str
    programme: str
    published_at: datetime
    engagement: int
    words: list[str]
    search_text: str
    language: str
    sentiment: str
    score: float
    bands: list[int]
    dup_group: int
    is_original: bool
    issue: Issue | None
    mention_id: int | None

    def __init__(self, index: int, item: ParsedItem) -> None:
        self.index = index
        self.item = item
        self.mention_id = None
        self.issue = None


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324 - a key


def count(value: int | None) -> int:
    """A count as stored: negative or missing is 0, absurd is capped."""
    return min(int(value), MAX_COUNT) if value and value > 0 else 0


def optional_count(value: int | None) -> int | None:
    return count(value) if value is not None else None


def followers(value: int | None) -> int | None:
    return min(value, MAX_COUNT) if value is not None and value >= 0 else None


def db_text(value: object, max_length: int = 100_000) -> str:
    """Clean text that any database accepts: no control characters, no lone surrogates."""
    text = clean_text(value, max_length=max_length)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def prepare(
    index: int,
    item: ParsedItem,
    now: datetime,
    *,
    source: Source,
    zone: tzinfo,
    warnings: list[str],
) -> tuple[Row | None, str]:
    """The candidate mention of ``item``, or ``(None, reason)`` when it is refused.

    Item warnings (unreadable dates, counts) are appended to ``warnings`` (at most
    ``MAX_WARNINGS``).
    """
    text = html_to_text(db_text(item.text))
    title = html_to_text(db_text(item.title, max_length=1000))
    raw = item.raw or {}
    summary = db_text(raw.get("summary", "")) if raw else ""
    if not text and not title and not summary:
        return None, "the text is empty"
    text = text or summary or title
    published = item.published_at
    if published is None:
        published = now
    elif timezone.is_naive(published):
        published = published.replace(tzinfo=zone)
    if published < OLDEST:
        return None, f"the publication time {published:%Y-%m-%d} is implausibly old"
    if published > now + FUTURE_TOLERANCE:
        return None, (
            f"the publication time {published.isoformat(timespec='minutes')} is in the "
            "future (check the time zone of the file)"
        )
    if raw.get("_warnings") and len(warnings) < MAX_WARNINGS:
        warnings.extend(f"row {raw.get('_position', index)}: {w}" for w in raw["_warnings"])
    row = Row(index, item)
    row.external_id = fit_external_id(db_text(item.external_id or "", 1000)) or stable_id(
        item.url, title, text
    )
    # Only http(s) addresses are kept: a javascript: URL must never become a link.
    row.url = clean_url(db_text(item.url or "", 2000))
    canonical = item.canonical_url or canonicalize_url(item.url)
    row.url_hash = sha1(canonical) if canonical else None
    row.platform = item.platform if item.platform in _PLATFORMS else Platform.OTHER
    if row.platform == Platform.OTHER:
        row.platform = source.platform or Platform.OTHER
    row.outlet = db_text(item.outlet or source.outlet, max_length=300)
    row.title = title
    row.text = text
    row.summary = summary
    row.programme = db_text(raw.get("programme", ""), max_length=300) if raw else ""
    row.published_at = published
    row.engagement = count(item.likes) + count(item.shares) + count(item.comments)
    row.words = neardup.words(f"{title} {text}")
    item.author = db_text(item.author, max_length=300)
    item.author_handle = db_text(item.author_handle, max_length=150).lstrip("@")
    carrier = item.author_handle or item.author or row.outlet
    row.content_hash = sha1(f"{row.platform}\x1f{carrier.lower()}\x1f{' '.join(row.words)}")
    return row, ""


def unique_in_chunk(rows: list[Row], results: dict[int, ItemResult]) -> list[Row]:
    """Drop rows repeated inside the chunk (same external id, URL or content)."""
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    seen_hashes: set[str] = set()
    kept = []
    for row in rows:
        if (row.external_id in seen_ids or row.content_hash in seen_hashes
                or (row.url_hash and row.url_hash in seen_urls)):  # fmt: skip
            results[row.index] = ItemResult(row.index, row.external_id, DUPLICATE,
                                            "repeated in the same input")  # fmt: skip
            continue
        seen_ids.add(row.external_id)
        seen_hashes.add(row.content_hash)
        if row.url_hash:
            seen_urls.add(row.url_hash)
        kept.append(row)
    return kept
