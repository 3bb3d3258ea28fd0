"""The one JSON API: /api/v1/ (OpenAPI schema at /api/v1/openapi.json).

Machine clients authenticate with ``Authorization: Bearer <token>`` (tokens are issued in
the admin or with ``prima create-api-token``); browsers use their session (with CSRF).
Every endpoint applies the same policy as the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.security import django_auth

from prima.catalogue.api import router as catalogue_router
from prima.conferences.api import router as conferences_router
from prima.crisis.api import router as crisis_router
from prima.documents.api import router as documents_router
from prima.evaluation.api import router as evaluation_router
from prima.lib.params import ParameterError
from prima.monitoring.api import router as monitoring_router
from prima.organizations.api import router as organizations_router
from prima.organizations.apiauth import BearerTokenAuth, HeaderTokenAuth
from prima.organizations.reauth import ReauthRequired
from prima.portal.api import router as portal_router


class StrictJSONParser(Parser):
    """JSON bodies whose text holds a NUL character are refused (400, "Cannot parse
    request body"): PostgreSQL cannot store such text, and no real value has one."""

    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        if _has_nul(data):
            raise ValueError("the body contains a NUL character")
        return data


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


api = NinjaAPI(
    parser=StrictJSONParser(),
    title="PRIMA API",
    version="1",
    description="Public communication, press conferences and media monitoring.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[BearerTokenAuth(), HeaderTokenAuth(), django_auth],
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": "You do not have permission for this action."}, status=403
    )


@api.exception_handler(ReauthRequired)
def reauth_required(request: HttpRequest, exc: ReauthRequired):
    # A browser session that has not confirmed its second factor (or password) recently;
    # API token calls are exempt (prima.organizations.reauth).
    return api.create_response(
        request,
        {
            "detail": "Confirm your identity first (re-authentication), then try again.",
            "code": "reauth_required",
            "reauth_url": "/accounts/reauth/",
        },
        status=403,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    # The same answer for "does not exist" and "exists, but not for you".
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ParameterError)
def bad_parameter(request: HttpRequest, exc: ParameterError):
    return api.create_response(request, {"detail": exc.message}, status=400)


api.add_router("/", organizations_router)
api.add_router("/", conferences_router)
api.add_router("/", monitoring_router)
api.add_router("/", catalogue_router)
api.add_router("/", crisis_router)
api.add_router("/", documents_router)
api.add_router("/", portal_router)
api.add_router("/", evaluation_router)
