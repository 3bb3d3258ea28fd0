"""API: the automatic verification — the stored findings of a material version, and a
check of any text against an office's catalogue and verified facts (what ``prima
check-draft`` does). Same policy as the pages: outsiders get 404."""

# No "from __future__ import annotations": ninja reads the types at run time.
from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from prima.conferences.models import MaterialVersion
from prima.organizations import policy
from prima.organizations.apitypes import Id, errors
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office

from . import services
from .types import DraftKind

router = Router(tags=["documents"])


class FindingOut(Schema):
    severity: str
    kind: str
    part: str
    start: int
    end: int
    text: str
    expected: str
    fact: str
    fact_url: str
    source: str
    message: str


class VerificationOut(Schema):
    version_id: int
    material: str
    version: int
    checked_at: datetime
    errors: int
    warnings: int
    notes: int
    findings: list[FindingOut]


class CheckIn(Schema):
    office_id: Id
    text: str = Field(..., max_length=200_000)
    kind: DraftKind = DraftKind.STATEMENT
    release: bool | None = Field(
        None,
        description="true: always check the parts of a press release; null: when it looks like one",
    )
    day: date | None = Field(None, description="check against the catalogue in force on this day")


@router.get(
    "/documents/verification/material-versions/{version_id}",
    response={200: VerificationOut, **errors(401, 403, 404, 422)},
    summary="The automatic verification of a material version (checked again if the facts changed)",
)
def verification_of_version(request: AuthenticatedHttpRequest, version_id: Id) -> dict[str, Any]:
    version = get_object_or_404(
        MaterialVersion.objects.select_related("material__conference__office"), pk=version_id
    )
    policy.check(request.user, "material.view", version.material.conference)
    run = services.verify_version(version)
    return {
        "version_id": version.pk,
        "material": version.material.kind,
        "version": version.number,
        "checked_at": run.checked_at,
        "errors": run.errors,
        "warnings": run.warnings,
        "notes": run.notes,
        "findings": run.findings,
    }


@router.post(
    "/documents/verification/check",
    response={200: list[FindingOut], **errors(401, 403, 404, 422)},
    summary="Check a text against an office's published catalogue and the verified facts of "
    "its conferences (nothing is stored)",
)
def check_text(request: AuthenticatedHttpRequest, payload: CheckIn) -> list[dict[str, Any]]:
    office = Office.objects.filter(pk=payload.office_id).first()
    if office is None:
        raise Http404
    policy.check(request.user, "material.view", office)
    findings = services.check_text(
        office, payload.text, kind=payload.kind, release=payload.release, day=payload.day
    )
    return [f.as_dict() for f in findings]
