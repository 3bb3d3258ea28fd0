"""Pages of the post-event evaluation: the AMEC report of one conference, with its
coverage proposals (confirm or reject with one click, htmx), the coverage query and the
"look again" button. Thin: every change goes through :mod:`.coverage`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prima.conferences.models import Conference
from prima.lib import dates
from prima.monitoring.query import QuerySyntaxError
from prima.organizations import policy
from prima.organizations.models import User

from . import coverage, postevent, postevent_document
from .coverage_models import CoverageProposal, ProposalStatus


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - guaranteed by login_required
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _conference(request: HttpRequest, pk: int, action: str = "postevent.view") -> Conference:
    """The conference, 404 for those who may not see it, 403 without ``action``."""
    queryset = Conference.objects.select_related("office")
    conference: Conference = policy.get_for(_user(request), action, queryset, pk=pk)
    return conference


# What still needs a decision comes first.
_ORDER = {ProposalStatus.PENDING: 0, ProposalStatus.CONFIRMED: 1, ProposalStatus.REJECTED: 2}


def _proposals(conference: Conference) -> list[CoverageProposal]:
    found = CoverageProposal.objects.filter(conference=conference).select_related(
        "mention__source", "decided_by"
    )
    return sorted(found, key=lambda p: (_ORDER.get(ProposalStatus(p.status), 3), -p.score, p.pk))


def _panel_context(
    request: HttpRequest, conference: Conference, *, error: str = "", message: str = ""
) -> dict[str, Any]:
    user = _user(request)
    return {
        "conference": conference,
        "proposals": _proposals(conference),
        "can_review": policy.can(user, "postevent.review", conference.office),
        "can_query": policy.can(user, "postevent.query", conference.office),
        "can_document": policy.can(user, "document.generate", conference.office),
        "can_indicators": policy.can(user, "indicator.view", conference.office),
        "held": coverage.windows(conference) is not None,
        "tz": conference.office.timezone or dates.DEFAULT_TZ,
        "error": error,
        "message": message,
    }


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation report of one conference, by the AMEC framework."""
    conference = _conference(request, pk)
    try:
        content = postevent.report(conference)
        query_error = ""
    except QuerySyntaxError as exc:  # an edited query the search engine cannot run
        content = None
        query_error = exc.message
    context = _panel_context(request, conference)
    context.update({"report": content, "query_error": query_error})
    return render(request, "evaluation/postevent_report.html", context)


@login_required
@require_GET
def proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals panel (htmx partial; also a plain page)."""
    conference = _conference(request, pk)
    return render(request, "evaluation/_proposals.html", _panel_context(request, conference))


def _after_change(request: HttpRequest, conference: Conference, **kwargs: str) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request, "evaluation/_proposals.html", _panel_context(request, conference, **kwargs)
        )
    return redirect("evaluation:postevent-report", pk=conference.pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """Confirm or reject one proposal (``status`` = confirmed / rejected / pending)."""
    conference = _conference(request, pk, "postevent.review")
    proposal = get_object_or_404(
        CoverageProposal.objects.select_related("conference__office"),
        pk=proposal_pk,
        conference=conference,
    )
    try:
        coverage.decide(_user(request), proposal, request.POST.get("status", ""))
    except coverage.CoverageError as exc:
        response = _after_change(request, conference, error=exc.message)
        response.status_code = exc.status_code if not _is_htmx(request) else 200
        return response
    return _after_change(request, conference)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Look for coverage again now."""
    conference = _conference(request, pk, "postevent.review")
    try:
        result = coverage.refresh(_user(request), conference)
    except coverage.CoverageError as exc:
        return _after_change(request, conference, error=exc.message)
    except QuerySyntaxError as exc:
        return _after_change(request, conference, error=exc.message)
    message = _("%(new)s new, %(total)s in all.") % {"new": result.proposed, "total": result.total}
    return _after_change(request, conference, message=message)


@login_required
@require_POST
def edit_query(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the coverage query (blank: back to the generated one)."""
    conference = _conference(request, pk, "postevent.query")
    try:
        coverage.set_query(_user(request), conference, request.POST.get("query", ""))
    except coverage.CoverageError as exc:
        context = _panel_context(request, conference)
        context.update(
            {
                "report": None,
                "query_error": exc.message,
                "posted_query": request.POST.get("query", ""),
            }
        )
        return render(request, "evaluation/postevent_report.html", context, status=400)
    return redirect("evaluation:postevent-report", pk=conference.pk)


@login_required
@require_POST
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a DOCX or PDF document (made and stored by the documents app), then
    its download. Needs ``document.generate`` besides seeing the report."""
    conference = _conference(request, pk)
    policy.check(_user(request), "document.generate", conference)
    fmt = request.POST.get("format", "")
    if fmt not in postevent_document.FORMATS:
        messages.error(request, _("Choose PDF or DOCX."))
        return redirect("evaluation:postevent-report", pk=conference.pk)
    doc = postevent_document.generate(_user(request), conference, fmt)
    if not doc.is_done:
        messages.error(request, doc.error or _("The document could not be made."))
        return redirect("evaluation:postevent-report", pk=conference.pk)
    return redirect("documents:download", pk=doc.pk)
