"""Fixtures for the monitoring backend tests: sources of the Soekarno-Hatta office, a
parsed-item factory, and the immediate task backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from prima.monitoring.models import Source, SourceKind
from prima.monitoring.parsers.base import ParsedItem


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def soetta(offices):
    return offices["soetta"]


@pytest.fixture
def social_source(soetta):
    return Source.objects.create(office=soetta, name="Ekspor X", kind=SourceKind.SOCIAL_IMPORT)


@pytest.fixture
def push_source(soetta):
    return Source.objects.create(office=soetta, name="Push", kind=SourceKind.PUSH)


@pytest.fixture
def feed_source(soetta):
    return Source.objects.create(
        office=soetta,
        name="Berita Bandara",
        kind=SourceKind.RSS,
        url="https://berita.example.id/rss.xml",
        platform="news",
    )


NOW = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)


def post(n: int, text: str | None = None, **kwargs) -> ParsedItem:
    """A short post by account ``akun{n}``."""
    fields: dict[str, Any] = {
        "external_id": f"p{n}",
        "text": text or f"Antrean panjang di konter imigrasi bandara nomor {n}, petugas lambat",
        "author": f"Akun {n}",
        "author_handle": f"akun{n}",
        "author_followers": 100 + n,
        "platform": "twitter",
        "published_at": NOW - timedelta(minutes=n),
        "likes": n % 7,
        "shares": n % 3,
        "comments": 1,
        "url": f"https://x.com/akun{n}/status/{n}",
    }
    fields.update(kwargs)
    return ParsedItem(**fields)
