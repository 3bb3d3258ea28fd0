"""Manual clippings (print, TV, radio, or a web item typed in): form values → one item.

The "bytes" are what a staff member typed; the same sanitising as for imports applies.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ...parsers.base import ParsedItem, canonicalize_url, clean_text, clean_url, stable_id
from ...parsers.sanitize import html_to_text
from ..base import EntryStream

KIND = "manual"


def item_from_clipping(
    *,
    outlet: str,
    platform: str,
    published: date | datetime,
    title: str,
    summary: str,
    programme: str = "",
    url: str = "",
    text: str = "",
    author: str = "",
    tz: str = "Asia/Jakarta",
) -> ParsedItem:
    """A clipping as a parsed item; a bare date means noon office time that day."""
    if not isinstance(published, datetime):
        published = datetime.combine(published, time(12, 0), tzinfo=ZoneInfo(tz))
    elif published.tzinfo is None:
        published = published.replace(tzinfo=ZoneInfo(tz))
    clean = clean_url(url)
    body = html_to_text(clean_text(text)) or html_to_text(clean_text(summary))
    title = html_to_text(clean_text(title, max_length=1000))
    outlet = clean_text(outlet, max_length=300)
    item = ParsedItem(
        external_id=stable_id("clipping", outlet, programme, published.isoformat(), title),
        text=body,
        url=clean,
        canonical_url=canonicalize_url(clean),
        title=title,
        author=clean_text(author, max_length=300),
        outlet=outlet,
        platform=platform,
        published_at=published,
    )
    item.raw = {"programme": clean_text(programme, max_length=300),
                "summary": html_to_text(clean_text(summary))}  # fmt: skip
    return item


def open_entries(job, start: int = 0) -> EntryStream:
    """Clippings are stored as they are typed; a stored job has nothing left to read."""
    return EntryStream([], total=job.position)
