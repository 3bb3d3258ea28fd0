"""How machine clients authenticate to the JSON API: a user's API token, sent as
``Authorization: Bearer <token>`` or ``X-API-Key: <token>``. The token acts with its
user's roles and offices. (Browsers use their session: ``ninja.security.django_auth``.)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer

from .models import ApiToken, User


def user_for_token(token: str) -> User | None:
    """The active user an API token belongs to, or None (one query; the token's last use
    is refreshed at most every five minutes)."""
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

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
            request.prima_api_token = True  # type: ignore[attr-defined]
        return user


class HeaderTokenAuth(APIKeyHeader):
    """``X-API-Key: <token>`` for clients that cannot set Authorization."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = user_for_token(key or "")
        if user is not None:
            request.user = user
            request.prima_api_token = True  # type: ignore[attr-defined]
        return user
