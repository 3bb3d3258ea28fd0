"""API: post-event evaluation — a conference's coverage proposals (list, decide) and its
evaluation report's figures. The same policy and services as the pages: an outsider
gets 404, a role without the right 403, a refused decision 400/409 with the message."""

# No "from __future__ import annotations": ninja reads the parameter types at run time.
from datetime import datetime
from typing import Any, Literal

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prima.conferences.models import Conference
from prima.organizations import policy
from prima.organizations.apitypes import BoundedPagination, Id, errors
from prima.organizations.http import AuthenticatedHttpRequest

from . import coverage, postevent
from .coverage_models import CoverageProposal

router = Router(tags=["evaluation"])


class ProposalOut(Schema):
    id: int
    conference_id: int
    mention_id: int
    title: str
    outlet: str
    url: str
    published_at: datetime
    sentiment: str
    score: float
    status: str
    decided_by: str | None
    decided_at: datetime | None
    coverage_link_id: int | None


class DecisionIn(Schema):
    status: Literal["confirmed", "rejected", "pending"]


class EvaluationErrorOut(Schema):
    detail: str
    field: str | None = None


def _conference(request: AuthenticatedHttpRequest, pk: int, action: str) -> Conference:
    queryset = Conference.objects.select_related("office")
    conference: Conference = policy.get_for(request.user, action, queryset, pk=pk)
    return conference


def _proposal(p: CoverageProposal) -> dict[str, Any]:
    m = p.mention
    return {
        "id": p.pk,
        "conference_id": p.conference_id,
        "mention_id": m.pk,
        "title": m.title or m.text[:200],
        "outlet": m.outlet or m.source.outlet or m.author,
        "url": m.url,
        "published_at": m.published_at,
        "sentiment": m.sentiment,
        "score": p.score,
        "status": p.status,
        "decided_by": p.decided_by.get_username() if p.decided_by else None,
        "decided_at": p.decided_at,
        "coverage_link_id": p.coverage_link_id,
    }


@router.get(
    "/evaluation/conferences/{conference_id}/proposals",
    response={**errors(401, 404, 422), 200: list[ProposalOut]},
    summary="Mentions proposed as coverage of a conference, best score first",
)
@paginate(BoundedPagination)
def list_coverage_proposals(request: AuthenticatedHttpRequest, conference_id: Id) -> list[Any]:
    conference = _conference(request, conference_id, "postevent.view")
    proposals = (
        CoverageProposal.objects.filter(conference=conference)
        .select_related("mention__source", "decided_by")
        .order_by("-score", "pk")
    )
    return [_proposal(p) for p in proposals]


@router.post(
    "/evaluation/proposals/{proposal_id}/decision",
    response={
        **errors(401, 403, 404, 422),
        200: ProposalOut,
        400: EvaluationErrorOut,
        409: EvaluationErrorOut,
    },
    summary="Confirm (it becomes a coverage link) or reject a proposal",
)
def decide_coverage_proposal(
    request: AuthenticatedHttpRequest, proposal_id: Id, payload: DecisionIn
) -> Any:
    proposal = policy.get_for(
        request.user,
        "postevent.review",
        CoverageProposal.objects.select_related("conference__office"),
        pk=proposal_id,
    )
    try:
        coverage.decide(request.user, proposal, payload.status)
    except coverage.CoverageError as exc:
        return Status(exc.status_code, {"detail": exc.message, "field": exc.field})
    fresh = CoverageProposal.objects.select_related("mention__source", "decided_by").get(
        pk=proposal.pk
    )
    return _proposal(fresh)


@router.get(
    "/evaluation/conferences/{conference_id}/report",
    response={**errors(401, 404, 422), 200: dict[str, Any]},
    summary="The evaluation report's figures (AMEC sections, coverage, tone, pickup, accuracy)",
)
def get_evaluation_report(request: AuthenticatedHttpRequest, conference_id: Id) -> Any:
    conference = _conference(request, conference_id, "postevent.view")
    return postevent.report_content(conference)
