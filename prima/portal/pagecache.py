"""Rendered public pages kept in Django's cache for ``PORTAL_PAGE_CACHE_SECONDS``.

A public page depends only on its URL (language included) and on published data, so a
rendered page is reused until either the time runs out or published data changes: every
save or delete of the models public pages are made of bumps a generation number that is
part of the cache key (:func:`invalidate`, connected in ``PortalConfig.ready``). With the
default per-process cache, other processes see a change when their copy expires, so a
change is public everywhere within ``PORTAL_PAGE_CACHE_SECONDS``; days changing (a
version coming into force) are caught the same way. ``0`` turns the cache off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

GENERATION_KEY = "prima:portal:generation"


def _generation() -> int:
    return int(cache.get(GENERATION_KEY) or 0)


def _key(request: HttpRequest) -> str:
    lang = translation.get_language() or "id"
    return f"prima:portal:page:{_generation()}:{lang}:{request.get_full_path()}"


def get(request: HttpRequest) -> HttpResponse | None:
    """The cached page for this request, or None."""
    if request.method != "GET" or settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
        return None
    hit = cache.get(_key(request))
    if hit is None:
        return None
    content, content_type, disposition = hit
    response = HttpResponse(content, content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def put(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a successful page (200, not streamed) for the next requests."""
    if (
        request.method != "GET"
        or settings.PORTAL_PAGE_CACHE_SECONDS <= 0
        or response.status_code != 200
        or response.streaming
    ):
        return
    value = (response.content, response["Content-Type"], response.get("Content-Disposition"))
    cache.set(_key(request), value, timeout=settings.PORTAL_PAGE_CACHE_SECONDS)


def invalidate(*args: Any, **kwargs: Any) -> None:
    """Forget every cached page (a signal receiver: any arguments)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _generation() + 1, timeout=None)
