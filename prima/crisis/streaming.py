"""Storm detection over monitoring's mention volume: series, buckets, signals.

Each office has volume series in 5-minute buckets (UTC): all its mentions, its negative
mentions, each open monitoring issue big enough to be shown, each active watch-list; a
running drill has one more. :func:`advance` feeds every closed bucket (see
``CRISIS_LAG_SECONDS``) that a series has not read yet to the storm detector, in time
order, never a bucket that is still filling; the detector's state, the position and the
signals it raised are committed together, the position with a conditional UPDATE, so two
workers never read a bucket twice and a restart resumes where the last commit stopped.

The detector is the shipped one (:mod:`prima.crisis.detection`), through
:func:`make_detector`, the one seam tests replace.
"""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.utils import timezone

from prima.monitoring.models import (
    Issue,
    IssueStatus,
    Mention,
    Sentiment,
    Source,
    WatchList,
    WatchListMatch,
)

from . import buckets
from .buckets import BUCKET
from .models import Drill, DrillStatus, Series, SeriesKind, Signal

logger = logging.getLogger(__name__)

RECENT = 288  # buckets of history kept with a series (24 hours) for baselines
MAX_BUCKETS_PER_PASS = 7 * 24 * 12  # a catch-up reads at most a week per query
FOOTPRINT_SIZE = 5
# An alarm that came with too few mentions waits this many buckets for them (see _run).
PENDING_BUCKETS = 6


# --- the detector seam ---------------------------------------------------------------------------
class StepLike(Protocol):
    @property
    def score(self) -> float: ...

    @property
    def alarm(self) -> bool: ...

    @property
    def state(self) -> dict[str, Any]: ...


class DetectorLike(Protocol):
    def initial_state(self) -> dict[str, Any]: ...

    def step(self, state: dict[str, Any], timestamp: Any, value: float) -> StepLike: ...


def make_detector() -> DetectorLike:
    """The shipped storm detector with its shipped settings."""
    from .detection import SHIPPED_SETTINGS, Detector

    return Detector(SHIPPED_SETTINGS)


def _timestamp(bucket_start: datetime) -> datetime:
    """What the detector receives as the time of a bucket: its start, naive UTC (the
    form of NAB's timestamps)."""
    return bucket_start.astimezone(UTC).replace(tzinfo=None)


# --- series --------------------------------------------------------------------------------------
def _lag() -> int:
    return int(settings.CRISIS_LAG_SECONDS)


def _series(
    office_id: int,
    kind: str,
    key: str,
    *,
    start: datetime,
    warm_until: datetime,
    now: datetime,
    **links: Any,
) -> None:
    Series.objects.bulk_create(
        [
            Series(
                office_id=office_id,
                kind=kind,
                key=key,
                next_bucket=buckets.floor(start),
                warm_until=warm_until,
                created_at=now,
                updated_at=now,
                **links,
            )
        ],
        ignore_conflicts=True,
    )


def ensure_series(
    office_id: int,
    now: datetime,
    *,
    history_from: datetime | None = None,
    signals_from: datetime | None = None,
) -> None:
    """Create the missing series of an office and retire those whose issue or watch-list
    is gone, closed or inactive (a few queries). New series read their history from
    ``history_from`` (default: ``CRISIS_WARMUP_DAYS`` ago) and raise signals for buckets
    from ``signals_from`` on (default: the first bucket not yet readable)."""
    warmup = buckets.floor(history_from or now - timedelta(days=settings.CRISIS_WARMUP_DAYS))
    readable = signals_from or buckets.closed_before(now, _lag())
    existing: dict[tuple[str, str], Series] = {
        (str(s.kind), s.key): s
        for s in Series.objects.filter(office_id=office_id).exclude(kind=SeriesKind.DRILL)
    }
    for office_kind in (SeriesKind.OFFICE, SeriesKind.NEGATIVE):
        if (office_kind.value, "") not in existing:
            _series(office_id, office_kind, "", start=warmup, warm_until=readable, now=now)
    watchlists = WatchList.objects.filter(office_id=office_id, is_active=True)
    wanted: set[tuple[str, str]] = set()
    for watchlist_id in watchlists.values_list("pk", flat=True):
        key = (SeriesKind.WATCHLIST.value, str(watchlist_id))
        wanted.add(key)
        if key not in existing:
            _series(
                office_id,
                SeriesKind.WATCHLIST,
                str(watchlist_id),
                start=warmup,
                warm_until=readable,
                now=now,
                watchlist_id=watchlist_id,
            )
    issues = (
        Issue.objects.shown()
        .filter(office_id=office_id, status=IssueStatus.OPEN, last_seen_at__gte=warmup)
        .values_list("pk", "first_seen_at")
    )
    # A watched office learns of new issues as they grow: an issue's burst since its
    # first mention counts (it is news). At the first watch, everything so far is history.
    watched = (SeriesKind.OFFICE.value, "") in existing
    for issue_id, first_seen in issues:
        key = (SeriesKind.ISSUE.value, str(issue_id))
        wanted.add(key)
        if key not in existing:
            _series(
                office_id,
                SeriesKind.ISSUE,
                str(issue_id),
                start=warmup,
                warm_until=buckets.floor(first_seen) if watched else readable,
                now=now,
                issue_id=issue_id,
            )
    for series_key, series in existing.items():
        if series_key[0] not in (SeriesKind.ISSUE, SeriesKind.WATCHLIST):
            continue
        if series_key in wanted and not series.is_active:
            # Back after a pause: what it missed is history, not news.
            Series.objects.filter(pk=series.pk).update(
                is_active=True, warm_until=max(series.warm_until, readable)
            )
        elif series_key not in wanted and series.is_active:
            Series.objects.filter(pk=series.pk).update(is_active=False)


# --- reading counts ------------------------------------------------------------------------------
Counts = dict[datetime, int]


def _minute_rows(qs: Any, field: str, *group: str) -> Iterable[dict[str, Any]]:
    return cast(
        Iterable[dict[str, Any]],
        qs.annotate(minute=TruncMinute(field, tzinfo=UTC))
        .values("minute", *group)
        .annotate(n=Count("pk"))
        .order_by(),
    )


def read_office_counts(
    office_id: int, start: datetime, end: datetime, series: list[Series]
) -> dict[int, Counts]:
    """Mentions per bucket in [start, end) for each series of one office (three
    aggregate queries, whatever the number of series)."""
    out: dict[int, Counts] = {s.pk: defaultdict(int) for s in series}
    by_kind: dict[str, list[Series]] = defaultdict(list)
    for s in series:
        by_kind[s.kind].append(s)
    window = Mention.objects.filter(
        office_id=office_id, published_at__gte=start, published_at__lt=end
    )
    issue_series = {s.issue_id: s.pk for s in by_kind[SeriesKind.ISSUE] if s.issue_id}
    office_pk = [s.pk for s in by_kind[SeriesKind.OFFICE]]
    negative_pk = [s.pk for s in by_kind[SeriesKind.NEGATIVE]]
    if office_pk or negative_pk or issue_series:
        for row in _minute_rows(window, "published_at", "sentiment", "issue_id"):
            bucket = buckets.floor(row["minute"])
            for pk in office_pk:
                out[pk][bucket] += row["n"]
            if row["sentiment"] == Sentiment.NEGATIVE:
                for pk in negative_pk:
                    out[pk][bucket] += row["n"]
            pk_issue = issue_series.get(row["issue_id"])
            if pk_issue is not None:
                out[pk_issue][bucket] += row["n"]
    watch_series = {s.watchlist_id: s.pk for s in by_kind[SeriesKind.WATCHLIST] if s.watchlist_id}
    if watch_series:
        matches = WatchListMatch.objects.filter(
            watchlist_id__in=list(watch_series),
            mention__published_at__gte=start,
            mention__published_at__lt=end,
        )
        for row in _minute_rows(matches, "mention__published_at", "watchlist_id"):
            out[watch_series[row["watchlist_id"]]][buckets.floor(row["minute"])] += row["n"]
    return out


# --- advancing one series ------------------------------------------------------------------------
@dataclass
class _Alarm:
    bucket: datetime
    value: int
    score: float
    baseline: float
    burst_start: datetime


def burst_start(recent: list[int], bucket: datetime, baseline: float) -> datetime:
    """Where the burst that alarmed at ``bucket`` began: walk back over the buckets
    before it while they stay above the usual level (one quiet bucket in between is
    allowed), at most the 24 hours kept with the series. ``recent`` ends with the
    alarming bucket's value."""
    elevated = max(2 * baseline, baseline + 2)
    start = bucket
    gap = 0
    for back, value in enumerate(reversed(recent[:-1]), start=1):
        if value > elevated:
            start = bucket - back * BUCKET
            gap = 0
        else:
            gap += 1
            if gap > 1:
                break
    return start


def _run(
    series: Series,
    counts: Counts,
    end: datetime,
    detector: DetectorLike,
) -> tuple[dict[str, Any], list[_Alarm], int, float]:
    """Feed buckets [series.next_bucket, end) to the detector; return the new state, the
    alarms that count, the last value and score.

    An alarm counts after the warm-up, when its bucket holds at least
    ``CRISIS_SIGNAL_MIN_MENTIONS`` mentions and more than the usual level (a storm is a
    rise). The detector raises one alarm per burst: when its alarm comes with fewer
    mentions than the minimum (a quiet series waking up), the alarm stays pending for
    ``PENDING_BUCKETS`` buckets, and longer while the detector's burst lasts (its gate
    closed: it will not alarm again before the series has calmed down), and the first of
    them that reaches the minimum raises the signal — the burst is not lost because it
    started small.
    """
    wrapper = dict(series.state or {})
    state = wrapper.get("detector") or detector.initial_state()
    recent: deque[int] = deque(wrapper.get("recent") or [], maxlen=RECENT)
    pending = int(wrapper.get("pending") or 0)
    alarms: list[_Alarm] = []
    value, score = series.last_value, series.last_score
    minimum = int(settings.CRISIS_SIGNAL_MIN_MENTIONS)
    for bucket in buckets.walk(series.next_bucket, end):
        value = int(counts.get(bucket, 0))
        result = detector.step(state, _timestamp(bucket), float(value))
        state, score = result.state, float(result.score)
        recent.append(value)
        if result.alarm:
            pending = PENDING_BUCKETS
        if not pending:
            continue
        if pending > 1 or state.get("armed", True):
            pending -= 1  # while the detector's burst lasts (its gate closed), it waits
        if bucket < series.warm_until or value < minimum:
            continue
        history = list(recent)[:-1]
        usual = float(statistics.median(history)) if history else 0.0
        if value > usual:
            pending = 0
            alarms.append(
                _Alarm(bucket, value, score, usual, burst_start(list(recent), bucket, usual))
            )
    return {"detector": state, "recent": list(recent), "pending": pending}, alarms, value, score


def _footprint(series: Series, since: datetime, until: datetime) -> dict[str, list[int]]:
    """The issues and watch-lists most present among the series' mentions of the burst
    (nothing after ``until``): what the signal is about, for grouping into cases."""
    if series.kind == SeriesKind.DRILL:
        return {"issues": [], "watchlists": []}
    mentions = Mention.objects.filter(
        office_id=series.office_id, published_at__gte=since, published_at__lt=until
    )
    if series.kind == SeriesKind.NEGATIVE:
        mentions = mentions.filter(sentiment=Sentiment.NEGATIVE)
    elif series.kind == SeriesKind.ISSUE:
        mentions = mentions.filter(issue_id=series.issue_id or 0)
    elif series.kind == SeriesKind.WATCHLIST:
        mentions = mentions.filter(watch_matches__watchlist_id=series.watchlist_id or 0)
    issues = list(
        mentions.filter(issue__isnull=False)
        .values("issue_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "issue_id")
        .values_list("issue_id", flat=True)[:FOOTPRINT_SIZE]
    )
    watchlists = list(
        WatchListMatch.objects.filter(mention__in=mentions.values("pk"))
        .values("watchlist_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "watchlist_id")
        .values_list("watchlist_id", flat=True)[:FOOTPRINT_SIZE]
    )
    if series.kind == SeriesKind.ISSUE and series.issue_id and series.issue_id not in issues:
        issues.insert(0, series.issue_id)
    if series.kind == SeriesKind.WATCHLIST and series.watchlist_id:
        if series.watchlist_id not in watchlists:
            watchlists.insert(0, series.watchlist_id)
    return {"issues": issues, "watchlists": watchlists}


@dataclass
class Advance:
    """A series read to ``end``: what to store if it is still where it was read from."""

    series: Series
    read_from: datetime
    end: datetime
    state: dict[str, Any]
    last_value: int
    last_score: float
    signals: list[Signal]


def prepare(
    series: Series,
    counts: Counts,
    end: datetime,
    now: datetime,
    detector: DetectorLike,
    *,
    burst_override: Callable[[datetime], datetime] | None = None,
) -> Advance | None:
    """Feed the series' buckets up to ``end`` to the detector (reads only: nothing is
    stored). None when there is nothing to read."""
    if series.next_bucket >= end:
        return None
    state, alarms, last_value, last_score = _run(series, counts, end, detector)
    signals = [
        Signal(
            series=series,
            office_id=series.office_id,
            bucket_start=alarm.bucket,
            value=alarm.value,
            score=round(alarm.score, 6),
            baseline=alarm.baseline,
            burst_start=burst_override(alarm.bucket) if burst_override else alarm.burst_start,
            footprint=_footprint(series, alarm.burst_start, alarm.bucket + BUCKET),
            raised_at=now,
            is_exercise=series.kind == SeriesKind.DRILL,
        )
        for alarm in alarms
    ]
    return Advance(series, series.next_bucket, end, state, last_value, last_score, signals)


def store(advance: Advance, now: datetime) -> list[Signal]:
    """Store a prepared advance in the caller's transaction (or one of its own): the
    conditional UPDATE on ``next_bucket`` is the claim — when another worker read these
    buckets first, nothing is stored and [] is returned."""
    with transaction.atomic(savepoint=False):
        claimed = Series.objects.filter(pk=advance.series.pk, next_bucket=advance.read_from).update(
            state=advance.state,
            next_bucket=advance.end,
            last_value=advance.last_value,
            last_score=advance.last_score,
            updated_at=now,
        )
        if not claimed:
            return []
        Signal.objects.bulk_create(advance.signals, ignore_conflicts=True)
    advance.series.next_bucket, advance.series.state = advance.end, advance.state
    return advance.signals


def advance_series(
    series: Series,
    counts: Counts,
    end: datetime,
    now: datetime,
    detector: DetectorLike,
    *,
    burst_override: Callable[[datetime], datetime] | None = None,
) -> list[Signal]:
    """Advance one series to ``end`` and store its signals in one transaction. Returns
    the signals raised ([] also when another worker advanced it first)."""
    advance = prepare(series, counts, end, now, detector, burst_override=burst_override)
    return store(advance, now) if advance is not None else []


# --- advancing everything ------------------------------------------------------------------------
def advance_office(office_id: int, now: datetime, detector: DetectorLike | None = None) -> int:
    """Read every closed bucket of the office's series; returns the number of signals."""
    detector = detector or make_detector()
    ensure_series(office_id, now)
    end = buckets.closed_before(now, _lag())
    raised = 0
    while True:
        active = list(
            Series.objects.filter(office_id=office_id, is_active=True, next_bucket__lt=end)
            .exclude(kind=SeriesKind.DRILL)
            .select_related("issue", "watchlist")
        )
        if not active:
            return raised
        start = min(s.next_bucket for s in active)
        stop = min(end, start + MAX_BUCKETS_PER_PASS * BUCKET)
        todo = [s for s in active if s.next_bucket < stop]
        counts = read_office_counts(office_id, start, stop, todo)
        prepared = [prepare(s, counts[s.pk], stop, now, detector) for s in todo]
        # One short commit for all the office's series (computed above, outside it): a
        # crash loses nothing — the next round reads the same buckets again.
        with transaction.atomic():
            for advance in prepared:
                if advance is not None:
                    raised += len(store(advance, now))


def advance(now: datetime | None = None, *, office_ids: Iterable[int] | None = None) -> int:
    """Advance the series of every office that has monitoring data (or of ``office_ids``)
    and of running drills. Returns the number of signals raised."""
    now = now or timezone.now()
    detector = make_detector()
    if office_ids is None:
        # Offices with media sources (every mention comes from one) or series already.
        office_ids = set(Source.objects.values_list("office_id", flat=True).distinct())
        office_ids |= set(Series.objects.values_list("office_id", flat=True).distinct())
    raised = 0
    for office_id in sorted(set(office_ids)):
        try:
            raised += advance_office(office_id, now, detector)
        except Exception:
            # One office's failure must not stop the others' detection.
            logger.exception("storm detection failed for office %s", office_id)
    raised += advance_drills(now, detector)
    return raised


# --- drills --------------------------------------------------------------------------------------
def drill_zero(drill: Drill) -> datetime:
    """Start of the drill's first live bucket (the drill has started)."""
    if drill.started_at is None:
        raise ValueError(f"drill {drill.pk} has not started")
    return buckets.floor(drill.started_at)


def drill_bucket_time(drill: Drill, index: int) -> datetime:
    return drill_zero(drill) + (index - drill.first_live_index) * BUCKET


def drill_counts(drill: Drill) -> Counts:
    return {
        drill_bucket_time(drill, i): int(b.get("total", 0)) for i, b in enumerate(drill.buckets)
    }


def start_drill_series(drill: Drill, now: datetime) -> Series:
    zero = drill_zero(drill)
    Series.objects.filter(kind=SeriesKind.DRILL, key=str(drill.pk)).delete()
    return Series.objects.create(
        office_id=drill.office_id,
        kind=SeriesKind.DRILL,
        key=str(drill.pk),
        drill=drill,
        next_bucket=drill_bucket_time(drill, 0),
        warm_until=zero,
        created_at=now,
        updated_at=now,
    )


def advance_drills(now: datetime, detector: DetectorLike) -> int:
    """Play the due buckets of running drills (the history at once, then one bucket per
    5 minutes); finish a drill whose scenario has been played."""
    raised = 0
    end = buckets.closed_before(now, _lag())
    for series in Series.objects.filter(
        kind=SeriesKind.DRILL, is_active=True, drill__status=DrillStatus.RUNNING
    ).select_related("drill"):
        drill = series.drill
        if drill is None:
            continue
        last = drill_bucket_time(drill, len(drill.buckets))
        # The scenario's history is all readable at the start; live buckets as they close.
        stop = min(max(end, drill_zero(drill)), last)
        true_start = drill_bucket_time(drill, drill.burst_index)
        raised += len(
            advance_series(
                series,
                drill_counts(drill),
                stop,
                now,
                detector,
                burst_override=lambda bucket: min(true_start, bucket),
            )
        )
        if stop >= last:
            Series.objects.filter(pk=series.pk).update(is_active=False)
            Drill.objects.filter(pk=drill.pk, status=DrillStatus.RUNNING).update(
                status=DrillStatus.FINISHED, finished_at=now
            )
    return raised
