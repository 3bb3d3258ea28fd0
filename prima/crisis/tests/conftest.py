"""Fixtures for crisis tests: a controllable clock, monitoring data written directly
(fast, deterministic), a deterministic stand-in detector injected through the one seam
(:func:`prima.crisis.streaming.make_detector`), mail kept in memory, and immediate
tasks.

The stand-in is for tests about what PRIMA does *with* signals (grouping, escalation,
pages); tests of detection itself and the demo storm use the shipped detector
(``real_detector``).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation

from prima.crisis import streaming
from prima.monitoring.models import Issue, Mention, Source, SourceKind, WatchList, WatchListMatch

NOW = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)  # Rabu, 19 November 2025, 10.00 WIB
_ids = itertools.count(1)


@dataclass
class StandInStep:
    score: float
    alarm: bool
    state: dict[str, Any]


class StandInDetector:
    """Alarms when a bucket reaches 5× its running mean (and at least 4 mentions), once
    per burst: not again until the volume has been back to normal for 3 buckets."""

    def initial_state(self) -> dict[str, Any]:
        return {"mean": 0.0, "n": 0, "quiet": 3}

    def step(self, state: dict[str, Any], timestamp: Any, value: float) -> StandInStep:
        mean, n, quiet = float(state["mean"]), int(state["n"]), int(state["quiet"])
        high = value >= 4 and value >= 5 * max(mean, 0.2)
        alarm = high and quiet >= 3
        quiet = 0 if high else quiet + 1
        if not high:
            n += 1
            mean += (value - mean) / min(n, 288)
        score = min(1.0, value / (5 * max(mean, 0.2) + 1e-9) / 2)
        return StandInStep(score, alarm, {"mean": mean, "n": n, "quiet": quiet})


@pytest.fixture(autouse=True)
def _crisis_settings(settings, tmp_path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CRISIS_WEBHOOK_URL = ""
    settings.CRISIS_WARMUP_DAYS = 1  # a day of history is plenty for the stand-in
    settings.SITE_URL = "https://prima.example.go.id"
    monkeypatch.setattr(streaming, "make_detector", StandInDetector)


@pytest.fixture
def real_detector(monkeypatch):
    """Use the shipped detector (undo the stand-in)."""
    from prima.crisis.detection import SHIPPED_SETTINGS, Detector

    monkeypatch.setattr(streaming, "make_detector", lambda: Detector(SHIPPED_SETTINGS))


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def soetta(offices):
    return offices["soetta"]


@pytest.fixture
def source(soetta):
    return Source.objects.create(office=soetta, name="Ekspor X", kind=SourceKind.SOCIAL_IMPORT)


def add_mentions(
    source: Source,
    at: datetime,
    count: int,
    *,
    sentiment: str = "negative",
    platform: str = "twitter",
    issue: Issue | None = None,
    watchlist: WatchList | None = None,
    outlet: str = "",
    followers: int | None = 500,
    engagement: int = 10,
    spread_seconds: int = 240,
    text: str = "Antrean imigrasi Terminal 3 parah, autogate mati",
) -> list[Mention]:
    """``count`` mentions published from ``at`` over ``spread_seconds``."""
    rows = []
    for i in range(count):
        n = next(_ids)
        published = at + timedelta(seconds=(spread_seconds * i) // max(count, 1))
        digest = hashlib.sha1(f"{n}".encode()).hexdigest()  # noqa: S324 - test ids
        rows.append(
            Mention(
                office=source.office,
                source=source,
                kind=source.kind,
                external_id=f"t{n}",
                content_hash=digest,
                dup_group=n,
                platform=platform,
                outlet=outlet,
                author=f"Akun {n}",
                author_handle=f"akun{n}",
                author_followers=followers,
                engagement=engagement,
                text=f"{text} #{n}",
                published_at=published,
                collected_at=published,
                language="id",
                sentiment=sentiment,
                issue=issue,
                search_text=text.lower(),
            )
        )
    stored = Mention.objects.bulk_create(rows)
    if watchlist is not None:
        WatchListMatch.objects.bulk_create(
            [WatchListMatch(watchlist=watchlist, mention=m) for m in stored]
        )
    return stored


def make_issue(office, label: str = "autogate mati antrean", *, at: datetime = NOW) -> Issue:
    return Issue.objects.create(
        office=office,
        label=label,
        first_seen_at=at,
        last_seen_at=at,
        mention_count=10,
    )


def quiet_history(source: Source, until: datetime, hours: int = 24, per_hour: int = 2) -> None:
    """Ordinary volume: ``per_hour`` neutral mentions each hour before ``until``."""
    start = until - timedelta(hours=hours)
    for h in range(hours):
        add_mentions(
            source,
            start + timedelta(hours=h, minutes=7),
            per_hour,
            sentiment="neutral",
            spread_seconds=3000,
            text="Pelayanan paspor lancar",
        )
