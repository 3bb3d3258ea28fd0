"""API: crisis playbook — read cases, signals and assessments; acknowledge; record an
assessment.

The same policy and services as the pages: an outsider gets 404, a role without the
right 403, a refused change 400 (invalid input) or 409 (the case is not in a state for
it) with the service's message.
"""

# No "from __future__ import annotations": ninja reads the parameter types at run time.
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field as PydanticField

from prima.organizations import policy
from prima.organizations.apitypes import BoundedPagination, Id, errors
from prima.organizations.http import AuthenticatedHttpRequest

from . import assessment, configs, escalation, metrics
from .errors import CrisisError
from .models import Assessment, Case, CaseStatus, Escalation, Signal

router = Router(tags=["crisis"])


class TimingOut(Schema):
    code: str
    start: datetime | None
    at: datetime | None
    minutes: float | None
    target_minutes: float
    met: bool | None


class SignalOut(Schema):
    id: int
    case_id: int | None
    office_id: int
    series: str = Field(..., description="What the series counts (office, negative, issue…)")
    series_kind: str
    bucket_start: datetime = Field(..., description="Start of the 5-minute bucket (UTC)")
    value: int = Field(..., description="Mentions in the bucket")
    baseline: float = Field(..., description="Usual mentions per bucket (median of 24 hours)")
    score: float = Field(..., description="The detector's anomaly score, 0…1")
    burst_start: datetime
    raised_at: datetime
    is_exercise: bool

    @staticmethod
    def resolve_series(obj: Signal) -> str:
        return obj.series.label

    @staticmethod
    def resolve_series_kind(obj: Signal) -> str:
        return obj.series.kind


class FactorOut(Schema):
    factor: str
    value: float | None = Field(..., description="What is known, 0…1 (null: missing)")
    used: float = Field(..., description="What the score used (the assumed value if missing)")
    points: float
    max_points: float
    source: str = Field(..., description="computed, staff or assumed")
    detail: str


class AssessmentOut(Schema):
    id: int
    case_id: int
    number: int
    config_version: int
    category: str
    cluster: str
    score: float
    computed_level: int = Field(..., description="1 Rendah, 2 Sedang, 3 Tinggi, 4 Kritis")
    level: int = Field(..., description="The level set (computed, or overridden by staff)")
    is_override: bool
    override_reason: str
    is_automatic: bool
    missing: list[str]
    explanation: list[FactorOut]
    note: str
    assessed_by: str | None
    assessed_at: datetime


class CaseOut(Schema):
    id: int
    url: str
    office_id: int
    office: str
    title: str
    status: str
    level: int = Field(..., description="1 Rendah, 2 Sedang, 3 Tinggi, 4 Kritis")
    level_label: str
    category: str
    cluster: str
    is_exercise: bool
    opened_at: datetime
    burst_started_at: datetime | None
    signal_at: datetime | None
    notified_at: datetime | None
    acknowledged_at: datetime | None
    first_statement_at: datetime | None
    closed_at: datetime | None
    waiting_for_acknowledgement: bool
    acknowledgement_due: datetime | None
    signal_count: int

    @staticmethod
    def resolve_url(obj: Case) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_office(obj: Case) -> str:
        return obj.office.short_name

    @staticmethod
    def resolve_level_label(obj: Case) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_waiting_for_acknowledgement(obj: Case) -> bool:
        return bool(_pending(obj))

    @staticmethod
    def resolve_acknowledgement_due(obj: Case) -> datetime | None:
        return min((e.due_at for e in _pending(obj)), default=None)

    @staticmethod
    def resolve_signal_count(obj: Case) -> int:
        return int(getattr(obj, "n_signals", 0))


class CaseDetailOut(CaseOut):
    timings: list[TimingOut]
    latest_assessment: AssessmentOut | None
    issue_ids: list[int]
    watchlist_ids: list[int]


class AssessmentIn(Schema):
    category: str = Field("", description="A code of the taxonomy; empty: not known yet")
    cluster: str = Field(
        "", description="victim, accidental, preventable, none; empty: the category's"
    )
    interest: dict[str, float | None] = Field(
        default_factory=dict,
        description="Public-interest factors (affected, safety, rights, vulnerable, "
        "reputation, political), each 0…1 or null (not known)",
    )
    context: dict[str, float | None] = Field(
        default_factory=dict,
        description="Context factors the data cannot tell (volume, growth, negative, reach, "
        "mainstream, spread), each 0…1; null or absent: as measured",
    )
    note: str = ""


class CrisisErrorOut(Schema):
    detail: str
    field: str | None = None


def _refusal(exc: CrisisError) -> Status[dict[str, Any]]:
    return Status(exc.status_code, {"detail": exc.message, "field": exc.field})


def _assessment(item: Assessment) -> dict[str, Any]:
    return {
        "id": item.pk,
        "case_id": item.case_id,
        "number": item.number,
        "config_version": item.config.version,
        "category": item.category,
        "cluster": item.cluster,
        "score": item.score,
        "computed_level": item.computed_level,
        "level": item.level,
        "is_override": item.is_override,
        "override_reason": item.override_reason,
        "is_automatic": item.is_automatic,
        "missing": list(item.missing),
        "explanation": list(item.explanation),
        "note": item.note,
        "assessed_by": item.assessed_by.get_username() if item.assessed_by else None,
        "assessed_at": item.assessed_at,
    }


def _pending(case: Case) -> list[Escalation]:
    """The case's pending escalations of its current round (prefetched by _cases)."""
    if case.status != CaseStatus.OPEN:
        return []
    pending: list[Escalation] = getattr(case, "pending_escalations", [])
    return [e for e in pending if e.round == case.escalation_round]


def _cases(user: Any) -> Any:
    pending = Prefetch(
        "escalations",
        queryset=Escalation.objects.filter(
            acknowledged_at__isnull=True, superseded_at__isnull=True
        ),
        to_attr="pending_escalations",
    )
    return (
        policy.scope(user, "crisis.view", Case.objects.exclude(status=CaseStatus.MERGED))
        .select_related("office")
        .annotate(n_signals=Count("signals"))
        .prefetch_related(pending)
    )


def _detail(user: Any, case_id: int) -> Case:
    """The case with what :class:`CaseDetailOut` reads (timings, latest assessment)."""
    now = timezone.now()
    case: Case = _cases(user).get(pk=case_id)
    latest = assessment.latest(case)
    case.timings = [  # type: ignore[attr-defined]
        {
            "code": t.code,
            "start": t.start,
            "at": t.at,
            "minutes": round(t.minutes, 2) if t.minutes is not None else None,
            "target_minutes": t.target_minutes,
            "met": t.met(now),
        }
        for t in metrics.timings(case)
    ]
    case.latest_assessment = _assessment(latest) if latest else None  # type: ignore[attr-defined]
    case.issue_ids = list(case.issues.values_list("pk", flat=True))  # type: ignore[attr-defined]
    case.watchlist_ids = list(case.watchlists.values_list("pk", flat=True))  # type: ignore[attr-defined]
    return case


def _get(request: AuthenticatedHttpRequest, case_id: int, action: str = "crisis.view") -> Case:
    return policy.get_for(request.user, action, Case.objects.select_related("office"), pk=case_id)


@router.get(
    "/crisis/cases",
    response={**errors(401, 422), 200: list[CaseOut]},
    summary="Crisis cases the user may see: open ones by level, then the newest",
)
@paginate(BoundedPagination)
def list_cases(
    request: AuthenticatedHttpRequest,
    status: str | None = None,
    level: Annotated[int, PydanticField(ge=1, le=4)] | None = None,
    office_id: Id | None = None,
    is_exercise: bool | None = None,
) -> Any:
    qs = _cases(request.user).order_by("-level", "-opened_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if level is not None:
        qs = qs.filter(level=level)
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    if is_exercise is not None:
        qs = qs.filter(is_exercise=is_exercise)
    return qs


@router.get(
    "/crisis/cases/{case_id}",
    response={**errors(401, 404, 422), 200: CaseDetailOut},
    summary="One case: times against targets, the latest assessment with its explanation",
)
def get_case(request: AuthenticatedHttpRequest, case_id: Id) -> Any:
    _get(request, case_id)
    return _detail(request.user, case_id)


@router.get(
    "/crisis/cases/{case_id}/signals",
    response={**errors(401, 404, 422), 200: list[SignalOut]},
    summary="The signals grouped into a case, oldest first",
)
def list_case_signals(request: AuthenticatedHttpRequest, case_id: Id) -> Any:
    case = _get(request, case_id)
    return Signal.objects.filter(case=case).select_related("series__issue", "series__watchlist")


@router.get(
    "/crisis/cases/{case_id}/assessments",
    response={**errors(401, 404, 422), 200: list[AssessmentOut]},
    summary="Every assessment of a case, newest first, with the configuration version used",
)
def list_assessments(request: AuthenticatedHttpRequest, case_id: Id) -> Any:
    case = _get(request, case_id)
    return [_assessment(a) for a in case.assessments.select_related("config", "assessed_by")]


@router.post(
    "/crisis/cases/{case_id}/assessments",
    response={
        **errors(401, 403, 404, 422),
        201: AssessmentOut,
        400: CrisisErrorOut,
        409: CrisisErrorOut,
    },
    summary="Record an assessment (the level follows from the scoring function)",
)
def record_assessment(request: AuthenticatedHttpRequest, case_id: Id, payload: AssessmentIn) -> Any:
    case = _get(request, case_id, "crisis.assess")
    try:
        item = assessment.record(
            request.user,
            case,
            category=payload.category,
            cluster=payload.cluster,
            interest=payload.interest,
            context_values=payload.context,
            note=payload.note,
        )
    except CrisisError as exc:
        return _refusal(exc)
    item = Assessment.objects.select_related("config", "assessed_by").get(pk=item.pk)
    return Status(201, _assessment(item))


@router.post(
    "/crisis/cases/{case_id}/acknowledge",
    response={
        **errors(401, 404, 422),
        200: CaseDetailOut,
        403: CrisisErrorOut,
        409: CrisisErrorOut,
    },
    summary="Acknowledge the escalation waiting on a case (responders of its tier or later)",
)
def acknowledge(request: AuthenticatedHttpRequest, case_id: Id) -> Any:
    case = _get(request, case_id, "crisis.acknowledge")
    try:
        escalation.acknowledge(request.user, case)
    except CrisisError as exc:
        return _refusal(exc)
    except PermissionDenied as exc:
        if exc.args:
            return Status(403, {"detail": str(exc.args[0]), "field": None})
        raise
    return Status(200, _detail(request.user, case.pk))


@router.get(
    "/crisis/signals",
    response={**errors(401, 422), 200: list[SignalOut]},
    summary="Signals raised by the storm detector, newest first",
)
@paginate(BoundedPagination)
def list_signals(
    request: AuthenticatedHttpRequest,
    office_id: Id | None = None,
    since: datetime | None = None,
    is_exercise: bool | None = None,
) -> Any:
    qs = policy.scope(request.user, "crisis.view", Signal.objects.all()).select_related(
        "series__issue", "series__watchlist"
    )
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    if since is not None:
        qs = qs.filter(raised_at__gte=since)
    if is_exercise is not None:
        qs = qs.filter(is_exercise=is_exercise)
    return qs.order_by("-raised_at", "-pk")


@router.get(
    "/crisis/config",
    response={**errors(401, 403), 200: dict},
    summary="The current crisis configuration (taxonomy, weights, thresholds, playbook)",
)
def get_config(request: AuthenticatedHttpRequest) -> Any:
    if not policy.can_anywhere(request.user, "crisis.view"):
        raise PermissionDenied
    row = configs.current()
    return {"version": row.version, "created_at": row.created_at.isoformat(), **row.data}
