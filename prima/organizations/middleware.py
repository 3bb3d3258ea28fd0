"""Request context for the audit trail: the client address of the current request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import audit


def client_ip(request: HttpRequest) -> str | None:
    """The client address, trusting X-Forwarded-For only for PRIMA_PROXY_COUNT proxies."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.current_ip.reset(token)
