"""API: documents — generated documents (list, generate, metadata with the download
link). The same policy and service as the pages: an outsider gets 404, a role without
the right 403, a document that cannot be made as asked 400 with the reason."""

# No "from __future__ import annotations": ninja reads the parameter types at run time.
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prima.organizations import policy
from prima.organizations.apitypes import BoundedPagination, Id, errors
from prima.organizations.http import AuthenticatedHttpRequest

from . import services
from .models import DocumentFormat, DocumentKind, GeneratedDocument, Language

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    office_id: int
    kind: str = Field(..., description="press_release, holding_statement, … crisis_log")
    kind_label: str
    conference_id: int | None
    case_id: int | None
    period_from: date | None
    period_to: date | None
    language: str
    format: str
    number: int = Field(..., description="Version: 1, 2, 3 … for the same document")
    source_versions: dict[str, Any] = Field(
        ..., description="What it was made from (material kind → version number)"
    )
    title: str
    status: str = Field(..., description="pending, running, done or failed")
    progress: int = Field(..., description="0 … 100")
    error: str
    sha256: str
    size: int | None
    created_by: str | None
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None = Field(..., description="Where the file is (when done)")

    @staticmethod
    def resolve_kind_label(obj: GeneratedDocument) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_created_by(obj: GeneratedDocument) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None

    @staticmethod
    def resolve_download_url(obj: GeneratedDocument) -> str | None:
        return reverse("documents:download", args=[obj.pk]) if obj.is_done else None


class GenerateIn(Schema):
    kind: DocumentKind
    format: DocumentFormat = DocumentFormat.PDF
    language: Language = Language.ID
    conference: Id | None = Field(None, description="For the press-kit documents")
    case: Id | None = Field(None, description="For the crisis log")
    office: Id | None = Field(None, description="For the media-analysis report")
    start: date | None = Field(None, description="Media-analysis report: first day")
    end: date | None = Field(None, description="Media-analysis report: last day")


def _documents(request: AuthenticatedHttpRequest) -> Any:
    return policy.scope(
        request.user, "document.view", GeneratedDocument.objects.all()
    ).select_related("created_by")


@router.get(
    "/documents",
    response={**errors(401, 422), 200: list[DocumentOut]},
    summary="Generated documents the user may see, newest first",
)
@paginate(BoundedPagination)
def list_documents(
    request: AuthenticatedHttpRequest,
    office_id: Id | None = None,
    kind: DocumentKind | None = None,
    conference_id: Id | None = None,
    case_id: Id | None = None,
) -> Any:
    qs = _documents(request)
    for field, value in (
        ("office_id", office_id),
        ("kind", kind),
        ("conference_id", conference_id),
        ("case_id", case_id),
    ):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs.order_by("-created_at", "-pk")


@router.post(
    "/documents",
    response={**errors(401, 403, 404, 422), 201: DocumentOut},
    summary="Generate a document (a new version each time; long reports run in the "
    "background: poll the document until its status is done)",
)
def generate_document(request: AuthenticatedHttpRequest, payload: GenerateIn) -> Any:
    data = payload.dict()
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    try:
        doc = services.generate_from(request.user, data)
    except services.GenerationRefused as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _documents(request).get(pk=doc.pk))


@router.get(
    "/documents/{document_id}",
    response={**errors(401, 404, 422), 200: DocumentOut},
    summary="One generated document: status, progress, checksum and download link",
)
def get_document(request: AuthenticatedHttpRequest, document_id: Id) -> Any:
    return policy.get_for(request.user, "document.view", _documents(request), pk=document_id)
