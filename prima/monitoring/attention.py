"""Monitoring items for the home page's "needs your attention" list."""

from __future__ import annotations

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.organizations import attention, policy
from prima.organizations.attention import AttentionItem
from prima.organizations.models import User

from .models import IngestJob, JobKind, JobStatus, Source, SourceKind

FAILING_FEED_AFTER = 3


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def monitoring_attention(user: User) -> list[AttentionItem]:
    """Failed imports of the last week (``import.run``) and feeds that keep failing
    (``source.manage``). Two queries, none for users without those actions; kept for
    everyone with the same scopes (they depend on nothing else)."""
    return attention.shared(
        "monitoring", user, ("import.run", "source.manage"), lambda: _build(user)
    )


def _build(user: User) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    if policy.can_anywhere(user, "import.run"):
        since = timezone.now() - timedelta(days=7)
        jobs = (
            policy.scope(user, "import.run", IngestJob.objects.all())
            .filter(status=JobStatus.FAILED, created_at__gte=since)
            .exclude(kind=JobKind.FEED)
            .select_related("office", "source")[:10]
        )
        for job in jobs:
            items.append(AttentionItem(
                kind="monitoring.import_failed",
                title=_("Import failed: %(name)s") % {"name": job},
                url=_url("monitoring:import-detail", job.pk), office=job.office.short_name,
                detail="; ".join(job.errors)[:200],
            ))  # fmt: skip
    if policy.can_anywhere(user, "source.manage"):
        feeds = (
            policy.scope(user, "source.manage", Source.objects.all())
            .filter(kind=SourceKind.RSS, is_active=True, failure_count__gte=FAILING_FEED_AFTER)
            .select_related("office")[:10]
        )
        for source in feeds:
            items.append(AttentionItem(
                kind="monitoring.feed_failing",
                title=_("Feed keeps failing: %(name)s") % {"name": source.name},
                url=_url("monitoring:source-detail", source.pk), office=source.office.short_name,
                detail=source.last_error[:200],
            ))  # fmt: skip
    return items
