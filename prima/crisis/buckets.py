"""The 5-minute buckets of the volume series (UTC), and helpers to walk them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

BUCKET_MINUTES = 5
BUCKET = timedelta(minutes=BUCKET_MINUTES)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def floor(moment: datetime) -> datetime:
    """The start of the bucket that contains ``moment`` (aware, UTC)."""
    moment = moment.astimezone(UTC)
    seconds = int((moment - _EPOCH).total_seconds())
    return _EPOCH + timedelta(seconds=seconds - seconds % int(BUCKET.total_seconds()))


def ceil(moment: datetime) -> datetime:
    start = floor(moment)
    return start if start == moment.astimezone(UTC) else start + BUCKET


def walk(start: datetime, end: datetime) -> Iterator[datetime]:
    """Bucket starts from ``start`` (a bucket start) up to, not including, ``end``."""
    current = start
    while current < end:
        yield current
        current += BUCKET


def closed_before(now: datetime, lag_seconds: int) -> datetime:
    """Buckets starting before the returned moment are complete ``lag_seconds`` after
    their end, and may be read: mentions published in them have had time to arrive."""
    return floor(now - timedelta(seconds=lag_seconds))
