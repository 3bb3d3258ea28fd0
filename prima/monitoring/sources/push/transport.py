"""Push API: posts sent as JSON by another system, checked one by one into parsed items.

Nothing is fetched: the request body is the input. Each post becomes a
:class:`~prima.monitoring.parsers.base.ParsedItem` or a :class:`Rejected` with its
1-based position in the batch and a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...parsers.base import (
    ParsedItem,
    Rejected,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
)
from ...parsers.sanitize import html_to_text
from ...parsers.social import normalise_platform
from ...parsers.values import parse_count, parse_datetime
from ..base import Entry, EntryStream

KIND = "push"


def item_from_post(position: int, post: Any, default_platform: str = "") -> Entry:
    """One pushed post → a parsed item, or a rejection saying what is wrong with it."""
    if not isinstance(post, Mapping):
        return Rejected(position, "the post is not a JSON object")
    external_id = post.get("external_id", post.get("id"))
    if external_id is None or not str(external_id).strip():
        return Rejected(position, "external_id is missing (needed to make pushes idempotent)")
    external_id = fit_external_id(str(external_id))
    raw_text = post.get("text")
    if not isinstance(raw_text, str):
        return Rejected(position, "text is missing or not a string")
    text = html_to_text(clean_text(raw_text))
    if not text:
        return Rejected(position, "text is empty")
    published = None
    if post.get("published_at") not in (None, ""):
        published = parse_datetime(post.get("published_at"))
        if published is None:
            return Rejected(
                position, f"published_at is not a date: {str(post['published_at'])[:60]}"
            )
    counts: dict[str, int | None] = {}
    for name in ("likes", "shares", "comments", "author_followers"):
        value = post.get(name)
        counts[name] = parse_count(value) if value not in (None, "") else None
        if value not in (None, "") and counts[name] is None:
            return Rejected(position, f"{name} is not a number: {str(value)[:30]}")
    url = clean_url(post.get("url"))
    if post.get("url") and not url:
        return Rejected(position, "url is not an http(s) address")
    platform = normalise_platform(post.get("platform"), url, default_platform)
    return ParsedItem(
        external_id=external_id,
        text=text,
        url=url,
        canonical_url=canonicalize_url(url),
        title=html_to_text(clean_text(post.get("title"), max_length=1000)),
        author=clean_text(post.get("author"), max_length=300),
        author_handle=clean_text(post.get("author_handle"), max_length=150).lstrip("@"),
        author_followers=counts["author_followers"],
        outlet=clean_text(post.get("outlet"), max_length=300),
        platform=platform,
        published_at=published,
        likes=counts["likes"],
        shares=counts["shares"],
        comments=counts["comments"],
        lang_hint=clean_text(post.get("lang"), max_length=20),
    )


def entries_from_posts(posts: Sequence[Any], default_platform: str = "") -> EntryStream:
    entries = [item_from_post(i, post, default_platform) for i, post in enumerate(posts, 1)]
    return EntryStream(entries, total=len(entries))


def open_entries(job, start: int = 0) -> EntryStream:
    """Push batches are processed in the request; a stored job has nothing left to read."""
    return EntryStream([], total=job.position)
