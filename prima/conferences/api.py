"""API: press conferences — list, read, create, advance a stage, cancel, approve material.

A conference's detail lists its material with the actions the authenticated user may take
on each (the workflow decides, as for the pages).

The same policy and the same workflow functions as the pages: a refused gate answers 400
with the workflow's message (and the blockers), a concurrent or stale change 409, an
outsider 404, a role without the right 403.
"""

# No "from __future__ import annotations": ninja reads the query parameter types at run time.
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prima.lib import shortcache
from prima.organizations import policy, reauth
from prima.organizations.apitypes import BoundedPagination, Id, errors
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office, User

from . import workflow
from .models import (
    REQUIRED_MATERIAL,
    ChecklistItem,
    Conference,
    ConferenceType,
    IssueLevel,
    Material,
    MaterialKind,
    MaterialVersion,
    Stage,
    Topic,
)
from .views.base import CACHE
from .views.pages import LIST_CACHE

router = Router(tags=["conferences"])


class StageProgressOut(Schema):
    stage: str
    label: str
    state: str
    done: int
    total: int
    required_open: int


class DeadlineOut(Schema):
    code: str
    label: str
    due: datetime
    met_at: datetime | None
    status: str
    remaining_seconds: int | None


class BlockerOut(Schema):
    code: str
    message: str
    stage: str | None
    who: str
    roles: list[str]
    users: list[str]


class CautionOut(Schema):
    code: str
    message: str


class ProgressOut(Schema):
    done: int
    total: int
    required_open: int


_PK_MARK = "987654321"


@lru_cache(maxsize=16)
def _url_pattern(prefix: str, urlconf: str | None) -> str:
    """A conference page's address with a mark for its id: one ``reverse`` for a list."""
    return Conference(pk=int(_PK_MARK)).get_absolute_url()


class ConferenceOut(Schema):
    id: int
    url: str
    office_id: int
    office: str
    type: str
    title: str
    summary: str
    topic: str
    level: int = Field(..., description="Issue level: 1 Rendah, 2 Sedang, 3 Tinggi, 4 Kritis")
    stage: str
    stage_label: str
    status: str
    is_exercise: bool
    opened_at: datetime
    scheduled_at: datetime | None
    venue: str
    version: int
    checklist: ProgressOut
    deadlines: list[DeadlineOut]
    overdue: bool

    # Resolvers read a conference annotated by _with_progress() (no further query).
    @staticmethod
    def resolve_url(obj: Conference) -> str:
        return _url_pattern(get_script_prefix(), get_urlconf()).replace(_PK_MARK, str(obj.pk))

    @staticmethod
    def resolve_office(obj: Conference) -> str:
        return obj.office.short_name

    @staticmethod
    def resolve_stage_label(obj: Conference) -> str:
        return str(Stage(obj.stage).label)

    @staticmethod
    def resolve_checklist(obj: Any) -> dict:  # a conference annotated by _with_progress()
        return {
            "done": obj.items_done,
            "total": obj.items_total,
            "required_open": obj.items_required_open,
        }

    @staticmethod
    def resolve_deadlines(obj: Conference) -> list[dict]:
        return [
            {
                "code": d.code,
                "label": d.label,
                "due": d.due,
                "met_at": d.met_at,
                "status": d.status.value,
                "remaining_seconds": d.remaining_seconds,
            }
            for d in workflow.deadlines(obj)
        ]

    @staticmethod
    def resolve_overdue(obj: Conference) -> bool:
        return any(d.is_missed and d.met_at is None for d in workflow.deadlines(obj))


class MaterialOut(Schema):
    kind: str
    label: str
    required: bool
    state: str | None = Field(description="None: not written yet")
    version: int | None = Field(description="The material's version (for a change: 409 if stale)")
    number: int | None = Field(description="The number of the current text version")
    actions: list[workflow.MaterialAction] = Field(
        description="What the authenticated user may do with it now"
    )


class ConferenceDetailOut(ConferenceOut):
    stages: list[StageProgressOut]
    blockers: list[BlockerOut]
    materials: list[MaterialOut]
    warnings: list[CautionOut] = Field(
        ...,
        description="Unusual about moving on now (early, pending follow-ups, open questions):"
        " confirm each code with a reason in the advance request.",
    )
    next_stage: str | None
    cancel_reason: str
    actual_start: datetime | None
    actual_end: datetime | None

    # The detail's parts, made by _detail() (kept for a few seconds on a GET).
    @staticmethod
    def resolve_stages(obj: Any) -> list[dict]:
        return obj.api_parts["stages"]

    @staticmethod
    def resolve_blockers(obj: Any) -> list[dict]:
        return obj.api_parts["blockers"]

    @staticmethod
    def resolve_materials(obj: Any) -> list[dict]:
        return obj.api_parts["materials"]

    @staticmethod
    def resolve_warnings(obj: Any) -> list[dict]:
        return obj.api_parts["warnings"]

    @staticmethod
    def resolve_next_stage(obj: Conference) -> str | None:
        nxt = Stage(obj.stage).next if obj.is_active else None
        return nxt.value if nxt else None


class ConferenceIn(Schema):
    office_id: Id
    type: ConferenceType
    title: str = Field(..., min_length=1, max_length=250)
    summary: str = ""
    topic: Topic = Topic.GENERAL
    level: IssueLevel = Field(IssueLevel.LOW, description="1 Rendah, 2 Sedang, 3 Tinggi, 4 Kritis")
    scheduled_at: datetime | None = None
    venue: str = ""
    is_exercise: bool = False


class VersionIn(Schema):
    expected_version: int


class AdvanceIn(VersionIn):
    confirm: list[str] = Field(
        default=[], description="Codes of the warnings (see `warnings`) you confirm"
    )
    reason: str = Field(default="", max_length=2000, description="Why, when confirming warnings")


class CancelIn(Schema):
    expected_version: int
    reason: str


class ObjectionOut(Schema):
    check: str
    message: str
    details: list[str]


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    blockers: list[BlockerOut] = []
    warnings: list[CautionOut] = []
    # What registered pre-approval checks hold against the version (approval refused).
    objections: list[ObjectionOut] = []


class ApproveIn(Schema):
    expected_version: int
    waiver_reason: str = Field(
        default="", max_length=2000, description="Why it is approved despite the checks' objections"
    )


class ApprovedMaterialOut(Schema):
    id: int
    kind: str
    state: str
    version: int
    current_version: int | None
    approved_at: datetime | None


def _blocker(b: workflow.Blocker) -> dict:
    return {
        "code": b.code,
        "message": b.message,
        "stage": b.stage.value if b.stage else None,
        "who": b.who,
        "roles": [str(r) for r in b.roles],
        "users": [u.username for u in b.users],
    }


def _materials(conference: Conference, user: User) -> list[dict]:
    """Every kind of material (the required ones first) with what ``user`` may do with it,
    as the workflow says (three queries)."""
    rights = workflow.permissions(user, conference)
    written = {
        m.kind: m
        for m in conference.materials.select_related("current").prefetch_related(
            Prefetch("versions", queryset=MaterialVersion.objects.only("material_id", "author_id"))
        )
    }
    required = list(REQUIRED_MATERIAL[conference.type])
    rows = []
    for kind in required + [k for k in MaterialKind if k not in required]:
        material = written.get(kind)
        authors = {v.author_id for v in material.versions.all()} if material else set()
        allowed = workflow.material_actions(
            user, conference, material, rights=rights, authors=authors
        )
        rows.append(
            {
                "kind": kind,
                "label": str(MaterialKind(kind).label),
                "required": kind in required,
                "state": material.state if material else None,
                "version": material.version if material else None,
                "number": material.current.number if material and material.current else None,
                "actions": [a for a in workflow.MaterialAction if a in allowed],
            }
        )
    return rows


def _with_progress(qs):
    return qs.annotate(
        items_total=Count("checklist_items"),
        items_done=Count("checklist_items", filter=Q(checklist_items__done_at__isnull=False)),
        items_required_open=Count(
            "checklist_items",
            filter=Q(checklist_items__required=True, checklist_items__done_at__isnull=True),
        ),
    )


def _detail(conference_id: int | Conference, user: User, *, kept: bool = False) -> Conference:
    """The conference (re-read unless given) with what a detail shows beyond its fields:
    checklist progress per stage, blockers, material and the user's actions on it, warnings
    (``api_parts``). With ``kept``, those are kept for CONFERENCE_DETAIL_CACHE_SECONDS per
    person, conference version and language, like the detail page (any audited change
    drops them)."""
    conference = (
        conference_id
        if isinstance(conference_id, Conference)
        else Conference.objects.select_related("office").get(pk=conference_id)
    )
    parts = shortcache.remember(
        CACHE,
        ("api", user.pk, conference.pk, conference.version, get_language()),
        lambda: _parts(conference, user),
        seconds=settings.CONFERENCE_DETAIL_CACHE_SECONDS if kept else 0,
    )
    annotated: Any = conference  # as _with_progress() annotates a list
    annotated.items_total, annotated.items_done, annotated.items_required_open = parts["progress"]
    annotated.api_parts = parts
    return conference


def _parts(conference: Conference, user: User) -> dict[str, Any]:
    """A detail's parts (plain values). Each part of the conference is read once."""
    prefetch_related_objects(
        [conference], Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by())
    )
    items = list(conference.checklist_items.all())
    active = conference.is_active
    return {
        "progress": (
            len(items),
            sum(1 for i in items if i.done_at is not None),
            sum(1 for i in items if i.required and i.done_at is None),
        ),
        "stages": [
            {
                "stage": p.stage.value,
                "label": p.label,
                "state": p.state,
                "done": p.done,
                "total": p.total,
                "required_open": p.required_open,
            }
            for p in workflow.checklist_progress(conference)
        ],
        "blockers": [_blocker(b) for b in workflow.blockers(conference, checklist=items)]
        if active
        else [],
        "materials": _materials(conference, user),
        "warnings": [{"code": c.code, "message": c.message} for c in workflow.cautions(conference)]
        if active
        else [],
    }


def _refusal(exc: workflow.WorkflowError) -> Status:
    body: dict[str, Any] = {
        "detail": exc.message,
        "field": exc.field,
        "blockers": [],
        "warnings": [],
    }
    if isinstance(exc, workflow.GateError):
        body["blockers"] = [_blocker(b) for b in exc.blockers]
    if isinstance(exc, workflow.ConfirmationRequired):
        body["warnings"] = [{"code": c.code, "message": c.message} for c in exc.cautions]
    if isinstance(exc, workflow.ApprovalBlocked):
        body["objections"] = [
            {"check": o.check, "message": o.message, "details": list(o.details)}
            for o in exc.objections
        ]
    return Status(exc.status_code, body)


@router.get(
    "/conferences",
    response={200: list[ConferenceOut], **errors(401, 422)},
    summary="Press conferences the user may see, newest first",
)
@paginate(BoundedPagination)
def list_conferences(
    request: AuthenticatedHttpRequest,
    type: ConferenceType | None = None,
    stage: Stage | None = None,
    status: str | None = None,
    office_id: Id | None = None,
    overdue: bool | None = None,
    is_exercise: bool | None = None,
):
    user = request.user

    def queryset() -> Any:
        now = timezone.now()
        qs = _with_progress(workflow.visible_conferences(user)).order_by("-opened_at", "-pk")
        if type:
            qs = qs.filter(type=type)
        if stage:
            qs = qs.filter(stage=stage)
        if status:
            qs = qs.filter(status=status)
        if office_id is not None:
            qs = qs.filter(office_id=office_id)
        if is_exercise is not None:
            qs = qs.filter(is_exercise=is_exercise)
        if overdue is True:
            qs = qs.filter(pk__in=Conference.objects.overdue(now).values("pk"))
        elif overdue is False:
            qs = qs.exclude(pk__in=Conference.objects.overdue(now).values("pk"))
        return qs

    # The rows are the same for everyone with this exact scope (no personal data in them).
    scope = repr(policy.office_q(user, "conference.view"))
    return _Kept(queryset, (scope, type, stage, status, office_id, is_exercise, overdue))


class _Kept:
    """What the paginator reads of a list — its count and its page — kept like the
    conference list page (``CONFERENCES_LIST_CACHE_SECONDS``, dropped by every audited
    change of a conference or its parts, see apps.py) per exact scope and filters
    (``parts``). The rows' deadlines and ``overdue`` are computed afresh on every request;
    a passing deadline moves a row in or out of ``?overdue=`` within those seconds."""

    def __init__(self, queryset: Callable[[], Any], parts: tuple) -> None:
        self.queryset = queryset  # made only when something is not kept
        self.parts = parts

    def all(self) -> "_Kept":
        return self

    def count(self) -> int:
        return _remember((*self.parts, "count"), lambda: self.queryset().count())

    def __getitem__(self, page: slice) -> list[Conference]:
        return _remember((*self.parts, page.start, page.stop), lambda: list(self.queryset()[page]))


def _remember(parts: tuple, build: Any) -> Any:
    return shortcache.remember(
        LIST_CACHE, ("api", *parts), build, seconds=settings.CONFERENCES_LIST_CACHE_SECONDS
    )


@router.get(
    "/conferences/{conference_id}",
    response={200: ConferenceDetailOut, **errors(401, 404, 422)},
    summary="One conference: stage status, checklist progress, blockers, deadlines",
)
def get_conference(request: AuthenticatedHttpRequest, conference_id: int):
    queryset = Conference.objects.select_related("office")
    conference = policy.get_for(request.user, "conference.view", queryset, pk=conference_id)
    return _detail(conference, request.user, kept=True)


@router.post(
    "/conferences",
    response={**errors(401, 403, 404, 422), 201: ConferenceDetailOut, 400: ErrorOut},
    summary="Open a conference",
)
def create_conference(request: AuthenticatedHttpRequest, payload: ConferenceIn):
    office = policy.get_for(request.user, "conference.create", Office, pk=payload.office_id)
    try:
        conference = workflow.create_conference(
            request.user,
            office=office,
            type=payload.type,
            title=payload.title,
            summary=payload.summary,
            topic=payload.topic,
            level=payload.level,
            scheduled_at=payload.scheduled_at,
            venue=payload.venue,
            is_exercise=payload.is_exercise,
        )
    except workflow.WorkflowError as exc:
        return _refusal(exc)
    return Status(201, _detail(conference.pk, request.user))


def _conference_for(request: AuthenticatedHttpRequest, conference_id: int) -> Conference:
    conference = Conference.objects.select_related("office").filter(pk=conference_id).first()
    if conference is None or not policy.can(request.user, "conference.view", conference.office):
        raise Http404
    return conference


@router.post(
    "/conferences/{conference_id}/advance",
    response={**errors(401, 403, 404, 422), 200: ConferenceDetailOut, 400: ErrorOut, 409: ErrorOut},
    summary="Move the conference to its next stage (gates apply; unusual moves need the "
    "warnings confirmed with a reason; 409 if it changed meanwhile)",
)
def advance(request: AuthenticatedHttpRequest, conference_id: int, payload: AdvanceIn):
    conference = _conference_for(request, conference_id)
    try:
        workflow.advance(
            request.user,
            conference,
            expected_version=payload.expected_version,
            confirm=payload.confirm,
            reason=payload.reason,
        )
    except workflow.WorkflowError as exc:
        return _refusal(exc)
    return Status(200, _detail(conference_id, request.user))


@router.post(
    "/conferences/{conference_id}/cancel",
    response={**errors(401, 403, 404, 422), 200: ConferenceDetailOut, 400: ErrorOut, 409: ErrorOut},
    summary="Cancel the conference (a reason is required)",
)
def cancel(request: AuthenticatedHttpRequest, conference_id: int, payload: CancelIn):
    conference = _conference_for(request, conference_id)
    try:
        workflow.cancel(
            request.user,
            conference,
            reason=payload.reason,
            expected_version=payload.expected_version,
        )
    except workflow.WorkflowError as exc:
        return _refusal(exc)
    return Status(200, _detail(conference_id, request.user))


@router.post(
    "/conferences/{conference_id}/material/{kind}/approve",
    response={
        **errors(401, 403, 404, 422),
        200: ApprovedMaterialOut,
        400: ErrorOut,
        409: ErrorOut,
    },
    summary="Approve the submitted version of a material (head of office or a delegate; "
    "pre-approval checks such as the automatic verification may refuse it unless "
    "waiver_reason says why it is approved anyway)",
)
def approve_material(
    request: AuthenticatedHttpRequest, conference_id: Id, kind: str, payload: ApproveIn
):
    conference = _conference_for(request, conference_id)
    material = Material.objects.filter(conference=conference, kind=kind).first()
    if material is None:
        raise Http404
    if workflow.may_approve(request.user, conference.office):
        # A browser session must have confirmed its identity recently (403
        # reauth_required); API token calls are exempt (prima.organizations.reauth).
        reauth.check_api(request)
    try:
        material = workflow.approve_material(
            request.user,
            material,
            expected_version=payload.expected_version,
            waiver_reason=payload.waiver_reason,
        )
    except workflow.WorkflowError as exc:
        return _refusal(exc)
    material.refresh_from_db()
    current = material.current
    return Status(
        200,
        {
            "id": material.pk,
            "kind": material.kind,
            "state": material.state,
            "version": material.version,
            "current_version": current.number if current else None,
            "approved_at": current.approved_at if current else None,
        },
    )
