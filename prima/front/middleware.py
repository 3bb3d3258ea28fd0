"""Response headers that every page carries."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from prima.lib.http import PUBLIC_MARK
from prima.lib.loopback import is_loopback_address
from prima.lib.params import ParameterError

NUL = "The request contains a NUL character, which no value may hold."


class SecurityHeadersMiddleware:
    """Content-Security-Policy (PRIMA_CONTENT_SECURITY_POLICY) and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class LoopbackOnlyMiddleware:
    """While ``PRIMA_LOOPBACK_PLAIN_HTTP`` is on (production settings without TLS, for the
    loopback load benchmark), answer only clients on a loopback address: the settings
    already refuse non-loopback host names, and this stops a server bound to a public
    address from serving anyone else in plain text. Does nothing when the switch is off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LOOPBACK_PLAIN_HTTP and not is_loopback_address(
            str(request.META.get("REMOTE_ADDR", ""))
        ):
            return HttpResponse(
                "PRIMA_LOOPBACK_PLAIN_HTTP is on: only loopback clients are served.\n",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` (Django's never-cache headers) on every answer
    that may hold personal or internal data: requests with a log-in (session user, bearer
    token, API key) and answers that set a cookie. Pages, API answers, CSV exports and
    stored files alike, unless the view opted out with ``prima.lib.http.cache_public`` or
    set its own Cache-Control. Static files never get here (WhiteNoise answers them
    earlier, with far-future caching).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, PUBLIC_MARK, False) or response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or "HTTP_X_API_KEY" in request.META
            or response.cookies
        ):
            add_never_cache_headers(response)
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Indonesian first: the language is the one the person chose (the language cookie set
    by /i18n/setlang/), else ``LANGUAGE_CODE`` — the browser's Accept-Language is not used,
    so a browser set up in English still opens PRIMA in Indonesian."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class BadParameterMiddleware:
    """A query-string value out of bounds (:class:`prima.lib.params.ParameterError`,
    raised by the shared parameter parsers) is a 400 page that says which parameter,
    never a 500. The API answers the same error itself, as JSON (``prima.api``).

    A query string holding a NUL character is refused here for every page and API
    operation alike (PostgreSQL cannot store or compare such text; no real value has one).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self._refuse(request, ParameterError(name.replace("\x00", ""), NUL))
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, exception: ParameterError) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": exception.message}, status=400)
        return self.process_exception(request, exception) or HttpResponse(status=400)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ParameterError):
            return None
        message = _(
            "The address holds a value that PRIMA cannot use for “%(name)s”. Go back and "
            "choose the filter again."
        ) % {"name": exception.name}
        return render(request, "400.html", {"message": message, "detail": exception.message},
                      status=400)  # fmt: skip


database_logger = logging.getLogger("prima.database")
RETRY_AFTER_SECONDS = 5


# SQLite reports a schema that does not match the code (a missed migration) as an
# OperationalError too: that is a fault of the installation, not a busy database, and
# must stay a loud 500 (logged with its traceback), not a "try again" page.
SCHEMA_ERRORS = ("no such table", "no such column", "has no column named", "syntax error")


def is_database_unavailable(exception: BaseException) -> bool:
    """Is this the database being unreachable, restarted or (SQLite) locked by another
    writer for longer than the busy timeout? (Not a schema out of step with the code.)"""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    message = str(exception).lower()
    return not any(marker in message for marker in SCHEMA_ERRORS)


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """503 with a clear message and ``Retry-After`` (JSON under ``/api/``), rendered
    without touching the database; the broken connection is closed so that the next
    request opens a new one. The request's transaction was rolled back: nothing of it
    was saved."""
    database_logger.warning(
        "Database unavailable for %s %s: %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        str(exception).strip()[:300],
    )
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    message = _(
        "PRIMA cannot reach its database at the moment (it is busy or restarting). "
        "Nothing of this request was saved: wait a moment, then try again."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        html = render_to_string("503.html", {"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A page or API call that meets an unavailable database answers 503 with a clear
    message (:func:`database_unavailable`), never a 500 traceback. Errors outside views
    (e.g. saving the session) reach ``handler500`` (:func:`prima.front.views.server_error`),
    which answers the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        return database_unavailable(request, exception)
