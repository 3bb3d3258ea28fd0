"""API: media sources, push posts into a source; read mentions and issues
(``/api/v1/monitoring/…``).

The push endpoint takes a batch of at most ``MONITORING_PUSH_MAX_BATCH`` posts and answers
with one result per post (accepted, duplicate or rejected with a reason). It is
idempotent on ``external_id``: a client may resend a batch after a timeout without
storing anything twice. A push client authenticates with the source's own push key
(shown once when the source is created or its key renewed), which opens that source
only, or with a user's API token (``mention.push``). Read endpoints apply the same
filters and policy as the pages.
"""

# No "from __future__ import annotations": django-ninja resolves the Query[...] parameter
# annotation of a paginated endpoint at import time.
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import BaseModel, ConfigDict

from prima.organizations import policy
from prima.organizations.apiauth import BearerTokenAuth, HeaderTokenAuth
from prima.organizations.apitypes import BoundedPagination, Id, errors
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office

from . import issues as issue_services
from . import services
from .analysis import ModelUnavailable
from .ingest import ingest_items
from .models import Issue, JobKind, Mention, Platform, Source, SourceKind
from .queries import MentionFilters, filter_mentions
from .query import QuerySyntaxError
from .sources.push.transport import entries_from_posts

router = Router(tags=["monitoring"])


class PushKey:
    """``request.auth`` of a client that sent a source's push key."""

    def __init__(self, source: Source) -> None:
        self.source = source


class PushKeyBearer(BearerTokenAuth):
    """``Authorization: Bearer <push key or API token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        source = services.source_for_push_key(token)
        return PushKey(source) if source is not None else super().authenticate(request, token)


class PushKeyHeader(HeaderTokenAuth):
    """``X-API-Key: <push key or API token>``."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        source = services.source_for_push_key(key or "")
        return PushKey(source) if source is not None else super().authenticate(request, key)


class SourceIn(Schema):
    office_id: Id
    kind: SourceKind
    name: str = Field(..., min_length=1, max_length=200)
    url: str = Field("", max_length=2000, description="Feed address (RSS/Atom sources).")
    platform: Platform | None = None
    outlet: str = Field("", max_length=300)
    poll_interval_minutes: int = Field(30, ge=5, le=24 * 60)


class SourceOut(Schema):
    id: int
    office_id: int
    name: str
    kind: str
    url: str
    platform: str
    outlet: str
    is_active: bool
    poll_interval_minutes: int
    push_key_prefix: str
    last_success_at: datetime | None
    last_error: str


class SourceCreatedOut(SourceOut):
    push_key: str | None = Field(
        None, description="Push sources only: the key for the push client. Shown only here."
    )

    @staticmethod
    def resolve_push_key(obj: Source) -> str | None:
        return obj.new_push_key


class SourceProblemOut(Schema):
    detail: str
    field: str | None = None


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


# A plain pydantic model, not a ninja ``Schema``: a page of up to a thousand rows is then
# validated by pydantic's own code instead of ninja's per-attribute getter (several times
# cheaper); it reads a ``Mention`` or a row of ``values()`` alike. (No docstring: it would
# become the schema's description in the OpenAPI document.)
class MentionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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


# The columns of a mention in an answer (a list reads only these).
MENTION_COLUMNS = tuple(MentionOut.model_fields)


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
    auth=[PushKeyBearer(), PushKeyHeader(), django_auth],
)
def push_posts(request: HttpRequest, source_id: int, batch: PushBatchIn):
    user = None
    auth = getattr(request, "auth", None)  # set by ninja's authentication
    if isinstance(auth, PushKey):
        # A push key opens its own source and nothing else.
        source = auth.source
        if source.pk != source_id:
            raise Http404
    else:
        user = request.user
        source = policy.get_for(
            user, "mention.push", Source.objects.select_related("office"), pk=source_id
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
    try:
        job, results = ingest_items(source, stream, kind=JobKind.PUSH, user=user, collect=True)
    except ModelUnavailable as exc:
        raise HttpError(
            503,
            f"The posts cannot be analysed at the moment ({exc.component} unavailable); "
            "send the batch again later.",
        ) from None
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
    if not policy.can_anywhere(request.user, "mention.view"):
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v not in (None, [], "")}
    if params.pop("originals", False):
        params["originals"] = "1"
    try:
        found = filter_mentions(request.user, MentionFilters.from_query(params))
        # Plain rows with exactly the answer's columns: no model instances, no joins.
        return found.values(*MENTION_COLUMNS)
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
    if not policy.can_anywhere(request.user, "issue.view"):
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


@router.get(
    "/monitoring/sources",
    response={200: list[SourceOut], **errors(401, 422)},
    summary="Media sources the user may see",
)
@paginate(BoundedPagination)
def list_sources(request: AuthenticatedHttpRequest, kind: SourceKind | None = None):
    qs = policy.scope(request.user, "source.view", Source.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("office__path", "name", "pk")


@router.post(
    "/monitoring/sources",
    response={**errors(401, 403, 404, 422), 201: SourceCreatedOut, 400: SourceProblemOut},
    summary="Add a media source (a push source's key is in the answer, once)",
)
def create_source(request: AuthenticatedHttpRequest, payload: SourceIn):
    office = policy.get_for(request.user, "source.manage", Office, pk=payload.office_id)
    try:
        source = services.create_source(
            request.user,
            office,
            kind=payload.kind,
            name=payload.name,
            url=payload.url,
            platform=payload.platform or "",
            outlet=payload.outlet,
            poll_interval_minutes=payload.poll_interval_minutes,
        )
    except ValidationError as exc:
        field, message = _first_error(exc)
        return Status(400, {"detail": message, "field": field})
    return Status(201, source)


def _first_error(exc: ValidationError) -> tuple[str | None, str]:
    if hasattr(exc, "error_dict"):
        field, errs = next(iter(exc.message_dict.items()))
        return (None if field == "__all__" else field), " ".join(errs)
    return None, " ".join(exc.messages)
