"""Media-analysis figures for a period, read from the rollups kept by ingestion.

Every function takes ``offices`` (Office objects, ids or a queryset, already scoped by
the policy: e.g. ``policy.offices(user, "mention.view")``) and a :class:`Period`, plus
optional dimension filters ``kinds``, ``platforms``, ``languages``, ``sentiments``
(lists; empty = all). Volumes come from :class:`~.models.HourlyVolume`, outlets and
authors from :class:`~.models.DailyActor`, issues from :class:`~.models.IssueVolume`:
each is one indexed aggregate query whatever the number of mentions. Only
:func:`most_shared` reads :class:`~.models.Mention` (through its engagement index).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField, F, Func, Max, Q, QuerySet, Sum

from prima.organizations.models import Office

from .models import ActorRole, DailyActor, HourlyVolume, Issue, IssueVolume, Mention

SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Period:
    """A span of time: ``start`` inclusive, ``end`` exclusive (aware datetimes)."""

    start: datetime
    end: datetime

    @classmethod
    def last_days(cls, days: int, *, tz: str | None = None, now: datetime | None = None) -> Period:
        """The last ``days`` whole local days up to and including today."""
        zone = ZoneInfo(tz or settings.TIME_ZONE)
        local_now = (now or datetime.now(tz=zone)).astimezone(zone)
        end = (local_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return cls(end - timedelta(days=days), end)

    @classmethod
    def days(cls, first: date, last: date, *, tz: str | None = None) -> Period:
        """Whole local days ``first`` … ``last`` (inclusive)."""
        zone = ZoneInfo(tz or settings.TIME_ZONE)
        start = datetime(first.year, first.month, first.day, tzinfo=zone)
        end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
        return cls(start, end)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - self.length, self.start)

    def local_days(self, tz: str) -> tuple[date, date]:
        """First and last local calendar day touched (inclusive)."""
        zone = ZoneInfo(tz)
        return (self.start.astimezone(zone).date(),
                (self.end - timedelta(microseconds=1)).astimezone(zone).date())  # fmt: skip


def _office_ids(offices: Iterable[Office | int] | QuerySet) -> list[int]:
    if isinstance(offices, QuerySet):
        return list(offices.values_list("pk", flat=True))
    if isinstance(offices, Office | int):
        offices = [offices]
    return [o.pk if isinstance(o, Office) else int(o) for o in offices]


def _dims(
    *,
    kinds: Iterable[str] = (),
    platforms: Iterable[str] = (),
    languages: Iterable[str] = (),
    sentiments: Iterable[str] = (),
) -> Q:
    q = Q()
    if kinds:
        q &= Q(kind__in=list(kinds))
    if platforms:
        q &= Q(platform__in=list(platforms))
    if languages:
        q &= Q(language__in=list(languages))
    if sentiments:
        q &= Q(sentiment__in=list(sentiments))
    return q


def _hourly(offices, period: Period, **dims) -> QuerySet[HourlyVolume]:
    return HourlyVolume.objects.filter(
        _dims(**dims),
        office_id__in=_office_ids(offices),
        hour__gte=_hour_floor(period.start),
        hour__lt=period.end,
    )


def _hour_floor(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def volume_by_sentiment(
    offices, period: Period, *, bucket: str = "day", tz: str | None = None, **dims: Any
) -> list[dict[str, Any]]:
    """Mentions per bucket ("hour" or "day", local to ``tz``) and sentiment, zeros filled.

    Rows: ``{"at": aware local bucket start, "positive", "neutral", "negative", "total"}``.
    One query (grouped by hour and sentiment).
    """
    zone = ZoneInfo(tz or settings.TIME_ZONE)
    rows = (
        _hourly(offices, period, **dims)
        .values("hour", "sentiment")
        .annotate(n=Sum("mentions"))
        .order_by()
    )
    buckets: dict[datetime, dict[str, Any]] = {}
    for at in _bucket_starts(period, bucket, zone):
        buckets[at] = {"at": at, "positive": 0, "neutral": 0, "negative": 0, "total": 0}
    for row in rows:
        at = _bucket_of(row["hour"], bucket, zone)
        entry = buckets.get(at)
        if entry is None:
            continue
        entry[row["sentiment"]] += row["n"]
        entry["total"] += row["n"]
    return list(buckets.values())


def _bucket_of(moment: datetime, bucket: str, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    if bucket == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _bucket_starts(period: Period, bucket: str, zone: ZoneInfo) -> list[datetime]:
    step = timedelta(hours=1) if bucket == "hour" else timedelta(days=1)
    at = _bucket_of(period.start, bucket, zone)
    out: list[datetime] = []
    while at < period.end and len(out) < 20_000:
        out.append(at)
        # Indonesian zones have no daylight saving time: a day is always 24 hours.
        at = _bucket_of(at + step, bucket, zone)
    return out


@dataclass(frozen=True)
class Totals:
    mentions: int = 0
    engagement: int = 0
    reach: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def net_sentiment(self) -> float | None:
        """(positive − negative) / mentions, between −1 and 1; None without mentions."""
        return (self.positive - self.negative) / self.mentions if self.mentions else None

    def share(self, sentiment: str) -> float | None:
        return getattr(self, sentiment) / self.mentions if self.mentions else None


def totals(offices, period: Period, **dims: Any) -> Totals:
    """Mentions, engagement, reach and counts per sentiment in the period (one query)."""
    rows = (
        _hourly(offices, period, **dims)
        .values("sentiment")
        .annotate(n=Sum("mentions"), e=Sum("engagement"), r=Sum("reach"))
        .order_by()
    )
    data = {"mentions": 0, "engagement": 0, "reach": 0, "positive": 0, "neutral": 0,
            "negative": 0}  # fmt: skip
    for row in rows:
        data["mentions"] += row["n"] or 0
        data["engagement"] += row["e"] or 0
        data["reach"] += row["r"] or 0
        data[row["sentiment"]] += row["n"] or 0
    return Totals(**data)


def sentiment_share(offices, period: Period, **dims: Any) -> dict[str, int]:
    """``{"positive": n, "neutral": n, "negative": n, "total": n}`` for the period."""
    t = totals(offices, period, **dims)
    return {"positive": t.positive, "neutral": t.neutral, "negative": t.negative,
            "total": t.mentions}  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    current: Totals
    previous: Totals
    change: dict[str, float | None]  # relative change per field, None when previous is 0


def compare(offices, period: Period, **dims: Any) -> Comparison:
    """Totals of the period against the previous period of the same length (two queries)."""
    current = totals(offices, period, **dims)
    previous = totals(offices, period.previous(), **dims)
    change: dict[str, float | None] = {}
    for name in ("mentions", "engagement", "reach", "positive", "neutral", "negative"):
        before, now = getattr(previous, name), getattr(current, name)
        change[name] = (now - before) / before if before else None
    return Comparison(current, previous, change)


def _grouped(offices, period: Period, field: str, **dims: Any) -> list[dict[str, Any]]:
    rows = (
        _hourly(offices, period, **dims)
        .values(field)
        .annotate(mentions=Sum("mentions"), engagement=Sum("engagement"), reach=Sum("reach"))
        .order_by("-mentions")
    )
    return [dict(r) for r in rows]


def by_platform(offices, period: Period, **dims: Any) -> list[dict[str, Any]]:
    """``[{"platform", "mentions", "engagement", "reach"}]``, biggest first."""
    return _grouped(offices, period, "platform", **dims)


def by_kind(offices, period: Period, **dims: Any) -> list[dict[str, Any]]:
    return _grouped(offices, period, "kind", **dims)


def by_language(offices, period: Period, **dims: Any) -> list[dict[str, Any]]:
    return _grouped(offices, period, "language", **dims)


def _actors(
    role: str,
    offices,
    period: Period,
    *,
    limit: int,
    platforms: Iterable[str] = (),
    tz: str | None = None,
    **_ignored: Any,
) -> list[dict[str, Any]]:
    first, last = period.local_days(tz or settings.TIME_ZONE)
    qs = DailyActor.objects.filter(
        office_id__in=_office_ids(offices), role=role, day__gte=first, day__lte=last
    ).exclude(name="")  # the "others" row of a compacted day
    if platforms:
        qs = qs.filter(platform__in=list(platforms))
    sums = {"mentions": Sum("mentions"), "negative": Sum("negative"),
            "engagement": Sum("engagement"), "reach": Sum("reach")}  # fmt: skip
    if role == ActorRole.OUTLET:
        # An outlet is one outlet on every platform (its site, its X and TikTok accounts).
        rows = qs.values("name").annotate(platform=Max("platform"), **sums)
    else:
        # An account name means one person only on one platform.
        rows = qs.values("name", "platform").annotate(**sums)
    return [dict(r) for r in rows.order_by("-mentions", "name")[:limit]]


def top_outlets(offices, period: Period, *, limit: int = 10, **dims: Any) -> list[dict[str, Any]]:
    """Outlets with the most mentions, all platforms together: ``[{"name", "platform" (one
    of them), "mentions", "negative", "engagement", "reach"}]``. Whole local days; only
    the ``platforms`` filter applies."""
    return _actors(ActorRole.OUTLET, offices, period, limit=limit, **dims)


def top_authors(offices, period: Period, *, limit: int = 10, **dims: Any) -> list[dict[str, Any]]:
    """Accounts/authors with the most mentions, per platform (same shape as
    :func:`top_outlets`).

    Finished days count only their ``AUTHORS_KEPT_PER_DAY`` most active accounts (see
    :func:`compact_authors`): an account's total leaves out days on which it was not
    among them, so totals of the very top accounts are exact in practice and those of the
    long tail may be low."""
    return _actors(ActorRole.AUTHOR, offices, period, limit=limit, **dims)


def top_issues(offices, period: Period, *, limit: int = 10) -> list[Issue]:
    """Issues with the most mentions in the period, each with ``period_mentions`` and
    ``period_negative`` set. Two queries."""
    rows = (
        IssueVolume.objects.filter(
            issue__office_id__in=_office_ids(offices),
            hour__gte=_hour_floor(period.start),
            hour__lt=period.end,
        )
        .values("issue_id")
        .annotate(n=Sum("mentions"), neg=Sum("negative"))
        .order_by("-n")[: limit * 3]
    )
    counts = {r["issue_id"]: (r["n"], r["neg"]) for r in rows}
    issues = list(Issue.objects.shown().filter(pk__in=list(counts)))
    for issue in issues:
        issue.period_mentions, issue.period_negative = counts[issue.pk]
    issues.sort(key=lambda i: (-i.period_mentions, i.pk))
    return issues[:limit]


def most_shared(offices, period: Period, *, limit: int = 10, **dims: Any) -> list[Mention]:
    """Mentions with the highest engagement (likes + shares + comments) in the period.

    One query for one office; for several, one per office plus one for the result. Each
    walks the (office, engagement)
    index from the top and stops after ``limit`` mentions of the period, instead of
    sorting every mention of the period (seconds for a month of a busy office).
    """
    base = Mention.objects.filter(_dims(**dims), engagement__gt=0)
    if connection.vendor == "sqlite":
        # SQLite's planner prefers the (office, published_at) index for the range and then
        # sorts the whole period; the no-op unary "+" keeps it off that index.
        published = Func(F("published_at"), template="+%(expressions)s",
                         output_field=DateTimeField())  # fmt: skip
        base = base.alias(published=published).filter(
            published__gte=period.start, published__lt=period.end
        )
    else:
        base = base.filter(published_at__gte=period.start, published_at__lt=period.end)
    office_ids = _office_ids(offices)
    if len(office_ids) == 1:
        rows = base.filter(office_id=office_ids[0]).select_related("source", "issue")
        return list(rows.order_by("-engagement", "-id")[:limit])
    top: list[tuple[int, int]] = []
    for office_id in office_ids:
        rows = base.filter(office_id=office_id).order_by("-engagement", "-id")
        top.extend(rows.values_list("engagement", "id")[:limit])
    ids = [pk for _engagement, pk in sorted(top, reverse=True)[:limit]]
    by_id = Mention.objects.select_related("source", "issue").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# --- compaction of per-author rows ----------------------------------------------------------

AUTHORS_KEPT_PER_DAY = 200


def compact_authors(
    *, now: datetime | None = None, keep: int = AUTHORS_KEPT_PER_DAY, max_days: int = 60
) -> int:
    """Compact the per-author rows of finished days (before yesterday, office time).

    For each such day not compacted yet, the ``keep`` most active accounts keep their
    rows; the others are summed into one row named "" (so daily totals stay right) and
    deleted. Keeps dashboard queries over long periods fast whatever the number of
    accounts, and keeps less personal data. At most ``max_days`` days per office per
    call, one transaction per day. Returns the number of days compacted.
    """
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from .models import ActorCompaction
    from .rollups import OTHERS_NAME, OTHERS_PLATFORM, add_actor_rows

    now = now or timezone.now()
    done = 0
    for office in Office.objects.only("id", "timezone"):
        before = now.astimezone(ZoneInfo(office.timezone)).date() - timedelta(days=1)
        last = ActorCompaction.objects.filter(office=office).aggregate(m=Max("day"))["m"]
        days = DailyActor.objects.filter(office=office, role=ActorRole.AUTHOR, day__lt=before)
        if last is not None:
            days = days.filter(day__gt=last)
        for day in sorted(set(days.values_list("day", flat=True).distinct()))[:max_days]:
            with transaction.atomic():
                rows = DailyActor.objects.filter(office=office, day=day, role=ActorRole.AUTHOR)
                kept = list(
                    rows.exclude(name="")
                    .order_by("-mentions", "-engagement", "name")
                    .values_list("pk", flat=True)[:keep]
                )
                dropped = rows.exclude(name="").exclude(pk__in=kept)
                sums = dropped.aggregate(m=Sum("mentions"), n=Sum("negative"),
                                         e=Sum("engagement"), r=Sum("reach"))  # fmt: skip
                if sums["m"]:
                    dropped.delete()
                    add_actor_rows(
                        [((office.pk, day, ActorRole.AUTHOR, OTHERS_NAME, OTHERS_PLATFORM),
                          (sums["m"], sums["n"] or 0, sums["e"] or 0, sums["r"] or 0))],
                    )  # fmt: skip
                ActorCompaction.objects.create(office=office, day=day)
            done += 1
    return done
