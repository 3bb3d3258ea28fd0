"""API: push posts into a source; read mentions and issues (``/api/v1/monitoring/…``).

The push endpoint takes a batch of at most ``MONITORING_PUSH_MAX_BATCH`` posts and answers
with one result per post (accepted, duplicate or rejected with a reason). It is
idempotent on ``external_id``: a client may resend a batch after a timeout without
storing anything twice. Read endpoints apply the same filters and policy as the pages.
"""

# No "from __future__ import annotations": django-ninja resolves the Query[...] parameter
# annotation of a paginated endpoint at import time.
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from prima.organizations import policy
from prima.organizations.apitypes import BoundedPagination, Id, errors
from prima.organizations.http import AuthenticatedHttpRequest

from . import issues as issue_services
from .ingest import ingest_items
from .models import Issue, JobKind, Mention, Source, SourceKind
from .queries import MentionFilters, filter_mentions
from .query import QuerySyntaxError
from .sources.push.transport import entries_from_posts

router = Router(tags=["monitoring"])


class PushBatchIn(Schema):
    posts: list[dict[str, Any]] = Field(
        ...,
        description=(
            "Posts: external_id and text are required; url, title, author, author_handle, "
            "author_followers, platform, outlet, published_at (ISO 8601), likes, shares, "
            "comments and lang are optional."
        ),
    )


class ItemResultOut(Schema):
    index: int
    external_id: str
    status: str
    reason: str
    mention_id: int | None


class PushResultOut(Schema):
    job_id: int
    accepted: int
    duplicates: int
    rejected: int
    results: list[ItemResultOut]


class MentionOut(Schema):
    id: int
    office_id: int
    source_id: int
    kind: str
    platform: str
    outlet: str
    author: str
    author_handle: str
    author_followers: int | None
    title: str
    text: str
    url: str
    published_at: datetime
    collected_at: datetime
    language: str
    sentiment: str
    sentiment_score: float
    sentiment_corrected: bool
    likes: int | None
    shares: int | None
    comments: int | None
    engagement: int
    issue_id: int | None
    dup_group: int
    is_original: bool


class IssueOut(Schema):
    id: int
    office_id: int
    name: str
    label: str
    display_name: str
    status: str
    mention_count: int
    negative_count: int
    engagement: int
    first_seen_at: datetime
    last_seen_at: datetime
    top_terms: list[str]
    merged_into_id: int | None


class VolumeOut(Schema):
    at: datetime
    mentions: int
    positive: int
    neutral: int
    negative: int
    engagement: int


class IssueDetailOut(IssueOut):
    volume: list[VolumeOut]


class MentionQuery(Schema):
    start: str | None = None
    end: str | None = None
    kind: list[str] = []
    platform: list[str] = []
    outlet: list[str] = []
    language: list[str] = []
    sentiment: list[str] = []
    watchlist: Id | None = None
    issue: Id | None = None
    source: Id | None = None
    office: Id | None = None
    q: str | None = None
    originals: bool = False


@router.post(
    "/monitoring/sources/{source_id}/posts",
    response={200: PushResultOut, **errors(401, 403, 404, 413, 422)},
    summary="Push a batch of posts into a push source",
)
def push_posts(request: AuthenticatedHttpRequest, source_id: int, batch: PushBatchIn):
    source = policy.get_for(
        request.user, "mention.push", Source.objects.select_related("office"), pk=source_id
    )
    if source.kind != SourceKind.PUSH:
        raise HttpError(422, "This source does not accept pushed posts (it is not a push source).")
    if not source.is_active:
        raise HttpError(422, "This source is deactivated.")
    limit = settings.MONITORING_PUSH_MAX_BATCH
    if len(batch.posts) > limit:
        raise HttpError(
            413,
            f"A batch may hold at most {limit} posts; this one has {len(batch.posts)}. "
            "Split it into smaller batches.",
        )
    if not batch.posts:
        raise HttpError(422, "The batch is empty.")
    stream = entries_from_posts(batch.posts, source.platform)
    job, results = ingest_items(source, stream, kind=JobKind.PUSH, user=request.user, collect=True)
    return {
        "job_id": job.pk, "accepted": job.accepted, "duplicates": job.duplicates,
        "rejected": job.rejected,
        "results": [
            {"index": r.index, "external_id": r.external_id, "status": r.status,
             "reason": r.reason, "mention_id": r.mention_id}
            for r in results
        ],
    }  # fmt: skip


@router.get(
    "/monitoring/mentions",
    response={200: list[MentionOut], **errors(401, 404, 422)},
    summary="Mentions, filtered",
)
@paginate(BoundedPagination)
def list_mentions(request: AuthenticatedHttpRequest, filters: Query[MentionQuery]):
    if not policy.offices(request.user, "mention.view").exists():
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v not in (None, [], "")}
    if params.pop("originals", False):
        params["originals"] = "1"
    try:
        return filter_mentions(request.user, MentionFilters.from_query(params))
    except QuerySyntaxError as exc:
        raise HttpError(422, f"Search: {exc.message} (at position {exc.position + 1}).") from None


@router.get(
    "/monitoring/mentions/{mention_id}",
    response={200: MentionOut, **errors(401, 404, 422)},
    summary="One mention",
)
def get_mention(request: AuthenticatedHttpRequest, mention_id: int):
    return policy.get_for(request.user, "mention.view", Mention, pk=mention_id)


@router.get(
    "/monitoring/issues",
    response={200: list[IssueOut], **errors(401, 404, 422)},
    summary="Issues, most recent first",
)
@paginate(BoundedPagination)
def list_issues(
    request: AuthenticatedHttpRequest, status: str | None = None, include_small: bool = False
):
    if not policy.offices(request.user, "issue.view").exists():
        raise Http404
    qs = policy.scope(request.user, "issue.view", Issue.objects.all())
    if not include_small:
        qs = qs.shown()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-last_seen_at", "-pk")


@router.get(
    "/monitoring/issues/{issue_id}",
    response={200: IssueDetailOut, **errors(401, 404, 422)},
    summary="One issue",
)
def get_issue(request: AuthenticatedHttpRequest, issue_id: int, bucket: str = "hour"):
    issue = policy.get_for(
        request.user, "issue.view", Issue.objects.select_related("office"), pk=issue_id
    )
    series = issue_services.volume_series(issue, bucket="day" if bucket == "day" else "hour")
    issue.volume = [vars(point) for point in series]
    return issue
