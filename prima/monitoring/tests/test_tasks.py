"""Background work: feed polling with back-off, the scheduler tick, re-tagging."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from prima.monitoring import fetch, tasks
from prima.monitoring.ingest import claim_job
from prima.monitoring.models import (
    IngestJob,
    JobKind,
    JobStatus,
    Mention,
    SchedulerState,
    Source,
    WatchList,
)

from .conftest import post

pytestmark = pytest.mark.django_db

FEED = (Path(__file__).parent / "fixtures" / "rss_basic.xml").read_bytes()


class FakeWeb:
    """Replaces the one HTTP seam: returns queued responses and records the calls."""

    def __init__(self, monkeypatch):
        self.responses: list[object] = []
        self.calls: list[dict] = []
        monkeypatch.setattr(fetch, "fetch", self)

    def __call__(self, url, **kwargs):
        self.calls.append({"url": url, **kwargs})
        response = self.responses.pop(0)
        if isinstance(response, Exception):
            raise response
        return response


def ok(body: bytes = FEED, etag: str = '"v1"') -> fetch.FetchResult:
    return fetch.FetchResult(url="u", final_url="u", status=200,
                             headers={"content-type": "application/rss+xml"}, body=body,
                             etag=etag, last_modified="Wed, 19 Nov 2025 03:00:00 GMT")  # fmt: skip


def not_modified() -> fetch.FetchResult:
    return fetch.FetchResult(url="u", final_url="u", status=304, headers={}, body=b"",
                             etag='"v1"', not_modified=True)  # fmt: skip


@pytest.fixture
def web(monkeypatch):
    return FakeWeb(monkeypatch)


def poll(source):
    assert tasks.claim_feed(source.pk, force=True)
    source.refresh_from_db()
    return tasks.poll_feed_now(source)


def test_a_poll_stores_the_feed_items_and_remembers_the_validators(feed_source, web):
    web.responses.append(ok())
    job = poll(feed_source)
    assert job.kind == JobKind.FEED and job.status == JobStatus.DONE
    assert job.accepted == 3 and job.rejected == 1  # one entry has nothing at all
    feed_source.refresh_from_db()
    assert (feed_source.etag, feed_source.failure_count, feed_source.last_error) == ('"v1"', 0, "")
    assert feed_source.next_poll_at - feed_source.last_polled_at == timedelta(minutes=30)
    mention = Mention.objects.get(external_id="berita-1001")
    assert mention.outlet == "Berita Imigrasi" and "alert" not in mention.text
    assert web.calls[0]["etag"] is None


def test_the_next_poll_is_conditional_and_a_304_stores_nothing(feed_source, web):
    web.responses += [ok(), not_modified(), ok()]
    poll(feed_source)
    assert poll(feed_source) is None
    assert web.calls[1]["etag"] == '"v1"' and web.calls[1]["last_modified"]
    again = poll(feed_source)  # same entries served again: duplicates only
    assert (again.accepted, again.duplicates) == (0, 3)
    assert Mention.objects.count() == 3


def test_failures_back_off_exponentially_up_to_the_cap(feed_source, web, settings):
    settings.MONITORING_FEED_MAX_BACKOFF_MINUTES = 200
    web.responses += [fetch.ConnectionFailed("The host could not be reached.")] * 4
    delays = []
    for _ in range(4):
        assert poll(feed_source) is None
        feed_source.refresh_from_db()
        delays.append((feed_source.next_poll_at - feed_source.last_polled_at).total_seconds() / 60)
    assert delays == [60, 120, 200, 200]
    assert feed_source.failure_count == 4
    assert feed_source.last_error == "The host could not be reached."
    web.responses.append(ok())
    poll(feed_source)
    feed_source.refresh_from_db()
    assert (feed_source.failure_count, feed_source.last_error) == (0, "")


def test_an_unreadable_feed_counts_as_a_failure(feed_source, web):
    web.responses.append(ok(b"<html>not a feed</html>"))
    poll(feed_source)
    feed_source.refresh_from_db()
    assert feed_source.failure_count == 1 and "feed" in feed_source.last_error.lower()
    assert not Mention.objects.exists()


def test_a_feed_is_claimed_once_until_it_is_due_again(feed_source):
    now = timezone.now()
    assert tasks.claim_feed(feed_source.pk, now=now)
    assert not tasks.claim_feed(feed_source.pk, now=now)
    Source.objects.filter(pk=feed_source.pk).update(next_poll_at=now - timedelta(seconds=1))
    assert tasks.claim_feed(feed_source.pk, now=now)


def test_due_feeds_are_polled_by_the_scheduler(feed_source, web):
    web.responses.append(ok())
    Source.objects.create(office=feed_source.office, name="Nonaktif", kind="rss",
                          url="https://x.example/rss", is_active=False)  # fmt: skip
    assert tasks.poll_due_feeds() == [feed_source.pk]  # immediate backend: polled now
    assert Mention.objects.count() == 3
    assert tasks.poll_due_feeds() == []  # not due again yet


def test_a_tick_runs_once_per_interval_whatever_the_number_of_chains(offices):
    first = tasks.monitoring_tick.call()
    second = tasks.monitoring_tick.call()
    assert first["ran"] is True and second == {"ran": False}
    state = SchedulerState.objects.get()
    assert state.next_tick_at > state.last_tick_at


def test_ensure_scheduler_restarts_a_dead_chain_only(offices, settings):
    assert tasks.ensure_scheduler() is True  # no chain yet
    assert tasks.ensure_scheduler() is False  # one was just started
    SchedulerState.objects.update(next_tick_at=timezone.now() - timedelta(hours=1))
    assert tasks.ensure_scheduler() is True


def test_the_tick_resumes_jobs_whose_worker_died(social_source, settings):
    job = IngestJob.objects.create(office=social_source.office, source=social_source,
                                   kind=JobKind.PUSH)  # fmt: skip
    assert claim_job(job.pk, "dead-worker")
    IngestJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.MONITORING_JOB_LEASE_SECONDS + 5)
    )
    result = tasks.run_tick()
    assert result["requeued"] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_retagging_replaces_the_matches_of_a_watchlist(push_source):
    from prima.monitoring.ingest import ingest_items

    watchlist = WatchList.objects.create(office=push_source.office, name="W", query="calo")
    ingest_items(push_source, [post(1, "Ada calo di bandara"), post(2, "Autogate rusak")])
    assert list(watchlist.mentions.values_list("external_id", flat=True)) == ["p1"]
    WatchList.objects.filter(pk=watchlist.pk).update(query="autogate")
    watchlist.refresh_from_db()
    assert tasks.retag(watchlist, batch=1) == 1
    assert list(watchlist.mentions.values_list("external_id", flat=True)) == ["p2"]


def test_reclassifying_moves_changed_mentions_and_keeps_corrections(
    push_source, pr_staff, monkeypatch
):
    from django.db.models import Count, Sum

    from prima.monitoring import analysis, services
    from prima.monitoring.ingest import ingest_items
    from prima.monitoring.models import HourlyVolume, IssueVolume

    ingest_items(push_source, [post(n, f"Autogate rusak, antrean imigrasi lama {n}")
                               for n in range(6)])  # fmt: skip
    corrected = Mention.objects.get(external_id="p0")
    services.correct_sentiment(pr_staff, corrected, "neutral")
    monkeypatch.setattr(analysis, "classify_sentiments",
                        lambda texts, langs: [("positive", 0.9)] * len(texts))  # fmt: skip
    assert tasks.reclassify(batch=4) == 5
    assert dict(Mention.objects.values_list("sentiment").annotate(n=Count("id"))) == {
        "positive": 5,
        "neutral": 1,
    }
    rolled = dict(HourlyVolume.objects.values_list("sentiment").annotate(n=Sum("mentions")))
    assert {k: v for k, v in rolled.items() if v} == {"positive": 5, "neutral": 1}
    volumes = IssueVolume.objects.aggregate(p=Sum("positive"), n=Sum("negative"))
    in_issues = Mention.objects.filter(issue__isnull=False)
    assert volumes["p"] == in_issues.filter(sentiment="positive").count()
    assert volumes["n"] == in_issues.filter(sentiment="negative").count()
    assert tasks.reclassify() == 0  # nothing left to change


def test_old_feed_polls_are_pruned(feed_source, web):
    web.responses += [ok(), ok()]
    kept = poll(feed_source)  # stored items: kept, without its bytes
    empty = poll(feed_source)  # only duplicates: deleted
    later = timezone.now() + tasks.FEED_FILES_KEPT + timedelta(hours=1)
    assert tasks.prune_feed_jobs(now=later) == 2
    kept.refresh_from_db()
    assert kept.file.name == "" and kept.accepted == 3
    assert not IngestJob.objects.filter(pk=empty.pk).exists()
