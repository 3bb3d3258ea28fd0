"""Fixtures for the monitoring backend tests: sources of the Soekarno-Hatta office, a
parsed-item factory, and the immediate task backend."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from prima.monitoring.models import Source, SourceKind
from prima.monitoring.parsers.base import ParsedItem


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboard's figures are cached per process: each test starts without them."""
    from django.core.cache import cache

    from prima.lib import shortcache

    cache.clear()
    shortcache.clear()
    yield
    cache.clear()
    shortcache.clear()


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


class InjectedCrash(RuntimeError):
    """A failure injected by a test after a committed chunk."""


@pytest.fixture
def crash_after_chunks(monkeypatch):
    """``crash_after_chunks(n)``: the pipeline raises :class:`InjectedCrash` once ``n``
    chunks have been stored and committed (a worker dying between two chunks)."""
    from prima.monitoring.ingest.pipeline import Pipeline

    def arm(chunks: int) -> None:
        finish = Pipeline.finish
        done = {"chunks": 0}

        def finish_then_crash(self, chunk):
            report = finish(self, chunk)
            done["chunks"] += 1
            if done["chunks"] >= chunks:
                raise InjectedCrash(f"injected failure after {chunks} committed chunks")
            return report

        monkeypatch.setattr(Pipeline, "finish", finish_then_crash)

    return arm


@pytest.fixture
def missing_sentiment_model(monkeypatch, tmp_path):
    """The sentiment artefact is gone (a broken installation)."""
    from prima.monitoring import analysis

    monkeypatch.setattr(analysis, "sentiment_artefact", lambda: tmp_path / "no-model")
    analysis.sentiment_model.cache_clear()
    yield tmp_path / "no-model"
    analysis.sentiment_model.cache_clear()


@pytest.fixture
def missing_language_profile(monkeypatch, tmp_path):
    """The language identifier's profile is damaged."""
    from prima.monitoring import analysis

    broken = tmp_path / "language_profile.json"
    broken.write_text('{"classes": ["id", "en"', encoding="utf-8")
    monkeypatch.setattr(analysis, "PROFILE_PATH", broken)
    analysis.language_profile.cache_clear()
    yield broken
    analysis.language_profile.cache_clear()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The development datasets (``PRIMA_SHARED_DATA``, default ``../shared/data``).

    Where they are absent the quality tests are skipped, loudly: a warning in the summary
    as well as the skip reason.
    """
    from django.conf import settings

    path = Path(settings.MONITORING_SHARED_DATA)
    if not (path / "sentiment" / "smsa").is_dir():
        reason = (
            f"NO SHARED DATA at {path}: the model-quality tests did NOT run "
            "(set PRIMA_SHARED_DATA to the folder holding sentiment/smsa and sentiment/nusax)"
        )
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    return path
