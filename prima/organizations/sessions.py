"""Sessions that end after ``SESSION_IDLE_MINUTES`` without a request, renewed without a
database write on every page.

Django's ``SESSION_SAVE_EVERY_REQUEST`` would push the end back by writing the session
row on every request: on SQLite one write transaction per page view, serialised with
every other writer (an import, the task worker), which is where much of a busy page's
time went under load. Here the row is rewritten only when its end is more than
:data:`RENEW_AFTER` closer than a fresh session's: the idle timeout stays exact to within
that margin (a session idle for ``SESSION_IDLE_MINUTES`` minus at most a minute ends),
and a person clicking through pages costs one session write a minute instead of one a
page.

``SESSION_ENGINE = "prima.organizations.sessions"`` and
``prima.organizations.sessions.SessionMiddleware`` in place of Django's.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks_db.utils import is_locked_database_exception

from .accounts import touch_session

RENEW_AFTER = timedelta(seconds=60)
logger = logging.getLogger(__name__)


class SessionStore(db.SessionStore):
    """The database session store, remembering when the loaded row was due to end."""

    loaded_expire_date: datetime | None = None

    # Django's hook that reads the row (not in the type stubs).
    def _get_session_from_db(self) -> Any:
        stored = super()._get_session_from_db()  # type: ignore[misc]
        self.loaded_expire_date = stored.expire_date if stored is not None else None
        return stored

    def renewal_due(self) -> bool:
        """Is the stored end of this (loaded, non-empty) session more than
        :data:`RENEW_AFTER` earlier than a fresh session's would be?"""
        if self.loaded_expire_date is None or self.is_empty():
            return False
        fresh_end = timezone.now() + timedelta(seconds=self.get_expiry_age())
        return fresh_end - self.loaded_expire_date > RENEW_AFTER


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, renewing the idle timeout when it is due (at most
    about once a minute per session) instead of on every request."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            isinstance(session, SessionStore)
            and session.accessed
            and not session.modified
            and session.renewal_due()
        ):
            return self._renew(request, response, session)
        return super().process_response(request, response)

    def _renew(
        self, request: HttpRequest, response: HttpResponse, session: SessionStore
    ) -> HttpResponse:
        """Push the session's end back (and record the activity). The page is already
        made: when SQLite's write lock stays taken past the busy timeout (an import or
        the task worker writing on a loaded machine), the renewal waits for a later
        request — at most a minute of the idle timeout — instead of turning a page that
        only read into a "database busy" error."""
        try:
            with transaction.atomic():
                session.modified = True
                if session.get("_auth_user_id"):
                    touch_session(session.session_key)
                return super().process_response(request, response)
        except OperationalError as error:
            if not is_locked_database_exception(error):  # the rule db_worker uses too
                raise
            session.modified = False
            logger.warning("Session renewal postponed, the database is busy: %s", error)
            return response


def purge_expired_sessions(cutoff: datetime, *, dry_run: bool = False) -> int:
    """Delete the session rows that ended before ``cutoff`` (Django's ``clearsessions``,
    counted); the retention of signed-in sessions. Returns how many were (or would be)
    deleted."""
    # Imported here: the session engine module is loaded before the apps are ready.
    from django.contrib.sessions.models import Session

    expired = Session.objects.filter(expire_date__lt=cutoff)
    if dry_run:
        return expired.count()
    deleted, _ = expired.delete()
    return deleted


def purge_ended_user_sessions(cutoff: datetime, *, dry_run: bool = False) -> int:
    """Delete the session index rows (``UserSession``) whose session no longer exists or
    expired before ``cutoff``; they are shown nowhere but still name a device and an
    address. Returns how many were (or would be) deleted."""
    from django.contrib.sessions.models import Session

    from .models import UserSession

    live = Session.objects.filter(expire_date__gte=cutoff).values("session_key")
    ended = UserSession.objects.exclude(session_key__in=live)
    if dry_run:
        return ended.count()
    deleted, _ = ended.delete()
    return deleted
