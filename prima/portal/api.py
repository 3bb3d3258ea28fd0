"""Open data API: read-only JSON under /api/v1/public/, no log-in.

Offices, the services each publishes with every published version (fees, completion
time, legal basis, the period each applied), published releases and hoax clarifications —
the same data as the public pages, from the same query sets. Every answer carries an ETag
(``If-None-Match`` gets 304), ``Cache-Control: public``, ``Access-Control-Allow-Origin: *``
(reading from any web page; simple GET requests need no preflight), and is rate-limited
per client address (``PORTAL_API_REQUESTS_PER_MINUTE``; 429 with ``Retry-After``).
"""

# No "from __future__ import annotations": django-ninja reads the annotations at run time.

import datetime
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from ninja import Router, Schema
from ninja.decorators import decorate_view
from pydantic import Field as PydanticField

from prima.catalogue import services as catalogue
from prima.catalogue.models import Service, ServiceVersion
from prima.crisis.models import Clarification
from prima.documents.models import GeneratedDocument
from prima.organizations.apitypes import ERROR_SCHEMAS
from prima.organizations.middleware import client_ip
from prima.organizations.models import Office

from . import downloads, services
from .models import Publication

router = Router(tags=["open data"])


class Error(Schema):
    detail: str


class PublicOfficeOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent: str | None
    city: str
    timezone: str
    url: str
    services_url: str
    releases_url: str
    clarifications_url: str


class FeeOut(Schema):
    code: str
    label: str
    label_en: str
    amount: Decimal
    currency: str
    unit: str
    legal_basis: str
    is_surcharge: bool
    text: str


class DurationOut(Schema):
    value: int
    unit: str
    note: str
    text: str


class VersionOut(Schema):
    number: int
    effective_from: datetime.date
    effective_until: datetime.date | None
    in_force: bool
    name: str
    name_en: str
    summary: str
    requirements: list[str]
    procedure: list[str]
    product: str
    complaint_channels: list[str]
    rights: list[str]
    obligations: list[str]
    legal_basis: str
    duration: DurationOut
    fees: list[FeeOut]
    change_note: str
    is_example: bool
    published_at: datetime.datetime | None


class ServiceOut(Schema):
    code: str
    category: str
    name: str
    url: str
    poster_url: str
    current: VersionOut | None
    versions: list[VersionOut]


class ReleaseFileOut(Schema):
    format: str
    language: str
    url: str
    sha256: str
    size: int | None


class ReleaseOut(Schema):
    id: int
    kind: str
    title: str
    lead: str
    text: str
    published_at: datetime.datetime | None
    url: str
    files: list[ReleaseFileOut]


class ChannelOut(Schema):
    channel: str
    url: str


class ClarificationOut(Schema):
    id: int
    title: str
    claim: str
    facts: str
    title_en: str
    claim_en: str
    facts_en: str
    verdict: str
    verdict_label: str
    published_at: datetime.datetime | None
    channels: list[ChannelOut]
    url: str


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def open_data(view: Callable[..., Any]) -> Callable[..., Any]:
    """Rate limit per client, then ETag/304, caching and CORS headers on the answer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.PORTAL_API_REQUESTS_PER_MINUTE
        now = int(timezone.now().timestamp())
        key = f"prima:portal-api:{client_ip(request)}:{now // 60}"
        if cache.add(key, 1, timeout=90):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=90)
                count = 1
        if limit and count > limit:
            response: HttpResponse = JsonResponse(
                {"detail": "Too many requests: try again in a minute."}, status=429
            )
            response["Retry-After"] = str(60 - now % 60)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                if settings.SESSION_COOKIE_NAME in request.COOKIES:
                    # A staff session: for their browser only (see portal.public).
                    patch_cache_control(response, private=True, no_store=True)
                else:
                    patch_cache_control(
                        response, public=True, max_age=settings.PORTAL_CACHE_SECONDS
                    )
                set_response_etag(response)
                conditional = get_conditional_response(
                    request, etag=response.get("ETag"), response=response
                )
                if conditional is not None:
                    response = conditional
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return response

    return wrapper


def _office_out(office: Office, parents: dict[int, str]) -> dict[str, Any]:
    return {
        "code": office.code,
        "name": office.name,
        "short_name": office.short_name,
        "level": office.level,
        "parent": parents.get(office.parent_id) if office.parent_id else None,
        "city": office.city,
        "timezone": office.timezone,
        "url": _absolute(reverse("portal:office", kwargs={"office": office.code})),
        "services_url": _absolute(reverse("api:public_services", kwargs={"office": office.code})),
        "releases_url": _absolute(reverse("api:public_releases", kwargs={"office": office.code})),
        "clarifications_url": _absolute(
            reverse("api:public_clarifications", kwargs={"office": office.code})
        ),
    }


def _version_out(entry: catalogue.HistoryEntry) -> dict[str, Any]:
    version: ServiceVersion = entry.version
    return {
        "number": version.number,
        "effective_from": version.effective_from,
        "effective_until": entry.effective_until,
        "in_force": entry.is_current,
        "name": version.name,
        "name_en": version.name_en,
        "summary": version.summary,
        "requirements": version.requirements,
        "procedure": version.procedure,
        "product": version.product,
        "complaint_channels": version.complaint_channels,
        "rights": version.rights,
        "obligations": version.obligations,
        "legal_basis": version.legal_basis,
        "duration": {
            "value": version.duration_value,
            "unit": version.duration_unit,
            "note": version.duration_note,
            "text": catalogue.DurationFact(
                version.duration_value, version.duration_unit, version.duration_note
            ).text("id"),
        },
        "fees": [
            {
                "code": fee.code,
                "label": fee.label,
                "label_en": fee.label_en,
                "amount": fee.amount,
                "currency": fee.currency,
                "unit": fee.unit,
                "legal_basis": fee.basis,
                "is_surcharge": fee.is_surcharge,
                "text": fee.amount_text,
            }
            for fee in version.fees.all()
        ],
        "change_note": version.change_note,
        "is_example": version.is_example,
        "published_at": version.published_at,
    }


def _service_out(service: Service) -> dict[str, Any] | None:
    entries = catalogue.history(service)
    if not any(e.is_current for e in entries):
        return None  # nothing applies yet: not public
    applied = [e for e in entries if not e.is_future]
    versions = [_version_out(e) for e in applied]
    current = next(v for v, e in zip(versions, applied, strict=True) if e.is_current)
    kwargs = {"office": service.office.code, "code": service.code}
    return {
        "code": service.code,
        "category": service.category,
        "name": current["name"],
        "url": _absolute(reverse("portal:service", kwargs=kwargs)),
        "poster_url": _absolute(reverse("portal:poster", kwargs=kwargs)),
        "current": current,
        "versions": versions,
    }


def _public_office(code: str) -> Office:
    office = services.public_offices().filter(code=code).first()
    if office is None:
        raise Http404
    return office


@router.get(
    "/public/offices", response={
        400: ERROR_SCHEMAS[400],
        200: list[PublicOfficeOut],
        429: Error,
    }, auth=None,
    summary="Offices with a public page",
)  # fmt: skip
@decorate_view(open_data)
def public_offices(request: HttpRequest) -> Any:
    offices = list(services.public_offices())
    parents = {o.pk: o.code for o in offices}
    return [_office_out(o, parents) for o in offices]


@router.get(
    "/public/offices/{office}/services",
    response={
        400: ERROR_SCHEMAS[400],
        200: list[ServiceOut],
        404: Error,
        422: ERROR_SCHEMAS[422],
        429: Error,
    },
    auth=None, summary="Services of an office with their published versions",
)  # fmt: skip
@decorate_view(open_data)
def public_services(request: HttpRequest, office: str) -> Any:
    """Each service in force with every published version that applied so far (upcoming
    versions appear once they apply)."""
    place = _public_office(office)
    rows = [_service_out(s) for s in Service.objects.filter(office=place).select_related("office")]
    return [row for row in rows if row is not None]


@router.get(
    "/public/offices/{office}/services/{code}",
    response={
        400: ERROR_SCHEMAS[400],
        200: ServiceOut,
        404: Error,
        422: ERROR_SCHEMAS[422],
        429: Error,
    },
    auth=None, summary="One service with its published versions",
)  # fmt: skip
@decorate_view(open_data)
def public_service(request: HttpRequest, office: str, code: str) -> Any:
    place = _public_office(office)
    service = get_object_or_404(Service.objects.select_related("office"), office=place, code=code)
    row = _service_out(service)
    if row is None:
        raise Http404
    return row


def _file_out(publication: Publication, doc: GeneratedDocument) -> dict[str, Any]:
    path = reverse(
        "portal:publication-file",
        kwargs={"office": publication.office.code, "slug": publication.slug, "pk": doc.pk},
    )
    return {
        "format": doc.format,
        "language": doc.language,
        "url": _absolute(path),
        "sha256": doc.sha256,
        "size": doc.size,
    }


def _release_out(publication: Publication, docs: list[GeneratedDocument]) -> dict[str, Any]:
    return {
        "id": publication.pk,
        "kind": publication.kind,
        "title": publication.title,
        "lead": publication.lead,
        "text": publication.text,
        "published_at": publication.published_at,
        "url": _absolute(
            reverse(
                "portal:publication",
                kwargs={"office": publication.office.code, "slug": publication.slug},
            )
        ),
        "files": [_file_out(publication, doc) for doc in docs],
    }


@router.get(
    "/public/offices/{office}/releases",
    response={
        400: ERROR_SCHEMAS[400],
        200: list[ReleaseOut],
        404: Error,
        422: ERROR_SCHEMAS[422],
        429: Error,
    },
    auth=None, summary="Published releases, statements and stories of an office",
)  # fmt: skip
@decorate_view(open_data)
def public_releases(
    request: HttpRequest, office: str, limit: Annotated[int, PydanticField(ge=1, le=200)] = 50
) -> Any:
    place = _public_office(office)
    limit = max(1, min(limit, 200))
    rows = list(services.public_publications(place).select_related("office")[:limit])
    docs = downloads.files_of(rows)
    return [_release_out(p, docs.get(p.pk, [])) for p in rows]


def _clarification_out(item: Clarification, office: Office) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "claim": item.claim,
        "facts": item.facts,
        "title_en": item.title_en,
        "claim_en": item.claim_en,
        "facts_en": item.facts_en,
        "verdict": item.verdict,
        "verdict_label": str(item.get_verdict_display()),
        "published_at": item.published_at,
        "channels": [
            {"channel": str(row.get("channel", "")), "url": str(row.get("url", ""))}
            for row in item.channels
        ],
        "url": _absolute(
            reverse("portal:clarification", kwargs={"office": office.code, "pk": item.pk})
        ),
    }


@router.get(
    "/public/offices/{office}/clarifications",
    response={
        400: ERROR_SCHEMAS[400],
        200: list[ClarificationOut],
        404: Error,
        422: ERROR_SCHEMAS[422],
        429: Error,
    },
    auth=None, summary="Published hoax clarifications of an office",
)  # fmt: skip
@decorate_view(open_data)
def public_clarifications(
    request: HttpRequest, office: str, limit: Annotated[int, PydanticField(ge=1, le=200)] = 50
) -> Any:
    """Clarifications the office published through the crisis workflow (never a draft, a
    withdrawn one or an exercise), newest first; Indonesian text, English where given."""
    place = _public_office(office)
    limit = max(1, min(limit, 200))
    return [_clarification_out(c, place) for c in services.public_clarifications(place)[:limit]]
