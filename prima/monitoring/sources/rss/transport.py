"""RSS/Atom feeds: a conditional GET through :mod:`prima.monitoring.fetch`, bytes kept
with the job, parsed by :func:`prima.monitoring.parsers.feed.parse_feed`."""

from __future__ import annotations

from dataclasses import dataclass

from ... import fetch as http
from ...parsers.feed import parse_feed
from ..base import EntryStream, from_result

KIND = "rss"


@dataclass(frozen=True)
class FeedFetch:
    """The outcome of one poll: new bytes, "not modified", or an error message."""

    body: bytes = b""
    content_type: str = ""
    final_url: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    error: str = ""


def fetch(source) -> FeedFetch:
    """GET the feed with the validators of the last poll; never raises on network errors."""
    try:
        result = http.fetch(
            source.url,
            etag=source.etag or None,
            last_modified=source.last_modified or None,
            accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        )
    except http.FetchError as exc:
        return FeedFetch(error=str(exc) or exc.__class__.__name__)
    return FeedFetch(
        body=result.body,
        content_type=result.content_type,
        final_url=result.final_url,
        etag=result.etag,
        last_modified=result.last_modified,
        not_modified=result.not_modified,
    )


def open_entries(job, start: int = 0) -> EntryStream:
    """Parse the feed bytes stored with the job."""
    with job.file.storage.open(job.file.name, "rb") as fh:
        data = fh.read()
    result = parse_feed(data, base_url=job.source.url, content_type=job.content_type)
    return from_result(result, start)
