"""The rollup module: every counter agrees with the mentions after stores and moves."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Q, Sum

from prima.monitoring import analytics, rollups, services, tasks
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import DailyActor, HourlyVolume, Issue, IssueVolume, Mention

from .conftest import NOW, post

pytestmark = pytest.mark.django_db


def counted_from_mentions() -> dict[str, object]:
    """What the rollups should say, recomputed from the mentions themselves."""
    return {
        "hourly": dict(Mention.objects.values_list("sentiment").annotate(n=Count("id"))),
        "negative": Mention.objects.filter(sentiment="negative").count(),
    }


def assert_rollups_match_mentions() -> None:
    expected = counted_from_mentions()
    hourly = dict(HourlyVolume.objects.values_list("sentiment").annotate(n=Sum("mentions")))
    assert {k: v for k, v in hourly.items() if v} == expected["hourly"]
    for role in ("author", "outlet"):
        rows = DailyActor.objects.filter(role=role)
        if rows.exists():
            assert rows.aggregate(n=Sum("negative"))["n"] == expected["negative"], role
    for issue in Issue.objects.all():
        mentions = Mention.objects.filter(issue=issue)
        volumes = IssueVolume.objects.filter(issue=issue).aggregate(
            p=Sum("positive"), u=Sum("neutral"), n=Sum("negative"), m=Sum("mentions")
        )
        assert (volumes["p"], volumes["u"], volumes["n"]) == (
            mentions.filter(sentiment="positive").count(),
            mentions.filter(sentiment="neutral").count(),
            mentions.filter(sentiment="negative").count(),
        )
        assert issue.negative_count == mentions.filter(sentiment="negative").count()


def test_a_correction_moves_the_mention_in_every_rollup(push_source, pr_staff):
    ingest_items(push_source, [post(n, outlet="Kompas") for n in range(1, 6)])
    assert_rollups_match_mentions()
    mention = Mention.objects.filter(sentiment="negative").first()
    services.correct_sentiment(pr_staff, mention, "positive")  # type: ignore[arg-type]
    assert_rollups_match_mentions()
    author = DailyActor.objects.get(role="author", name=f"@{mention.author_handle}")
    assert (author.mentions, author.negative) == (1, 0)
    services.correct_sentiment(pr_staff, mention, "negative")  # type: ignore[arg-type]
    assert_rollups_match_mentions()


def test_reclassifying_moves_authors_and_outlets_too(push_source, monkeypatch):
    from prima.monitoring import analysis

    ingest_items(push_source, [post(n, outlet="Detik") for n in range(1, 8)])
    monkeypatch.setattr(analysis, "classify_sentiments",
                        lambda texts, langs: [("neutral", 0.8)] * len(texts))  # fmt: skip
    assert tasks.reclassify(batch=3) == Mention.objects.count()
    assert_rollups_match_mentions()
    assert not DailyActor.objects.filter(negative__gt=0).exists()


def test_an_author_folded_into_the_days_others_row_moves_there(push_source, pr_staff):
    ingest_items(push_source, [post(n) for n in range(1, 5)])
    analytics.compact_authors(now=NOW + timedelta(days=3), keep=1)
    folded = Mention.objects.exclude(
        author_handle__in=[
            n.lstrip("@")
            for n in DailyActor.objects.exclude(name="").values_list("name", flat=True)
        ]
    ).filter(sentiment="negative")
    mention = folded.first()
    assert mention is not None
    others = DailyActor.objects.get(role="author", name="")
    before = others.negative
    services.correct_sentiment(pr_staff, mention, "neutral")
    others.refresh_from_db()
    assert others.negative == before - 1


def test_days_are_the_offices_calendar_days_whatever_the_zone_of_the_time():
    wib = ZoneInfo("Asia/Jakarta")
    offset = rollups.utc_offset("Asia/Jakarta")
    late_evening = datetime(2025, 11, 19, 23, 30, tzinfo=wib)
    assert rollups.day_key(late_evening, offset).isoformat() == "2025-11-19"
    assert rollups.day_key(late_evening.astimezone(ZoneInfo("UTC")), offset).isoformat() == (
        "2025-11-19"
    )
    assert rollups.hour_key(late_evening).isoformat() == "2025-11-19T16:00:00+00:00"


def test_storing_counts_outlets_authors_and_terms_once(push_source):
    ingest_items(push_source, [post(n, outlet="Antara") for n in range(1, 4)])
    outlet = DailyActor.objects.filter(role="outlet", name="Antara")
    assert outlet.aggregate(n=Sum("mentions"))["n"] == 3
    authors = DailyActor.objects.filter(role="author").aggregate(n=Sum("mentions"))["n"]
    assert authors == 3
    assert not DailyActor.objects.filter(~Q(role__in=["author", "outlet"])).exists()
