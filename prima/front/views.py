"""The shell: home page and health check."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from prima.front.middleware import database_unavailable, is_database_unavailable
from prima.organizations import attention, health, policy
from prima.organizations.http import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    items = [
        {"item": item, "seconds": item.seconds_left(now)}
        for item in attention.items_for(request.user)
    ]
    return render(
        request,
        "front/home.html",
        {
            "memberships": policy.memberships(request.user),
            "attention_items": items,
            "today": now,
            "now": now,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, database status and the state of each registered component (the NLP
    models…), for load balancers and monitoring (no auth).

    503 when the database fails. A failing component makes the status ``degraded`` with
    200: the pages still work, and every instance shares the same artefacts, so a load
    balancer must not take them all out; monitoring alerts on any status but ``ok``.
    """
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db: dict[str, Any] = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        db = {"status": "error", "vendor": connection.vendor, "error": type(exc).__name__}
        status = 503
    db["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    components = health.report()
    overall = "ok" if status == 200 else "error"
    if overall == "ok" and any(c.get("status") != "ok" for c in components.values()):
        overall = "degraded"
    return JsonResponse(
        {"status": overall, "database": db, "components": components}, status=status
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: an unavailable database is a 503 with a clear message (also when it
    failed outside a view, e.g. while saving the session); anything else Django's 500."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return database_unavailable(request, exception)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: Django turns a session that could not be saved into a 400
    (``SessionInterrupted``); when the database was unavailable it is a 503 with a clear
    message. Anything else: Django's 400 page."""
    cause: BaseException | None = exception
    while cause is not None:
        if is_database_unavailable(cause):
            return database_unavailable(request, cause)
        cause = cause.__cause__ or cause.__context__
    return defaults.bad_request(request, exception)
