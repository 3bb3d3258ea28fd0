"""The hoax register (clarifications), drills and the crisis configuration pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.levels import Level

from .. import clarifications, config, configs, drills, playbook, responders
from ..errors import CrisisError
from ..forms import (
    CHANNEL_LABELS,
    ClarificationForm,
    ConfigForm,
    DrillForm,
    PublishForm,
    ReasonForm,
    factor_label,
)
from ..models import Case, Clarification, ClarificationStatus, CrisisConfig, Drill
from .common import form_errors, get_case, get_clarification, get_drill, nav, run


# --- clarifications ------------------------------------------------------------------------------
@login_required
def clarification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "clarification.view"):
        raise PermissionDenied
    items = (
        policy.scope(request.user, "clarification.view", Clarification.objects.all())
        .select_related("office", "case", "written_by", "published_by")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "crisis/clarification_list.html",
        {"items": items, "channel_labels": CHANNEL_LABELS, **nav(request.user)},
    )


@login_required
def clarification_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "clarification.edit")
    form = ClarificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = clarifications.create(request.user, case, **form.cleaned_data)
        except CrisisError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Clarification saved as a draft."))
            return redirect("crisis:clarification", pk=item.pk)
    return render(
        request,
        "crisis/clarification_form.html",
        {"form": form, "case": case, "item": None, **nav(request.user)},
    )


@login_required
def clarification_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_clarification(request.user, pk)
    office = item.office
    can_edit = policy.can(request.user, "clarification.edit", office)
    can_publish = policy.can(request.user, "clarification.publish", office)
    editable = item.status in (ClarificationStatus.DRAFT, ClarificationStatus.SUBMITTED)
    form = None
    if can_edit and editable:
        form = ClarificationForm(
            request.POST or None,
            initial={n: getattr(item, n) for n in ClarificationForm.base_fields},
        )
        if request.method == "POST" and form.is_valid():
            try:
                clarifications.edit(
                    request.user,
                    item,
                    expected_version=int(request.POST.get("version", "0") or 0),
                    **form.cleaned_data,
                )
            except CrisisError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Clarification saved as a draft."))
            return redirect("crisis:clarification", pk=item.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context: dict[str, Any] = {
        "item": item,
        "case": item.case,
        "form": form,
        "can_publish": can_publish and item.written_by_id != request.user.pk,
        "is_author": item.written_by_id == request.user.pk,
        "can_edit": can_edit,
        "publish_form": PublishForm(tz_name=office.timezone),
        "reason_form": ReasonForm(),
        "channel_labels": CHANNEL_LABELS,
        **nav(request.user),
    }
    return render(request, "crisis/clarification_form.html", context)


@login_required
@require_POST
def clarification_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "submit":
        item = get_clarification(request.user, pk, "clarification.edit")
        return run(
            request,
            lambda: clarifications.submit(request.user, item),
            success=_("Submitted for approval."),
            back=item_url(item),
        )
    if action not in ("publish", "withdraw"):
        raise Http404
    item = get_clarification(request.user, pk, "clarification.publish")
    if action == "publish":
        form = PublishForm(request.POST, tz_name=item.office.timezone)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(item_url(item))
        return run(
            request,
            lambda: clarifications.publish(
                request.user,
                item,
                channels=form.channels(),
                published_at=form.cleaned_data["published_at"],
            ),
            success=_("The clarification is published."),
            back=item_url(item),
        )
    reason = ReasonForm(request.POST)
    if not reason.is_valid():
        form_errors(request, reason)
        return redirect(item_url(item))
    return run(
        request,
        lambda: clarifications.withdraw(request.user, item, reason=reason.cleaned_data["reason"]),
        success=_("The clarification is withdrawn."),
        back=item_url(item),
    )


def item_url(item: Clarification) -> str:
    return reverse("crisis:clarification", kwargs={"pk": item.pk})


# --- drills ------------------------------------------------------------------------------------
@login_required
def drill_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = policy.offices(request.user, "crisis.drill")
    if not offices.exists():
        raise PermissionDenied
    recordable = (
        Case.objects.performance()
        .filter(office__in=offices, signals__isnull=False)
        .distinct()
        .order_by("-opened_at")[:30]
    )
    form = DrillForm(
        request.POST or None,
        offices=offices,
        cases=Case.objects.filter(pk__in=[c.pk for c in recordable]).order_by("-opened_at"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["source"] == "recorded":
                scenario = drills.record_from_case(data["case"])
            else:
                scenario = drills.generate_storm(
                    baseline_per_hour=data["baseline_per_hour"],
                    peak_per_bucket=data["peak_per_bucket"],
                    burst_hours=data["burst_hours"],
                    negative_share=data["negative_percent"] / 100,
                    seed=int(timezone.now().timestamp()) % 100_000,
                )
            drill = drills.create(
                request.user, data["office"], name=data["name"], scenario=scenario,
                description=data["description"],
            )  # fmt: skip
        except CrisisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The drill is ready to start."))
            return redirect("crisis:drill", pk=drill.pk)
    items = Drill.objects.filter(office__in=offices).select_related("office", "started_by")[:50]
    return render(
        request, "crisis/drill_list.html", {"form": form, "items": items, **nav(request.user)}
    )


@login_required
def drill_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    drill = get_drill(request.user, pk)
    span = drills.timeline(drill)
    return render(
        request,
        "crisis/drill.html",
        {
            "drill": drill,
            "span": span,
            "duration": drills.duration(drill),
            "cases": list(drill.cases.all()),
            "buckets": len(drill.buckets),
            "peak": max((b.get("total", 0) for b in drill.buckets), default=0),
            **nav(request.user),
        },
    )


@login_required
@require_POST
def drill_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    drill = get_drill(request.user, pk)
    if action == "start":
        change, success = (
            (lambda: drills.start(request.user, drill)),
            _("The drill has started: the storm plays one bucket every 5 minutes."),
        )
    elif action == "stop":
        change, success = (lambda: drills.stop(request.user, drill)), _("The drill is stopped.")
    else:
        raise Http404
    return run(request, change, success=success, back=reverse("crisis:drill", kwargs={"pk": pk}))


# --- configuration ----------------------------------------------------------------------------
def _config_context(row: CrisisConfig) -> dict[str, Any]:
    cfg = row.parsed
    return {
        "row": row,
        "cfg": cfg,
        "factors": [
            {
                "code": f,
                "label": factor_label(f),
                "weight": cfg.weights[f],
                "assume": cfg.assume[f],
                "group": "context" if f in config.CONTEXT_FACTORS else "interest",
            }
            for f in config.FACTORS
        ],  # fmt: skip
        "levels": [
            {
                "level": level,
                "label": Level(level).label,
                "playbook": cfg.playbook(level),
                "threshold": cfg.thresholds.get(level),
                "tiers": [[responders.label(c) for c in t] for t in cfg.playbook(level).tiers],
                "actions": [playbook.action_label(a) for a in cfg.playbook(level).actions],
            }
            for level in (1, 2, 3, 4)
        ],
        "strategies": [
            {
                "cluster": playbook.CLUSTER_LABELS[c],
                "strategy": playbook.STRATEGY_LABELS[s.strategy],
                "guidance": s.guidance_id,
            }
            for c, s in cfg.strategies.items()
        ],  # fmt: skip
        "cluster_labels": playbook.CLUSTER_LABELS,
    }


@login_required
def config_page(request: AuthenticatedHttpRequest, version: int | None = None) -> HttpResponse:
    if not configs.may_view(request.user):
        raise PermissionDenied
    current = configs.current()
    row = current if version is None else get_object_or_404(CrisisConfig, version=version)
    context = _config_context(row)
    context.update(
        {
            "current": current,
            "versions": CrisisConfig.objects.select_related("created_by")[:50],
            "can_manage": configs.may_manage(request.user),
            **nav(request.user),
        }
    )
    return render(request, "crisis/config.html", context)


@login_required
def config_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not configs.may_manage(request.user):
        if configs.may_view(request.user):
            raise PermissionDenied
        raise Http404
    current = configs.current()
    form = ConfigForm(request.POST or None, cfg=current.parsed)
    if request.method == "POST" and form.is_valid():
        try:
            saved = configs.save(request.user, form.to_data(), form.cleaned_data["note"])
        except CrisisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Saved as version %(n)d: new assessments use it.") % {"n": saved.version}
            )
            return redirect("crisis:config")
    return render(
        request,
        "crisis/config_edit.html",
        {
            "form": form,
            "current": current,
            "cluster_labels": playbook.CLUSTER_LABELS,
            **nav(request.user),
        },  # fmt: skip
    )
