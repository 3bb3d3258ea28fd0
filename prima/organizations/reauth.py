"""Re-authentication before sensitive actions.

A sensitive action (approving material, changing roles, exporting personal data) needs a
*fresh* proof of identity: the second factor (or, for a person without one, the password)
given within the last ``REAUTH_MINUTES`` minutes, at sign-in or on the re-authentication
page (``/accounts/reauth/``).

- Pages: decorate the view with :func:`require_recent_auth`. A stale session is sent to
  the re-authentication page and comes back (a POST comes back to the page it was sent
  from, where the person presses the button again: a form is never replayed blindly).
- The API: call :func:`check_api` in the operation. Calls with an API token are exempt
  (a token is a separate credential of a machine client, issued and revoked by an
  administrator, and cannot answer a second-factor prompt); calls with a browser session
  get 403 with ``code: reauth_required`` until the session is fresh.
- Anything else (the admin, other code): :func:`is_fresh` and :func:`redirect_to_reauth`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "prima_verified_at"
_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def mark_fresh(request: HttpRequest) -> None:
    """Record that the person just proved who they are (sign-in or re-authentication)."""
    request.session[SESSION_KEY] = int(time.time())


def is_fresh(request: HttpRequest) -> bool:
    """Did the person of this session prove who they are within ``REAUTH_MINUTES``?"""
    session = getattr(request, "session", None)
    if session is None:
        return False
    at = session.get(SESSION_KEY)
    return isinstance(at, int) and time.time() - at <= settings.REAUTH_MINUTES * 60


def _safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def return_url(request: HttpRequest) -> str:
    """Where to come back to: this page for a GET, the page the form was on for a POST."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = str(request.META.get("HTTP_REFERER", ""))
    return referer if _safe(request, referer) else reverse("home")


def reauth_url(next_url: str) -> str:
    return f"{reverse('reauth')}?{urlencode({'next': next_url})}"


def redirect_to_reauth(request: HttpRequest) -> HttpResponse:
    """Send the person to the re-authentication page (htmx requests: a full-page
    redirect through ``HX-Redirect``)."""
    url = reauth_url(return_url(request))
    if request.method not in ("GET", "HEAD"):
        messages.info(
            request, _("Confirm it is you, then do it again: nothing has been changed yet.")
        )
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def require_recent_auth(view: _V) -> _V:
    """Decorator for a page view: run it only for a fresh session (see the module)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not is_fresh(request):
            return redirect_to_reauth(request)
        return view(request, *args, **kwargs)

    return cast(_V, wrapper)


def is_token_call(request: HttpRequest) -> bool:
    """Was this API request authenticated with an API token (not a browser session)?"""
    return bool(getattr(request, "prima_api_token", False))


class ReauthRequired(Exception):
    """A session caller of the API must re-authenticate first (answered with 403)."""


def check_api(request: HttpRequest) -> None:
    """In an API operation: raise :class:`ReauthRequired` for a stale browser session
    (API token calls are exempt)."""
    if not is_token_call(request) and not is_fresh(request):
        raise ReauthRequired
