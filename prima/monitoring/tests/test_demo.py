"""The monitoring demo: a month of coverage about Soekarno-Hatta with a growing storm."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from prima.monitoring import issues
from prima.monitoring.demo import load_monitoring, load_sentiment_corrections
from prima.monitoring.models import Issue, Mention, SentimentCorrection, Source, WatchList
from prima.organizations.demo import load_organizations

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_month_with_a_growing_negative_storm(settings):
    settings.DEBUG = True
    lines: list[str] = []
    load_organizations(lines.append)
    load_monitoring(lines.append)
    assert Mention.objects.count() > 2000
    assert set(Mention.objects.values_list("language", flat=True)) == {"id", "en"}
    assert Source.objects.filter(kind="rss").count() == 3
    # Nothing is fetched: the demo feeds are not due for years.
    soon = timezone.now() + timedelta(days=365)
    assert not Source.objects.filter(kind="rss", next_poll_at__lt=soon).exists()
    assert all(w.mentions.exists() for w in WatchList.objects.all())

    storm = Issue.objects.shown().order_by("-mention_count").first()
    assert storm is not None
    # The storm (broken autogates, hours-long queues) is the biggest issue, named after
    # it, and the month's other news about the office (deportations) stays out of it.
    assert "antre" in storm.label or "autogate" in storm.label
    assert not storm.mentions.filter(text__icontains="deportasi").exists()
    deportations = Mention.objects.filter(text__icontains="deportasi", issue__isnull=False)
    assert deportations.values("issue").distinct().count() <= 2
    assert storm.negative_count > storm.mention_count / 2
    growth = issues.growth(storm, hours=12, baseline_hours=36, now=storm.last_seen_at)
    assert growth.rate is not None and growth.rate > 2
    # The burst of the last two days is mostly on X and TikTok (the issue also holds the
    # month's queue complaints and the office's news about them).
    burst = storm.mentions.filter(published_at__gte=storm.last_seen_at - timedelta(hours=48))
    platforms = dict(burst.values_list("platform").annotate(n=Count("id")))
    assert platforms.get("twitter", 0) + platforms.get("tiktok", 0) > 0.7 * burst.count()
    assert Mention.objects.filter(~Q(is_original=True)).exists()  # syndicated copies

    load_monitoring(lines.append)  # idempotent
    assert "already loaded" in lines[-1]

    # Staff corrected posts the model misread; the worker retrains with them.
    load_sentiment_corrections(lines.append)
    corrections = SentimentCorrection.objects.all()
    assert {c.label for c in corrections} == {"negative", "positive"}
    assert all(c.previous != c.label for c in corrections)
    count = corrections.count()
    load_sentiment_corrections(lines.append)  # idempotent
    assert SentimentCorrection.objects.count() == count
