"""Retention (UU No. 27/2022): expired mentions and per-author rows are deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from prima.monitoring import services
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import (
    DailyActor,
    HourlyVolume,
    Mention,
    SentimentCorrection,
    WatchList,
    WatchListMatch,
)
from prima.monitoring.retention import purge_expired

from .conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_new(push_source, settings):
    settings.MONITORING_RETENTION_DAYS = 30
    WatchList.objects.create(office=push_source.office, name="W", query="antrean")
    now = timezone.now()
    ingest_items(push_source, [post(1, published_at=now - timedelta(days=40)),
                               post(2, published_at=now - timedelta(days=35)),
                               post(3, published_at=now - timedelta(days=2))])  # fmt: skip
    return now


def test_expired_mentions_go_with_their_matches_and_author_rows(old_and_new, pr_staff):
    services.correct_sentiment(pr_staff, Mention.objects.get(external_id="p1"), "neutral")
    assert purge_expired(batch=1) == 2
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["p3"]
    assert WatchListMatch.objects.count() == 1
    assert not DailyActor.objects.filter(
        role="author", day__lt=(old_and_new - timedelta(days=30)).date()
    ).exists()
    # Aggregates without persons stay; the correction keeps its text for training.
    assert HourlyVolume.objects.count() >= 2
    correction = SentimentCorrection.objects.get()
    assert correction.mention is None and "Antrean" in correction.text


def test_the_command_counts_first_with_dry_run(old_and_new, capsys):
    call_command("purge_mentions", "--dry-run")
    assert "2 mention(s)" in capsys.readouterr().out
    assert Mention.objects.count() == 3
    call_command("purge_mentions", "--days", "1")
    assert "3 mention(s)" in capsys.readouterr().out
    assert Mention.objects.count() == 0


def test_the_retention_run_applies_the_declared_period(old_and_new):
    from prima.organizations.privacy.retention import run_retention

    report = run_retention(old_and_new)
    by_label = {o.label: o for o in report.outcomes}
    assert by_label["monitoring.Mention"].removed == 2
    assert by_label["monitoring.Mention"].days == 30
    assert "monitoring.DailyActor" in by_label
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["p3"]
    assert not DailyActor.objects.filter(
        role="author", day__lt=(old_and_new - timedelta(days=30)).date()
    ).exists()


def test_the_monitoring_tick_leaves_retention_to_the_retention_run(old_and_new):
    from prima.monitoring.tasks import run_tick

    run_tick(old_and_new)
    assert Mention.objects.count() == 3
