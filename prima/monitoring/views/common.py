"""Helpers shared by the monitoring pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
)

from prima.lib.params import page_number
from prima.organizations import policy
from prima.organizations.models import Office, User

PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _home_tz(user: User) -> str:
    office = getattr(user, "office", None)
    return office.timezone if office is not None and office.timezone else settings.TIME_ZONE


def _visible_offices(user: User, action: str) -> list[Office]:
    """Offices where ``user`` may perform ``action``, top of the tree first; 403 if none."""
    found = policy.office_list(user, action)
    if not found:
        raise PermissionDenied
    return found


def _page_number(request: HttpRequest) -> int:
    return page_number(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
