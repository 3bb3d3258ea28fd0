"""The crisis board: open cases by level, the oldest unacknowledged first; recently closed
cases; the office's response figures (real cases only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from prima.lib import shortcache
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.levels import Level

from .. import metrics
from ..models import Case, CaseStatus, Escalation
from .common import nav

PERFORMANCE_DAYS = 90
# The kept response figures (CRISIS_BOARD_FIGURES_CACHE_SECONDS; CrisisConfig.ready).
FIGURES_CACHE = "crisis.board-figures"


def board_rows(cases: list[Case], now: Any) -> list[dict[str, Any]]:
    rows = []
    for case in cases:
        pending: list[Escalation] = getattr(case, "pending_escalations", [])
        waiting = [e for e in pending if e.round == case.escalation_round]
        due = min((e.due_at for e in waiting), default=None)
        rows.append(
            {
                "case": case,
                "waiting": bool(waiting),
                "due": due,
                "overdue": due is not None and due < now,
                "age": now - case.opened_at,
            }
        )
    return rows


@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_anywhere(user, "crisis.view"):
        raise PermissionDenied
    now = timezone.now()
    show_exercises = request.GET.get("exercises") == "1"
    visible = policy.scope(user, "crisis.view", Case.objects.all())
    pending = Prefetch(
        "escalations",
        queryset=Escalation.objects.filter(
            acknowledged_at__isnull=True, superseded_at__isnull=True
        ).order_by("tier"),
        to_attr="pending_escalations",
    )
    open_cases = (
        visible.filter(status=CaseStatus.OPEN)
        .select_related("office", "acknowledged_by")
        .annotate(n_signals=Count("signals", distinct=True))
        .prefetch_related(pending)
    )
    if not show_exercises:
        open_cases = open_cases.filter(is_exercise=False)
    rows = board_rows(list(open_cases), now)
    # By level (Kritis first); within a level the oldest unacknowledged case first.
    rows.sort(key=lambda r: (-r["case"].level, not r["waiting"], r["case"].opened_at))
    levels = [
        {"level": level, "rows": [r for r in rows if r["case"].level == level]}
        for level in sorted(Level, reverse=True)
    ]
    closed = list(
        visible.exclude(status=CaseStatus.OPEN)
        .filter(is_exercise=show_exercises)
        .select_related("office")
        .order_by("-closed_at", "-pk")[:15]
    )
    since = now - timedelta(days=PERFORMANCE_DAYS)
    # The same for everyone with this scope: kept a few seconds (the key is the exact
    # filter the policy applies), dropped by every audited change in the crisis app.
    figures = shortcache.remember(
        FIGURES_CACHE,
        (repr(policy.office_q(user, "crisis.view")),),
        lambda: tuple(metrics.performance(visible.filter(opened_at__gte=since), now)),
        seconds=settings.CRISIS_BOARD_FIGURES_CACHE_SECONDS,
    )
    context = {
        "levels": levels,
        "open_count": len(rows),
        "closed": closed,
        "figures": figures,
        "performance_days": PERFORMANCE_DAYS,
        "show_exercises": show_exercises,
        "can_open": policy.can_anywhere(user, "crisis.manage"),
        "now": now,
        **nav(user),
    }
    return render(request, "crisis/board.html", context)
