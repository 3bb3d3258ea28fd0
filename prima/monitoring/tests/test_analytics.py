"""Dashboard figures from the rollups equal the same figures computed from mentions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Sum

from prima.monitoring import analytics
from prima.monitoring.analytics import Period
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import Mention

from .conftest import NOW, post

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def coverage(push_source):
    items = []
    for n in range(60):
        text = [
            "Antrean imigrasi lama sekali, kecewa",
            "Petugas imigrasi ramah dan cepat, mantap",
            "Imigrasi membuka layanan paspor akhir pekan",
        ][n % 3]
        items.append(post(n, f"{text} {n}", published_at=NOW - timedelta(hours=n * 3),
                          platform=["twitter", "tiktok", "instagram"][n % 3],
                          outlet="" if n % 4 else "Harian Kota"))  # fmt: skip
    ingest_items(push_source, items, chunk_size=25)
    return push_source.office


def period_of(days: int) -> Period:
    end = NOW.astimezone(WIB).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return Period(end - timedelta(days=days), end)


def test_volume_by_day_and_sentiment_matches_the_mentions(coverage):
    period = period_of(7)
    rows = analytics.volume_by_sentiment([coverage], period, bucket="day", tz="Asia/Jakarta")
    assert len(rows) == 7
    in_period = Mention.objects.filter(published_at__gte=period.start, published_at__lt=period.end)
    assert sum(r["total"] for r in rows) == in_period.count()
    for sentiment in ("positive", "neutral", "negative"):
        assert sum(r[sentiment] for r in rows) == in_period.filter(sentiment=sentiment).count()
    day = rows[-1]["at"]
    same_day = in_period.filter(published_at__gte=day, published_at__lt=day + timedelta(days=1))
    assert rows[-1]["total"] == same_day.count()


def test_totals_share_and_comparison(coverage):
    period = period_of(3)
    totals = analytics.totals([coverage], period)
    in_period = Mention.objects.filter(published_at__gte=period.start, published_at__lt=period.end)
    assert totals.mentions == in_period.count()
    assert totals.engagement == in_period.aggregate(e=Sum("engagement"))["e"]
    assert totals.reach == in_period.aggregate(r=Sum("author_followers"))["r"]
    share = analytics.sentiment_share([coverage], period)
    assert share["total"] == totals.mentions
    comparison = analytics.compare([coverage], period)
    before = Mention.objects.filter(published_at__gte=period.previous().start,
                                    published_at__lt=period.start).count()  # fmt: skip
    assert comparison.previous.mentions == before
    assert comparison.change["mentions"] == pytest.approx((totals.mentions - before) / before)


def test_filters_by_platform_and_language(coverage):
    period = period_of(10)
    tiktok = analytics.totals([coverage], period, platforms=["tiktok"])
    assert (
        tiktok.mentions
        == Mention.objects.filter(
            platform="tiktok", published_at__gte=period.start, published_at__lt=period.end
        ).count()
    )
    platforms = {r["platform"]: r["mentions"] for r in analytics.by_platform([coverage], period)}
    assert set(platforms) == {"twitter", "tiktok", "instagram"}


def test_top_outlets_authors_issues_and_most_shared(coverage):
    period = period_of(10)
    outlets = analytics.top_outlets([coverage], period)
    assert outlets[0]["name"] == "Harian Kota"
    assert (
        outlets[0]["mentions"]
        == Mention.objects.filter(
            outlet="Harian Kota", published_at__gte=period.start, published_at__lt=period.end
        ).count()
    )
    authors = analytics.top_authors([coverage], period, limit=5)
    assert len(authors) == 5 and all(a["name"].startswith("@akun") for a in authors)
    shared = analytics.most_shared([coverage], period, limit=3)
    expected = list(
        Mention.objects.filter(published_at__gte=period.start, published_at__lt=period.end)
        .order_by("-engagement", "-id")
        .values_list("pk", flat=True)[:3]
    )
    assert [m.pk for m in shared] == expected
    top: list[Any] = analytics.top_issues([coverage], period)  # issues, annotated
    assert top and top[0].period_mentions >= top[-1].period_mentions
    issue_counts = dict(Mention.objects.filter(published_at__gte=period.start,
                                               published_at__lt=period.end, issue__isnull=False)
                        .values_list("issue").annotate(n=Count("id")))  # fmt: skip
    assert top[0].period_mentions == issue_counts[top[0].pk]


def test_each_figure_is_one_query(coverage, django_assert_num_queries):
    period = period_of(30)
    with django_assert_num_queries(1):
        analytics.volume_by_sentiment([coverage], period, bucket="hour")
    with django_assert_num_queries(1):
        analytics.totals([coverage], period)
    with django_assert_num_queries(1):
        analytics.top_outlets([coverage], period)
    with django_assert_num_queries(2):
        analytics.top_issues([coverage], period)
    with django_assert_num_queries(1):
        analytics.most_shared([coverage], period)


def test_most_shared_over_several_offices_merges_each_office_top(coverage, offices):
    from prima.monitoring.models import Mention

    period = period_of(30)
    expected = list(
        Mention.objects.filter(
            office__in=[coverage, offices["jakpus"]], engagement__gt=0,
            published_at__gte=period.start, published_at__lt=period.end,
        ).order_by("-engagement", "-id").values_list("id", flat=True)[:3]
    )  # fmt: skip
    got = analytics.most_shared([coverage, offices["jakpus"]], period, limit=3)
    assert [m.id for m in got] == expected and expected


def test_periods():
    period = Period.last_days(7, tz="Asia/Jakarta", now=NOW)
    assert period.length == timedelta(days=7)
    assert period.previous().end == period.start
    first, last = period.local_days("Asia/Jakarta")
    assert (last - first).days == 6


def test_finished_days_keep_their_most_active_authors_and_the_total(coverage):
    from prima.monitoring.models import ActorCompaction, DailyActor

    authors = DailyActor.objects.filter(role="author")
    total = authors.aggregate(n=Sum("mentions"))["n"]
    days = authors.values("day").distinct().count()
    later = NOW + timedelta(days=3)
    assert analytics.compact_authors(now=later, keep=1) == days
    assert authors.aggregate(n=Sum("mentions"))["n"] == total
    per_day = authors.exclude(name="").values("day").annotate(n=Count("id"))
    assert {row["n"] for row in per_day} == {1}
    assert ActorCompaction.objects.count() == days
    assert analytics.compact_authors(now=later, keep=1) == 0  # done once
    top = analytics.top_authors([coverage], period_of(30), limit=50)
    assert "" not in {a["name"] for a in top}
