"""Log-in throttling: repeated failures lock a user name (and an address) for a while,
and a burst of log-ins cannot take every server thread.

Enforced in an authentication backend, so every log-in form (PRIMA's, the admin's) obeys
it; failures are recorded from Django's ``user_login_failed`` signal and written to the
audit trail.

The password hash is slow on purpose (PBKDF2, about 0.2 s of CPU). At most
``LOGIN_CONCURRENT_HASHES`` hashes run at once in a server process; a log-in that finds
them all taken is answered at once with "try again in a moment" (503) instead of waiting
on a thread that other pages need. Such a refusal is neither a failure nor a lock-out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from . import audit, reauth
from .middleware import client_ip
from .models import LoginFailure, User

logger = logging.getLogger("prima.security")


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str, ip: str | None) -> bool:
    """Too many recent failures for this user name, or from this address? (two counts)"""
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username__iexact=username).count() >= settings.LOGIN_MAX_FAILURES:
        return True
    # An address gets more room: several people may share an office's NAT address.
    ip_limit = settings.LOGIN_MAX_FAILURES * 4
    return bool(ip) and recent.filter(ip=ip).count() >= ip_limit


_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _hash_slots() -> threading.BoundedSemaphore:
    """This process's semaphore of password-hash slots (sized by the setting)."""
    global _slots
    size = max(1, settings.LOGIN_CONCURRENT_HASHES)
    with _slots_lock:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


@contextmanager
def hash_slot() -> Iterator[bool]:
    """Take a password-hash slot without waiting; yields whether one was free."""
    slots = _hash_slots()
    acquired = slots.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            slots.release()


def is_busy(request: HttpRequest | None) -> bool:
    """Was this log-in refused because every password-hash slot was taken?"""
    return bool(getattr(request, "prima_login_busy", False))


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        ip = client_ip(request) if request is not None else None
        if username and is_locked(username, ip):
            if request is not None:
                request.prima_locked_out = True  # type: ignore[attr-defined]
            # PermissionDenied stops authenticate() and fires user_login_failed.
            raise PermissionDenied
        with hash_slot() as free:
            if not free:
                if request is not None:
                    request.prima_login_busy = True  # type: ignore[attr-defined]
                raise PermissionDenied
            return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: Any) -> User | None:
        """The session's user with their home office in the same query: every page's shell
        shows the office (one query fewer per request)."""
        try:
            user = User._default_manager.select_related("office").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


@receiver(user_login_failed)
def record_failure(
    sender: str,
    credentials: dict[str, Any] | None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    if is_busy(request):
        return  # not a wrong password: nothing was checked
    username = (credentials or {}).get("username", "")[:150]
    ip = client_ip(request) if request is not None else None
    locked_before = getattr(request, "prima_locked_out", False)
    with transaction.atomic():
        if not locked_before:
            LoginFailure.objects.create(username=username, ip=ip)
        user = User.objects.filter(username__iexact=username).first()
        now_locked = is_locked(username, ip)
        action = "auth.login_refused_locked" if locked_before else "auth.login_failed"
        audit.log(
            None,
            action,
            user,
            ip=ip,
            object_type="organizations.user",
            object_id=str(user.pk) if user else "",
            object_label=username,
            office=user.office if user else None,
        )
        if now_locked and not locked_before:
            audit.log(
                None,
                "auth.locked_out",
                user,
                ip=ip,
                object_type="organizations.user",
                object_id=str(user.pk) if user else "",
                object_label=username,
                office=user.office if user else None,
            )
            logger.warning("Log-in locked for %r from %s after repeated failures", username, ip)


@receiver(user_logged_in)
def record_success(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        # login() is called only once every step of signing in is done (the second
        # factor included: twofactor_views): the person has just proved who they are.
        reauth.mark_fresh(request)
    with transaction.atomic():
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        audit.log(user, "auth.login", user, ip=client_ip(request) if request else None)
