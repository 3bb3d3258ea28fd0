"""API: the automatic verification — the stored findings of a material version, and a
check of any text against an office's catalogue and verified facts (what ``prima
check-draft`` does). Same policy as the pages: outsiders get 404."""

# No "from __future__ import annotations": ninja reads the types at run time.
from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from prima.conferences.models import MaterialVersion
from prima.organizations import policy
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
    office_id: int
    text: str = Field(..., max_length=200_000)
    kind: DraftKind = DraftKind.STATEMENT
    release: bool | None = Field(
        None,
        description="true: always check the parts of a press release; null: when it looks like one",
    )
    day: date | None = Field(None, description="check against the catalogue in force on this day")


@router.get(
    "/documents/verification/material-versions/{version_id}",
    response=VerificationOut,
    summary="The automatic verification of a material version (checked again if the facts changed)",
)
def verification_of_version(request: HttpRequest, version_id: int):
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
    response=list[FindingOut],
    summary="Check a text against an office's published catalogue and the verified facts of "
    "its conferences (nothing is stored)",
)
def check_text(request: HttpRequest, payload: CheckIn):
    office = Office.objects.filter(pk=payload.office_id).first()
    if office is None:
        raise Http404
    policy.check(request.user, "material.view", office)
    findings = services.check_text(
        office, payload.text, kind=payload.kind, release=payload.release, day=payload.day
    )
    return [f.as_dict() for f in findings]
