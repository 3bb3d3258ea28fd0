"""The mentions of a case, read from monitoring (or a drill's scenario) as buckets.

A case's scope is its issues and watch-lists; a case with neither (an office-wide burst
nobody has narrowed yet) covers all the office's mentions. Every function reads a
bounded window with aggregate queries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Func, IntegerField, Max, Q, QuerySet

from prima.monitoring.models import Mention, Sentiment, WatchListMatch

from . import buckets, context, streaming
from .models import Case

BASELINE_DAYS = 7
MANUAL_LOOKBACK_HOURS = 24
MAX_WINDOW = timedelta(days=14)


def scope(case: Case) -> QuerySet[Mention]:
    """The case's mentions (any time)."""
    issue_ids = [i.pk for i in case.issues.all()]
    watchlist_ids = [w.pk for w in case.watchlists.all()]
    qs = Mention.objects.filter(office_id=case.office_id)
    if not issue_ids and not watchlist_ids:
        return qs
    q = Q(issue_id__in=issue_ids) if issue_ids else Q(pk__in=[])
    if watchlist_ids:
        q |= Q(
            pk__in=WatchListMatch.objects.filter(watchlist_id__in=watchlist_ids).values(
                "mention_id"
            )
        )
    return qs.filter(q)


def _drill_buckets(case: Case, since: datetime, until: datetime) -> list[context.Bucket]:
    drill = case.drill
    if drill is None or drill.started_at is None:
        return []
    out = []
    for i, raw in enumerate(drill.buckets):
        start = streaming.drill_bucket_time(drill, i)
        if since <= start < until:
            out.append(
                context.Bucket(
                    start=start,
                    total=int(raw.get("total", 0)),
                    negative=int(raw.get("negative", 0)),
                    platforms={str(k): int(v) for k, v in (raw.get("platforms") or {}).items()},
                    outlets={str(o) for o in raw.get("outlets") or []},
                    reach=raw.get("reach"),
                )
            )
    return out


_SIZE = int(buckets.BUCKET.total_seconds())


class BucketEpoch(Func):
    """The start of an instant's 5-minute bucket, in seconds since 1970 (UTC), computed by
    the database itself: SQLite's ``strftime`` and PostgreSQL's ``extract`` are native,
    whereas ``TruncMinute`` on SQLite calls back into Python for every row (thousands of
    mentions in a storm's chart window)."""

    arity = 1
    output_field = IntegerField()
    template = f"(FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / {_SIZE}) * {_SIZE})::bigint"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # "%%%%": one "%" left after the template is filled and the query's "%%" undone.
        template = f"(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / {_SIZE} * {_SIZE})"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _bucket_start(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def case_buckets(case: Case, since: datetime, until: datetime) -> list[context.Bucket]:
    """The case's mentions per 5-minute bucket in [since, until), in time order (buckets
    without mentions are left out). Two aggregate queries."""
    since = max(since, until - MAX_WINDOW)
    if case.drill_id:
        return _drill_buckets(case, since, until)
    mentions = scope(case).filter(published_at__gte=since, published_at__lt=until)
    rows = (
        mentions.annotate(bucket=BucketEpoch("published_at"))
        .values("bucket", "sentiment", "platform")
        .annotate(n=Count("pk"), reach=Max("author_followers"))
        .order_by()
    )
    by_bucket: dict[int, context.Bucket] = {}
    for row in rows:
        epoch = row["bucket"]
        bucket = by_bucket.get(epoch)
        if bucket is None:
            bucket = by_bucket[epoch] = context.Bucket(start=_bucket_start(epoch))
        bucket.total += row["n"]
        if row["sentiment"] == Sentiment.NEGATIVE:
            bucket.negative += row["n"]
        bucket.platforms[row["platform"]] = bucket.platforms.get(row["platform"], 0) + row["n"]
        if row["reach"] is not None:
            bucket.reach = max(bucket.reach or 0, int(row["reach"]))
    outlets = (
        mentions.filter(platform__in=context.MAINSTREAM_PLATFORMS)
        .exclude(outlet="")
        .annotate(bucket=BucketEpoch("published_at"))
        .values_list("bucket", "outlet")
        .distinct()
    )
    for epoch, outlet in outlets:
        bucket = by_bucket.get(epoch)
        if bucket is None:
            bucket = by_bucket[epoch] = context.Bucket(start=_bucket_start(epoch))
        bucket.outlets.add(outlet)
    return [by_bucket[k] for k in sorted(by_bucket)]


def baseline_count(case: Case, before: datetime) -> tuple[int | None, float]:
    """Mentions of the case's scope in the ``BASELINE_DAYS`` before ``before`` and the
    hours they cover; None when there is no history at all (a drill's scenario gives its
    history buckets)."""
    hours = BASELINE_DAYS * 24.0
    if case.drill_id:
        history = _drill_buckets(case, before - timedelta(days=BASELINE_DAYS), before)
        if not history:
            return None, hours
        first = min(b.start for b in history)
        span = max(1.0, (before - first).total_seconds() / 3600)
        return sum(b.total for b in history), span
    qs = scope(case).filter(
        published_at__gte=before - timedelta(days=BASELINE_DAYS), published_at__lt=before
    )
    return qs.count(), hours


def played_until(now: datetime) -> datetime:
    return buckets.closed_before(now, int(settings.CRISIS_LAG_SECONDS))


def measures(case: Case, now: datetime) -> context.Measures:
    """The raw context measures of the case from its burst's start to ``now``."""
    since = case.burst_started_at or case.opened_at
    if case.signal_at is None:
        # Opened by hand, without a burst: what was said in the day before counts.
        since = min(since, now - timedelta(hours=MANUAL_LOOKBACK_HOURS))
    # A drill's scenario is known only as far as it has been played.
    until = played_until(now) if case.drill_id else now
    window = case_buckets(case, since - timedelta(hours=2), until)
    baseline, hours = baseline_count(case, since)
    return context.measure(
        window, since=since, until=until, baseline_mentions=baseline, baseline_hours=hours
    )


def top_mentions(case: Case, limit: int = 5) -> list[Mention]:
    """The most engaging original mentions of the case since its burst (for facts to
    verify and the case page)."""
    if case.drill_id:
        return []
    since = (case.burst_started_at or case.opened_at) - timedelta(hours=1)
    return list(
        scope(case)
        .filter(published_at__gte=since, is_original=True)
        .order_by("-engagement", "-published_at")[:limit]
    )
