"""Helpers shared by the crisis pages: object access (404 for outsiders), and turning
service errors into messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect

from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import User

from ..errors import CrisisError
from ..models import Case, Clarification, Drill


def get_case(user: User, pk: int, action: str = "crisis.view") -> Case:
    return policy.get_for(
        user, action, Case.objects.select_related("office", "merged_into", "drill"), pk=pk
    )


def get_clarification(user: User, pk: int, action: str = "clarification.view") -> Clarification:
    return policy.get_for(
        user, action, Clarification.objects.select_related("case", "office"), pk=pk
    )


def get_drill(user: User, pk: int, action: str = "crisis.drill") -> Drill:
    return policy.get_for(user, action, Drill.objects.select_related("office"), pk=pk)


def run(
    request: AuthenticatedHttpRequest,
    change: Callable[[], Any],
    *,
    success: str = "",
    back: str,
) -> HttpResponse:
    """Run a service call; show its error as a message (nothing changed) or ``success``,
    then go ``back``. PermissionDenied and Http404 pass through (403/404)."""
    try:
        change()
    except CrisisError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        if exc.args:
            messages.error(request, str(exc.args[0]))
            return redirect(back)
        raise
    else:
        if success:
            messages.success(request, success)
    return redirect(back)


def form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def nav(user: User) -> dict[str, bool]:
    """What the crisis sub-navigation shows to ``user``."""
    from .. import configs

    return {
        "can_drill": policy.can_anywhere(user, "crisis.drill"),
        "can_config": configs.may_view(user),
    }
