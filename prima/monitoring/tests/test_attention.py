"""Monitoring items on the home page: failed imports and feeds that keep failing."""

from __future__ import annotations

import pytest

from prima.monitoring.attention import monitoring_attention
from prima.monitoring.models import IngestJob, JobKind, JobStatus, Source

pytestmark = pytest.mark.django_db


def test_failed_imports_and_failing_feeds_need_attention(social_source, feed_source, pr_staff,
                                                         head, outsider):  # fmt: skip
    IngestJob.objects.create(office=social_source.office, source=social_source,
                             kind=JobKind.FILE, filename="rusak.csv", status=JobStatus.FAILED,
                             errors=["The file is empty."])  # fmt: skip
    Source.objects.filter(pk=feed_source.pk).update(failure_count=5, last_error="Timeout")
    items = monitoring_attention(pr_staff)
    kinds = sorted(i.kind for i in items)
    assert kinds == ["monitoring.feed_failing", "monitoring.import_failed"]
    assert any("rusak.csv" in i.title for i in items)
    assert all(i.url for i in items)
    assert monitoring_attention(head) == []  # may not run imports or manage sources
    assert monitoring_attention(outsider) == []


def test_it_costs_two_queries_and_none_without_the_actions(
    social_source, pr_staff, head, django_assert_num_queries
):
    from prima.organizations import policy

    for user in (pr_staff, head):
        policy.memberships(user)  # loaded once per request by the shell
    with django_assert_num_queries(2):  # failed imports, failing feeds
        monitoring_attention(pr_staff)
    with django_assert_num_queries(0):  # the grants come from the cached memberships
        monitoring_attention(head)
