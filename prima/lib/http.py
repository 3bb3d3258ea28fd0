"""HTTP helpers shared by every app (no app imports).

Caching: PRIMA answers with ``Cache-Control: no-store`` (and ``private``) to every
request that carries a log-in — a session, a bearer token or an API key — or that sets a
cookie; see ``prima.front.middleware.PrivateCacheMiddleware``. A view whose answer is
the same for everybody (a public portal page, a public document) opts out with
:func:`cache_public`; nothing else is needed for private pages, API answers and exports.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

# The attribute the middleware reads on a response.
PUBLIC_MARK = "prima_cache_public"


def mark_public(response: HttpResponseBase, max_age: int | None = None) -> HttpResponseBase:
    """Let ``response`` be cached like any public page (``max_age`` seconds if given)."""
    setattr(response, PUBLIC_MARK, True)
    if max_age is not None and not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def cache_public(
    view: Callable[..., HttpResponseBase] | None = None, *, max_age: int | None = None
) -> Any:
    """Decorator: this view's answers show nothing about the person asking, so browsers
    and proxies may keep them. ``@cache_public`` or ``@cache_public(max_age=300)``.

    Only for pages that are the same for everybody: a page that shows the user's name
    (the shell's menu does) must not be shared through a proxy.
    """

    def decorate(func: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return mark_public(func(request, *args, **kwargs), max_age)

        return wrapper

    return decorate(view) if view is not None else decorate
