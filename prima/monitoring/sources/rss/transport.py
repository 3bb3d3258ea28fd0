"""RSS/Atom feeds: a conditional GET through :mod:`prima.monitoring.fetch`, bytes kept
with the job, parsed by :func:`prima.monitoring.parsers.feed.parse_feed`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from prima.organizations import files

from ... import fetch as http
from ...models import IngestJob, JobKind
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


def fetch(source, url: str = "") -> FeedFetch:
    """GET the feed with the validators of the last poll; never raises on network errors.

    With ``url`` (another address than the source's), the feed is fetched unconditionally.
    """
    try:
        result = http.fetch(
            url or source.url,
            etag=None if url else source.etag or None,
            last_modified=None if url else source.last_modified or None,
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


def store_fetch(
    source, fetched: FeedFetch, *, url: str = "", user=None, now: datetime | None = None
) -> IngestJob:
    """Keep fetched feed bytes as a (queued) feed job of ``source``; ``url`` records an
    address other than the source's."""
    now = now or timezone.now()
    job = IngestJob(
        office=source.office,
        source=source,
        kind=JobKind.FEED,
        filename=f"feed-{source.pk}-{now:%Y%m%d%H%M%S}.xml",
        file_size=len(fetched.body),
        content_type=fetched.content_type[:200],
        format="xml",
        urls=url,
        created_by=user,
    )
    with files.atomic():
        files.store(job.file, job.filename, ContentFile(fetched.body))
        job.save()
    return job


def open_entries(job, start: int = 0) -> EntryStream:
    """Parse the feed bytes stored with the job."""
    with job.file.storage.open(job.file.name, "rb") as fh:
        data = fh.read()
    base_url = job.urls.strip() or job.source.url
    result = parse_feed(data, base_url=base_url, content_type=job.content_type)
    return from_result(result, start)
