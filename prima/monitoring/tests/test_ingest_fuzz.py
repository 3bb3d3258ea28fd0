"""Fuzzing the pipeline: whatever a parser or a push client hands over, nothing crashes,
each entry gets a result, and what is stored is exactly what was accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import HourlyVolume, Mention
from prima.monitoring.parsers.base import ParsedItem, Rejected
from prima.monitoring.sources.push.transport import item_from_post

texty = st.text(max_size=80) | st.sampled_from(
    ["", " ", "\x00\x01", "<script>alert(1)</script>", "\ud800 lone surrogate", "ok " * 2000,
     "Antrean panjang di imigrasi", "Great service", "👍👍👍", "ａｎｔｒｅａｎ"]
)  # fmt: skip
moments = (
    st.none()
    | st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-12))]
        ),
    )
    | st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))
)  # naive
counts = st.none() | st.integers(min_value=-(10**6), max_value=10**30)
items = st.builds(
    ParsedItem,
    external_id=texty, text=texty, url=texty, canonical_url=st.just(""), title=texty,
    author=texty, author_handle=texty, author_followers=counts, outlet=texty,
    platform=st.sampled_from(["twitter", "news", "print", "nonsense", ""]),
    published_at=moments, likes=counts, shares=counts, comments=counts,
    lang_hint=st.sampled_from(["", "id", "en-US", "xx", "in"]),
)  # fmt: skip
entries = st.lists(items | st.builds(Rejected, st.integers(1, 10**6), texty), max_size=12)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=entries)
def test_any_entries_are_stored_or_rejected_and_never_crash(push_source, batch):
    before = Mention.objects.count()
    job, results = ingest_items(push_source, batch, collect=True, chunk_size=5)
    assert len(results) == len(batch)
    assert {r.status for r in results} <= {"accepted", "duplicate", "rejected"}
    accepted = sum(r.status == "accepted" for r in results)
    assert job.accepted == accepted
    assert Mention.objects.count() == before + accepted
    assert sum(HourlyVolume.objects.values_list("mentions", flat=True)) == Mention.objects.count()


@settings(max_examples=200, deadline=None)
@given(post=st.dictionaries(st.sampled_from(
    ["external_id", "id", "text", "url", "title", "author", "author_handle", "platform",
     "published_at", "likes", "shares", "comments", "author_followers", "lang", "outlet"]),
    st.none() | st.integers() | st.floats() | st.text(max_size=50) | st.lists(st.integers()),
) | st.integers() | st.text())  # fmt: skip
def test_any_pushed_json_becomes_an_item_or_a_reason(post):
    result = item_from_post(1, post)
    assert isinstance(result, ParsedItem | Rejected)
    if isinstance(result, Rejected):
        assert result.reason
