"""Article pages: each URL of the job fetched through :mod:`prima.monitoring.fetch` and
parsed by :func:`prima.monitoring.parsers.article.parse_article`. One URL is one entry."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fetch as http
from ...parsers.article import parse_article
from ...parsers.base import PLATFORM_NEWS, clean_url
from ..base import Entry, EntryStream, Rejected

KIND = "article"
MAX_URLS = 1000


def split_urls(text: str) -> list[str]:
    """The non-empty lines of a URL list, stripped, without repeats, in order."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(line, None)
    return list(seen)


def _entries(urls: list[str], start: int, platform: str) -> Iterator[Entry]:
    for position, url in enumerate(urls[start:], start=start + 1):
        if not clean_url(url):
            yield Rejected(position, f"not a web address: {url[:200]}")
            continue
        try:
            fetched = http.fetch(url)
        except http.FetchError as exc:
            yield Rejected(position, f"{url[:200]}: {exc}")
            continue
        result = parse_article(
            fetched.body,
            url=fetched.final_url or url,
            content_type=fetched.content_type,
            platform=platform or PLATFORM_NEWS,
        )
        if result.items:
            yield result.items[0]
        else:
            reason = "; ".join(result.errors) or "no article found"
            yield Rejected(position, f"{url[:200]}: {reason}")


def open_entries(job, start: int = 0) -> EntryStream:
    urls = split_urls(job.urls)[:MAX_URLS]
    return EntryStream(_entries(urls, start, job.source.platform), total=len(urls))
