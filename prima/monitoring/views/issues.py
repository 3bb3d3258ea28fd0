"""The issues list, the issue page and the staff actions on issues."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import (
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import User

from .. import charts
from .. import issues as issue_services
from ..forms import (
    IssueMergeForm,
    IssueRenameForm,
    IssueSplitForm,
)
from ..models import (
    Issue,
    IssueStatus,
)
from . import common
from .common import _page_number


@login_required
def issue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "issue.view"):
        raise PermissionDenied
    status = request.GET.get("status", IssueStatus.OPEN)
    query = request.GET.get("q", "").strip()[:200]
    small = request.GET.get("small") == "1"
    base = Issue.objects.exclude(status=IssueStatus.MERGED) if small else Issue.objects.shown()
    issues = policy.scope(request.user, "issue.view", base).select_related("office")
    if status in (IssueStatus.OPEN, IssueStatus.CLOSED):
        issues = issues.filter(status=status)
    issues = issue_services.search_issues(issues, query)  # type: ignore[assignment]
    number, size = _page_number(request), common.PAGE_SIZE
    rows = list(issues.order_by("-last_seen_at", "-pk")[(number - 1) * size : number * size + 1])
    return render(
        request,
        "monitoring/issue_list.html",
        {
            "issues": rows[:size],
            "total": issues.count(),
            "status": status,
            "query": query,
            "small": small,
            "min_size": settings.MONITORING_ISSUE_MIN_SIZE,
            "page_number": number,
            "has_next": len(rows) > size,
            "has_previous": number > 1,
        },
    )


# Issues offered in the merge picker at once (most alike first); a search reaches the rest.
MERGE_CHOICES = 30


def _in_order(issues: list[Issue]) -> QuerySet[Issue]:
    """A queryset of ``issues`` that keeps their order (forms want a queryset)."""
    order = Case(*[When(pk=i.pk, then=Value(n)) for n, i in enumerate(issues)],
                 output_field=IntegerField())  # fmt: skip
    pks = [i.pk for i in issues]
    return Issue.objects.filter(pk__in=pks).order_by(order) if pks else Issue.objects.none()


def _merge_candidates(issue: Issue) -> QuerySet[Issue]:
    """Every issue of the office that may be merged into ``issue`` (any size)."""
    return (
        Issue.objects.filter(office=issue.office)
        .exclude(status=IssueStatus.MERGED)
        .exclude(pk=issue.pk)
    )


def _issue(user: User, pk: int, action: str = "issue.view") -> Issue:
    return policy.get_for(
        user, action, Issue.objects.select_related("office", "merged_into"), pk=pk
    )


@login_required
def issue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request.user, pk)
    tz = issue.office.timezone
    span = issue.last_seen_at - issue.first_seen_at
    bucket = "hour" if span <= timedelta(days=3) else "day"
    series = issue_services.volume_series(issue, bucket=bucket, tz=tz)
    mentions = list(
        issue.mentions.select_related("source", "issue").order_by("-published_at", "-pk")[:100]
    )
    can_manage = policy.can(request.user, "issue.manage", issue.office)
    context: dict[str, Any] = {
        "issue": issue,
        "tz": tz,
        "mentions": mentions,
        "can_manage": can_manage,
        "chart": charts.volume_chart(
            charts.sentiment_rows(series),
            unit=cast(charts.Unit, bucket),
            tz_name=tz,
            mark="area" if len(series) > 48 else "bar",
            title=_("Volume of this issue"),
        ),
    }
    if can_manage and issue.status != IssueStatus.MERGED:
        merge_query = request.GET.get("merge_q", "").strip()[:200]
        pool = issue_services.search_issues(_merge_candidates(issue), merge_query)
        found = pool.count()
        candidates = issue_services.similar_first(
            issue, pool.only("pk", "label", "name", "centroid", "last_seen_at", "mention_count")
            .order_by("-last_seen_at")[:500], MERGE_CHOICES,
        )  # fmt: skip
        context.update(
            {
                "merge_query": merge_query,
                "merge_found": found,
                "merge_shown": len(candidates),
                "rename_form": IssueRenameForm(initial={"name": issue.name or issue.label}),
                "merge_form": IssueMergeForm(candidates=_in_order(candidates)),
                "split_form": IssueSplitForm(mention_choices=[(m.pk, str(m)) for m in mentions]),
            }
        )
    return render(request, "monitoring/issue_detail.html", context)


def _issue_action(request: AuthenticatedHttpRequest, pk: int, run) -> HttpResponse:
    issue = _issue(request.user, pk, "issue.manage")
    try:
        result = run(issue)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("monitoring:issue-detail", pk=issue.pk)
    return redirect("monitoring:issue-detail", pk=(result or issue).pk)


@login_required
@require_POST
def issue_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(issue: Issue) -> Issue:
        form = IssueRenameForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Give the issue a name."))
        issue_services.rename_issue(request.user, issue, form.cleaned_data["name"])
        messages.success(request, _("Issue renamed."))
        return issue

    return _issue_action(request, pk, run)


@login_required
@require_POST
def issue_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(issue: Issue) -> Issue:
        form = IssueMergeForm(request.POST, candidates=_merge_candidates(issue))
        if not form.is_valid():
            raise ValidationError(_("Choose at least one other issue to merge."))
        issue_services.merge_issues(request.user, issue, list(form.cleaned_data["others"]))
        messages.success(request, _("Issues merged."))
        return issue

    return _issue_action(request, pk, run)


@login_required
@require_POST
def issue_split(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(issue: Issue) -> Issue:
        ids = list(issue.mentions.values_list("pk", flat=True)[:5000])
        form = IssueSplitForm(request.POST, mention_choices=[(i, i) for i in ids])
        if not form.is_valid():
            raise ValidationError(_("Choose mentions of this issue to split off."))
        new = issue_services.split_issue(
            request.user, issue, form.cleaned_data["mentions"], form.cleaned_data["name"]
        )
        messages.success(request, _("Mentions moved to a new issue."))
        return new

    return _issue_action(request, pk, run)


@login_required
@require_POST
def issue_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(issue: Issue) -> Issue:
        if request.POST.get("reopen"):
            issue_services.reopen_issue(request.user, issue)
            messages.success(request, _("Issue reopened."))
        else:
            issue_services.close_issue(request.user, issue)
            messages.success(request, _("Issue closed."))
        return issue

    return _issue_action(request, pk, run)
