"""Rendered public pages kept for ``PORTAL_PAGE_CACHE_SECONDS`` (:mod:`prima.lib.shortcache`).

A public page depends only on its URL (language included) and on published data, so a
rendered page is reused until either the time runs out or published data changes: every
save or delete of the models public pages are made of bumps the ``portal.pages``
namespace (:func:`invalidate`, connected in ``PortalConfig.ready``), in every server
process at once. Days changing (a version coming into force) are caught by the time
running out. ``0`` turns the cache off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from prima.lib import shortcache

NAMESPACE = "portal.pages"
_SLOT = "_prima_page_slot"

Page = tuple[bytes, str, str | None]


def get(request: HttpRequest) -> HttpResponse | None:
    """The cached page for this request, or None (then :func:`put` keeps the page made)."""
    if request.method != "GET" or settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
        return None
    lang = translation.get_language() or "id"
    slot: shortcache.Slot[Page] = shortcache.Slot(
        NAMESPACE, (lang, request.get_full_path()), seconds=settings.PORTAL_PAGE_CACHE_SECONDS
    )
    if not slot.hit or slot.value is None:
        setattr(request, _SLOT, slot)
        return None
    content, content_type, disposition = slot.value
    response = HttpResponse(content, content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def put(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a successful page (200, not streamed) for the next requests."""
    slot: shortcache.Slot[Page] | None = getattr(request, _SLOT, None)
    if slot is None or response.status_code != 200 or response.streaming:
        return
    slot.put((response.content, response["Content-Type"], response.get("Content-Disposition")))


def invalidate(*args: Any, **kwargs: Any) -> None:
    """Forget every cached page, in every process (a signal receiver: any arguments)."""
    shortcache.bump(NAMESPACE)
