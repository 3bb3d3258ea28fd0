"""The monitoring demo: a month of coverage about Soekarno-Hatta with a growing storm."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from prima.monitoring import issues
from prima.monitoring.demo import load_monitoring
from prima.monitoring.models import Issue, Mention, Source, WatchList
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
    assert "autogate" in storm.label
    assert storm.negative_count > storm.mention_count / 2
    growth = issues.growth(storm, hours=12, baseline_hours=36, now=storm.last_seen_at)
    assert growth.rate is not None and growth.rate > 2
    platforms = dict(storm.mentions.values_list("platform").annotate(n=Count("id")))
    assert platforms.get("twitter", 0) + platforms.get("tiktok", 0) > 0.7 * storm.mention_count
    assert Mention.objects.filter(~Q(is_original=True)).exists()  # syndicated copies

    load_monitoring(lines.append)  # idempotent
    assert "already loaded" in lines[-1]
