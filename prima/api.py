"""The one JSON API: /api/v1/ (OpenAPI schema at /api/v1/openapi.json).

Machine clients authenticate with ``Authorization: Bearer <token>`` (tokens are issued in
the admin or with ``prima create-api-token``); browsers use their session (with CSRF).
Every endpoint applies the same policy as the pages.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from prima.catalogue.api import router as catalogue_router
from prima.conferences.api import router as conferences_router
from prima.crisis.api import router as crisis_router
from prima.documents.api import router as documents_router
from prima.evaluation.api import router as evaluation_router
from prima.lib.params import ParameterError
from prima.monitoring.api import router as monitoring_router
from prima.organizations.api import router as organizations_router
from prima.organizations.models import ApiToken
from prima.portal.api import router as portal_router


def _user_for_token(token: str):
    if not token or not token.startswith(ApiToken.PREFIX):
        return None
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=5):
        # Not an audited change: a usage timestamp, refreshed at most every five minutes.
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        user = _user_for_token(token)
        if user is not None:
            request.user = user
        return user


class HeaderTokenAuth(APIKeyHeader):
    """``X-API-Key: <token>`` for clients that cannot set Authorization."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = _user_for_token(key or "")
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
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
