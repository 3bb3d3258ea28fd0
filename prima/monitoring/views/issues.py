"""The issues list, the issue page and the staff actions on issues."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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
    if not policy.offices(request.user, "issue.view").exists():
        raise PermissionDenied
    status = request.GET.get("status", IssueStatus.OPEN)
    issues = policy.scope(request.user, "issue.view", Issue.objects.shown()).select_related(
        "office"
    )
    if status in (IssueStatus.OPEN, IssueStatus.CLOSED):
        issues = issues.filter(status=status)
    number, size = _page_number(request), common.PAGE_SIZE
    rows = list(issues.order_by("-last_seen_at", "-pk")[(number - 1) * size : number * size + 1])
    return render(
        request,
        "monitoring/issue_list.html",
        {
            "issues": rows[:size],
            "status": status,
            "page_number": number,
            "has_next": len(rows) > size,
            "has_previous": number > 1,
        },
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
        candidates = (
            Issue.objects.shown()
            .filter(office=issue.office)
            .exclude(pk=issue.pk)
            .order_by("-last_seen_at")[:30]
        )
        context.update(
            {
                "rename_form": IssueRenameForm(initial={"name": issue.name or issue.label}),
                "merge_form": IssueMergeForm(candidates=candidates),
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
        candidates = Issue.objects.shown().filter(office=issue.office).exclude(pk=issue.pk)
        form = IssueMergeForm(request.POST, candidates=candidates)
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
