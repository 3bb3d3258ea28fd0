"""The case page (chart, assessment with its explanation, playbook checklist, escalation,
timeline, actions), its CSV log and the form to open a case by hand."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.lib import dates, shortcache
from prima.monitoring.models import Issue, WatchList
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.levels import Level

from .. import (
    casedata,
    cases,
    charts,
    configs,
    escalation,
    metrics,
    playbook,
    responders,
    timeline,
)
from ..errors import CrisisError
from ..forms import (
    AssessmentForm,
    CaseCreateForm,
    CloseForm,
    MergeForm,
    NoteForm,
    OverrideForm,
    StatementForm,
    factor_label,
)
from ..models import Case, CaseStatus, Escalation, Signal
from .common import get_case, nav

CHART_HISTORY = timedelta(hours=12)


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _explanation(item: Any) -> list[dict[str, Any]]:
    if item is None:
        return []
    cfg = item.config.parsed
    rows = []
    for row in item.explanation:
        factor = row["factor"]
        detail = row.get("detail") or ""
        if factor == "category" and row.get("value") is not None:
            category = cfg.category(detail)
            detail = category.label(_lang()) if category else detail
        rows.append({**row, "label": factor_label(factor), "detail": detail})
    return rows


# The kept charts (CRISIS_CASE_CHART_CACHE_SECONDS): dropped by every audited change of a
# mention, an issue or anything of the crisis app (CrisisConfig.ready).
CHART_CACHE = "crisis.case-chart"


def _chart(case: Case, signals: list[Signal], now: Any) -> tuple[dict[str, Any], list[Any]]:
    """The volume chart's spec, and its figures for the table under it (non-empty
    buckets, newest first). Kept a few seconds: everyone who watches a storm's case page
    gets the same chart. The key names all the chart is made of besides the mentions: the
    case, its scope (issues, watch-lists), its burst, its signals, language and zone."""
    parts = (
        case.pk,
        case.office_id,
        case.drill_id,
        case.opened_at,
        case.burst_started_at,
        tuple(sorted(i.pk for i in case.issues.all())),
        tuple(sorted(w.pk for w in case.watchlists.all())),
        tuple((s.pk, s.bucket_start, str(s.series.label)) for s in signals),
        _lang(),
        case.office.timezone,
    )
    return shortcache.remember(
        CHART_CACHE,
        parts,
        lambda: _build_chart(case, signals, now),
        seconds=settings.CRISIS_CASE_CHART_CACHE_SECONDS,
    )


def _build_chart(case: Case, signals: list[Signal], now: Any) -> tuple[dict[str, Any], list[Any]]:
    """The volume chart's spec, and its figures for the table under it (non-empty
    buckets, newest first)."""
    start = case.burst_started_at or case.opened_at
    since = start - CHART_HISTORY
    until = casedata.played_until(now) if case.drill_id else now
    until = max(until, since + timedelta(hours=1))
    rows = casedata.case_buckets(case, since, until)
    marks = [
        (s.bucket_start, _("Signal: %(series)s") % {"series": s.series.label}) for s in signals
    ]
    spec = charts.volume_chart(
        rows,
        since=since,
        until=until,
        signals=marks,
        burst_start=case.burst_started_at,
        tz=case.office.timezone,
        lang=_lang(),
    )
    figures = charts.rebucket(rows, charts.span_for(until - since))
    return spec, list(reversed(figures))[:48]


@login_required
def case_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk)
    # Read once: the page, the chart's scope and the choices below all use them.
    prefetch_related_objects([case], "issues", "watchlists")
    user = request.user
    now = timezone.now()
    office = case.office
    cfg_row = configs.current()
    cfg = cfg_row.parsed
    # Newest first (the model's order): the latest assessment heads the history.
    history = list(case.assessments.select_related("assessed_by", "config")[:6])
    latest = history[0] if history else None
    signals = list(
        Signal.objects.filter(case=case).select_related("series__issue", "series__watchlist")
    )
    escalations = list(
        Escalation.objects.filter(case=case)
        .select_related("acknowledged_by", "config")
        .order_by("-round", "tier")
    )
    pending = [e for e in escalations if e.is_pending and e.round == case.escalation_round]
    level_playbook = cfg.playbook(case.level)
    chart, chart_rows = _chart(case, signals, now)
    can = {
        name: policy.can(user, action, office)
        for name, action in (
            ("manage", "crisis.manage"),
            ("assess", "crisis.assess"),
            ("override", "crisis.override"),
            ("statement", "crisis.statement"),
            ("conference", "crisis.open_conference"),
            ("clarify", "clarification.edit"),
            ("export", "crisis.export"),
        )
    }
    is_open = case.status == CaseStatus.OPEN
    category = cfg.category(case.category)
    context: dict[str, Any] = {
        "case": case,
        "now": now,
        "tz": office.timezone,
        "level": Level(case.level),
        "latest": latest,
        "explanation": _explanation(latest),
        "missing": [factor_label(f) for f in (latest.missing if latest else [])],
        "history": history,
        "signals": signals,
        "escalations": escalations,
        "pending": pending,
        "may_acknowledge": is_open and escalation.may_acknowledge(user, case, pending),
        "waiting_for": ", ".join(
            dict.fromkeys(responders.label(c) for e in pending for c in e.responders)
        ),
        "playbook": level_playbook,
        "tiers": [[responders.label(c) for c in tier] for tier in level_playbook.tiers],
        "actions": [
            {"action": a, "label": playbook.action_label(a.code)}
            for a in case.actions.select_related("done_by")
        ],
        "suggestion": playbook.suggestion(case, cfg, _lang()),
        "strategy_labels": playbook.STRATEGY_LABELS,
        "cluster_labels": playbook.CLUSTER_LABELS,
        "category": category,
        "is_misinformation": bool(category and category.misinformation),
        "timings": metrics.timings(case, signals[0] if signals else None, cfg, signal_known=True),
        "chart": chart,
        "chart_rows": chart_rows,
        "issues": list(case.issues.all()),
        "watchlists": list(case.watchlists.all()),
        "conferences": list(case.conference_links.select_related("conference")),
        "clarifications": list(case.clarifications.select_related("written_by", "published_by")),
        "lines": timeline.lines(case, _lang()),
        "merged_cases": list(case.merged_cases.all()),
        "can": can,
        "is_open": is_open,
        "config_version": cfg_row.version,
        **nav(user),
    }
    if is_open and can["manage"]:
        context["note_form"] = NoteForm()
        context["close_form"] = CloseForm()
        candidates = (
            Case.objects.filter(office=office, status=CaseStatus.OPEN, is_exercise=case.is_exercise)
            .exclude(pk=case.pk)
            .order_by("-opened_at")[:20]
        )
        context["merge_form"] = MergeForm(
            candidates=Case.objects.filter(pk__in=[c.pk for c in candidates])
        )
        context["issue_choices"] = (
            Issue.objects.shown()
            .filter(office=office, status="open")
            .exclude(pk__in=[i.pk for i in context["issues"]])
            .order_by("-last_seen_at")[:30]
        )
        context["watchlist_choices"] = WatchList.objects.filter(
            office=office, is_active=True
        ).exclude(pk__in=[w.pk for w in context["watchlists"]])
    elif can["manage"]:
        context["note_form"] = NoteForm()
    if is_open and can["assess"]:
        context["assess_form"] = AssessmentForm(
            initial=AssessmentForm.initial_from(latest), cfg=cfg, lang=_lang()
        )
    if is_open and can["override"]:
        context["override_form"] = OverrideForm(initial={"level": case.level})
    if can["statement"]:
        context["statement_form"] = StatementForm(tz_name=office.timezone)
    return render(request, "crisis/case.html", context)


@login_required
def case_log_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.export")
    out = io.StringIO()
    timeline.write_csv(case, timeline.lines(case, _lang()), out, _lang())
    stamp = dates.to_local(timezone.now(), case.office.timezone).strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="crisis-case-{case.pk}-{stamp}.csv"'
    return response


@login_required
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = policy.offices(request.user, "crisis.manage")
    if not offices.exists():
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = cases.open_case(
                request.user,
                data["office"],
                title=data["title"],
                issue_ids=[i.pk for i in data["issues"]],
                watchlist_ids=[w.pk for w in data["watchlists"]],
                note=data["note"],
            )
        except CrisisError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The case is open and its responders are called."))
            return redirect(case)
    return render(request, "crisis/case_create.html", {"form": form, **nav(request.user)})
