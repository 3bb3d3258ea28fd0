"""Storm detection over monitoring's 5-minute buckets: time order, no look-ahead,
warm-up, restarts and concurrent workers never raise a signal twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from prima.crisis import buckets, streaming
from prima.crisis.models import Series, SeriesKind, Signal
from prima.crisis.tests.conftest import (
    NOW,
    StandInDetector,
    StandInStep,
    add_mentions,
    make_issue,
)
from prima.monitoring import hooks
from prima.monitoring.models import WatchList

pytestmark = pytest.mark.django_db

BURST = NOW + timedelta(minutes=30)


class RecordingDetector(StandInDetector):
    def __init__(self) -> None:
        self.seen: list[tuple[datetime, float]] = []

    def step(self, state, timestamp, value):
        self.seen.append((timestamp, value))
        return super().step(state, timestamp, value)


def _start(soetta, at=NOW):
    """Series created at ``at`` with a warm-up that ends then."""
    streaming.ensure_series(soetta.pk, at)
    return {s.kind: s for s in Series.objects.filter(office=soetta)}


def test_an_office_gets_its_series(soetta, source):
    watchlist = WatchList.objects.create(office=soetta, name="Autogate", query="autogate")
    issue = make_issue(soetta, at=NOW - timedelta(hours=2))
    streaming.ensure_series(soetta.pk, NOW)
    kinds = sorted(Series.objects.filter(office=soetta).values_list("kind", "key"))
    assert kinds == sorted(
        [
            ("office", ""),
            ("negative", ""),
            ("watchlist", str(watchlist.pk)),
            ("issue", str(issue.pk)),
        ]
    )
    office = Series.objects.get(office=soetta, kind="office")
    assert office.next_bucket == buckets.floor(NOW - timedelta(days=1))
    assert office.warm_until == buckets.closed_before(NOW, 60)
    # A closed watch-list retires its series; reopening brings it back without old news.
    watchlist.is_active = False
    watchlist.save()
    streaming.ensure_series(soetta.pk, NOW + timedelta(hours=1))
    assert not Series.objects.get(kind="watchlist").is_active
    watchlist.is_active = True
    watchlist.save()
    streaming.ensure_series(soetta.pk, NOW + timedelta(hours=2))
    series = Series.objects.get(kind="watchlist")
    assert series.is_active and series.warm_until >= buckets.floor(NOW + timedelta(hours=1))


def test_buckets_are_read_in_time_order_once_each_and_only_when_closed(soetta, source):
    _start(soetta)
    add_mentions(source, NOW + timedelta(minutes=1), 2)
    add_mentions(source, NOW + timedelta(minutes=12), 3)
    # Posts in the bucket still filling, and one dated in the future (a bad clock).
    add_mentions(source, NOW + timedelta(minutes=21), 4, spread_seconds=60)
    add_mentions(source, NOW + timedelta(hours=5), 9)
    detector = RecordingDetector()
    streaming.advance_office(soetta.pk, NOW + timedelta(minutes=22), detector)
    office = Series.objects.get(office=soetta, kind="office")
    assert office.next_bucket == NOW + timedelta(minutes=20)
    # In time order, once each, and nothing of the bucket still filling or the future.
    assert office.state["recent"][-4:] == [2, 0, 3, 0]
    times = [t for t, _v in detector.seen]
    assert len(times) == 2 * (24 * 12 + 4)  # office and negative series
    assert max(times) == (NOW + timedelta(minutes=15)).replace(tzinfo=None)
    # The next round reads the bucket that was filling, once; the lag is respected.
    detector2 = RecordingDetector()
    streaming.advance_office(soetta.pk, NOW + timedelta(minutes=25, seconds=30), detector2)
    assert not detector2.seen  # closed at :25 but not yet 60 s old
    streaming.advance_office(soetta.pk, NOW + timedelta(minutes=26), detector2)
    read = [(t, v) for t, v in detector2.seen]
    assert len(read) == len(Series.objects.filter(office=soetta, is_active=True))
    assert ((NOW + timedelta(minutes=20)).replace(tzinfo=None), 4.0) in read


def test_a_burst_raises_one_signal_with_its_start_and_footprint(soetta, source):
    issue = make_issue(soetta, at=NOW - timedelta(hours=12))
    watchlist = WatchList.objects.create(office=soetta, name="Autogate", query="autogate")
    _start(soetta)
    add_mentions(source, NOW, 1, sentiment="neutral")
    add_mentions(source, BURST, 6, issue=issue, watchlist=watchlist)
    add_mentions(source, BURST + timedelta(minutes=5), 12, issue=issue, watchlist=watchlist)
    raised = streaming.advance_office(soetta.pk, BURST + timedelta(minutes=11))
    signals = Signal.objects.order_by("series__kind")
    kinds = sorted(s.series.kind for s in signals)
    assert kinds == ["issue", "negative", "office", "watchlist"]
    assert raised == 4
    office = signals.get(series__kind="office")
    assert office.bucket_start == BURST and office.value == 6
    assert office.burst_start == BURST
    assert office.footprint == {"issues": [issue.pk], "watchlists": [watchlist.pk]}
    assert office.raised_at == BURST + timedelta(minutes=11)
    # The next bucket (bigger still) is the same burst: no second signal.
    assert Signal.objects.filter(bucket_start=BURST + timedelta(minutes=5)).count() == 0


def test_history_read_at_creation_raises_no_signal(soetta, source):
    add_mentions(source, NOW - timedelta(hours=3), 20)  # an old burst
    _start(soetta, NOW)
    streaming.advance_office(soetta.pk, NOW)
    assert not Signal.objects.exists()
    assert Series.objects.get(kind="office").state["recent"]


def test_running_again_after_a_restart_raises_nothing_twice(soetta, source):
    _start(soetta)
    add_mentions(source, BURST, 8)
    later = BURST + timedelta(minutes=6)
    first = streaming.advance_office(soetta.pk, later)
    assert first == 2  # office and negative
    # A restarted worker (fresh detector object, state from the database) runs the same
    # round again, then the next one.
    assert streaming.advance_office(soetta.pk, later, StandInDetector()) == 0
    assert streaming.advance_office(soetta.pk, later + timedelta(minutes=5)) == 0
    assert Signal.objects.count() == 2


def test_a_crash_before_commit_loses_nothing(soetta, source, monkeypatch):
    _start(soetta)
    add_mentions(source, BURST, 8)
    later = BURST + timedelta(minutes=6)
    real_bulk_create = Signal.objects.bulk_create

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(Signal.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        streaming.advance_office(soetta.pk, later)
    assert Series.objects.get(kind="office").next_bucket < BURST  # nothing committed
    monkeypatch.setattr(Signal.objects, "bulk_create", real_bulk_create)
    assert streaming.advance_office(soetta.pk, later) == 2


def test_a_worker_that_lost_the_race_stores_nothing(soetta, source):
    _start(soetta)
    add_mentions(source, BURST, 8)
    later = BURST + timedelta(minutes=6)
    stale = Series.objects.get(kind="office")  # read by a slow worker
    streaming.advance_office(soetta.pk, later)  # a fast one does the work
    counts = streaming.read_office_counts(soetta.pk, stale.next_bucket, later, [stale])
    again = streaming.advance_series(
        stale, counts[stale.pk], buckets.closed_before(later, 60), later, StandInDetector()
    )
    assert again == []
    assert Signal.objects.filter(series=stale).count() == 1


def test_bursts_smaller_than_the_minimum_raise_nothing(soetta, source, settings):
    settings.CRISIS_SIGNAL_MIN_MENTIONS = 10
    _start(soetta)
    add_mentions(source, BURST, 8)
    assert streaming.advance_office(soetta.pk, BURST + timedelta(minutes=6)) == 0


def test_the_ingest_hook_and_the_tick_hook_reach_the_crisis_app(
    soetta, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "prima.crisis.tasks.advance_office", lambda office_id, now=None: calls.append(office_id)
    )
    monkeypatch.setattr("prima.crisis.tasks.run_tick", lambda now=None: calls.append(("tick", now)))
    with django_capture_on_commit_callbacks(execute=True):
        hooks.announce_mentions_stored(soetta.pk, 1, 5)
        hooks.announce_mentions_stored(soetta.pk, 2, 0)  # nothing stored: silent
    hooks.announce_tick(NOW)
    assert calls == [soetta.pk, ("tick", NOW)]


def test_a_failing_receiver_never_breaks_monitoring(soetta, monkeypatch, caplog):
    def broken(sender, **kwargs):
        raise RuntimeError("boom")

    hooks.scheduler_ticked.connect(broken, dispatch_uid="test.broken")
    try:
        monkeypatch.setattr("prima.crisis.tasks.run_tick", lambda now=None: None)
        hooks.announce_tick(NOW)
    finally:
        hooks.scheduler_ticked.disconnect(dispatch_uid="test.broken")
    assert "failed" in caplog.text


def test_burst_start_walks_back_over_the_rise():
    start = NOW + timedelta(hours=1)
    recent = [0, 1, 0, 0, 4, 6, 1, 9, 15]  # ... rise with one quiet bucket, alarm at 15
    found = streaming.burst_start(recent, start, baseline=0.5)
    assert found == start - 4 * buckets.BUCKET
    assert streaming.burst_start([0, 0, 9], start, baseline=0.5) == start


def test_drill_series_play_one_bucket_every_five_minutes(soetta, pr_lead):
    from prima.crisis import drills
    from prima.crisis.models import Drill, DrillStatus

    scenario = {
        "buckets": [{"total": 1}] * 10 + [{"total": 30, "negative": 25}] * 3,
        "burst_index": 10,
        "lead_in": 2,
    }
    drill = drills.create(pr_lead, soetta, name="Latihan", scenario=scenario)
    drills.start(pr_lead, drill, now=NOW)
    detector = RecordingDetector()
    streaming.advance_drills(NOW, detector)
    assert len(detector.seen) == 8  # the history before the lead-in, at once
    streaming.advance_drills(NOW + timedelta(minutes=6), detector)
    assert len(detector.seen) == 9
    signal_time = NOW + timedelta(minutes=16)
    streaming.advance_drills(signal_time, detector)
    signal = Signal.objects.get()
    assert signal.is_exercise and signal.value == 30
    assert signal.burst_start == signal.bucket_start == NOW + timedelta(minutes=10)
    streaming.advance_drills(NOW + timedelta(hours=1), detector)
    drill.refresh_from_db()
    assert drill.status == DrillStatus.FINISHED
    assert not Series.objects.get(kind=SeriesKind.DRILL).is_active
    assert Drill.objects.count() == 1


class _ScriptedDetector:
    """Alarms at the first bucket; its burst (the gate closed: ``armed`` false, as the
    shipped detector keeps it) lasts ``burst`` buckets."""

    def __init__(self, burst: int) -> None:
        self.burst = burst

    def initial_state(self):
        return {"i": 0, "armed": True}

    def step(self, state, timestamp, value):
        i = state["i"]
        return StandInStep(0.9 if i == 0 else 0.1, i == 0, {"i": i + 1, "armed": i >= self.burst})


@pytest.mark.parametrize(("burst", "signalled"), [(30, True), (0, False)])
def test_an_alarm_that_came_small_waits_while_the_detectors_burst_lasts(soetta, burst, signalled):
    # One mention a bucket for ten buckets after the alarm, then five: a storm that starts
    # slowly. The detector alarms once per burst, so the alarm waits for the minimum as
    # long as the detector's burst lasts (not only PENDING_BUCKETS buckets).
    start = buckets.floor(NOW)
    counts = {start + k * buckets.BUCKET: (1 if k < 10 else 5) for k in range(14)}
    series = Series(
        office=soetta, kind=SeriesKind.OFFICE, key="", state={},
        next_bucket=start, warm_until=start - timedelta(hours=1),
    )  # fmt: skip
    end = start + 14 * buckets.BUCKET
    _, alarms, _, _ = streaming._run(series, counts, end, _ScriptedDetector(burst))
    assert [a.bucket for a in alarms] == ([start + 10 * buckets.BUCKET] if signalled else [])
