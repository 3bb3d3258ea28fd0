"""API: who am I, offices, audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from . import policy
from .apitypes import BoundedPagination, errors
from .http import AuthenticatedHttpRequest
from .models import AuditEntry, Office
from .views import _audit_scope

router = Router(tags=["organizations"])


class MembershipOut(Schema):
    office_id: int
    office: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    title: str
    office_id: int | None
    memberships: list[MembershipOut]


class OfficeOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    level: str
    parent_id: int | None
    timezone: str
    city: str


class AuditEntryOut(Schema):
    seq: int
    at: datetime
    actor_label: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    object_label: str
    office_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


@router.get(
    "/me", response={200: MeOut, **errors(401)}, summary="The authenticated user and their roles"
)
def me(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "title": user.title,
        "office_id": user.office_id,
        "memberships": [
            {"office_id": m.office_id, "office": m.office.short_name, "role": m.role}
            for m in policy.memberships(user)
        ],
    }


@router.get(
    "/offices", response={200: list[OfficeOut], **errors(401)}, summary="Offices the user may see"
)
def list_offices(request: AuthenticatedHttpRequest) -> list[Office]:
    return list(policy.offices(request.user, "office.view"))


@router.get(
    "/offices/{office_id}", response={200: OfficeOut, **errors(401, 404, 422)}, summary="One office"
)
def get_office(request: AuthenticatedHttpRequest, office_id: int) -> Office:
    return policy.get_for(request.user, "office.view", Office, pk=office_id)


@router.get(
    "/audit",
    response={200: list[AuditEntryOut], **errors(401, 403, 422)},
    summary="Audit trail entries, newest first",
)
@paginate(BoundedPagination)
def list_audit(
    request: AuthenticatedHttpRequest, object_type: str | None = None, object_id: str | None = None
) -> QuerySet[AuditEntry]:
    if not policy.can_anywhere(request.user, "audit.view"):
        raise PermissionDenied  # 403, as on the audit trail page
    entries = _audit_scope(request.user, "audit.view")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries
