"""Log-in throttling: repeated failures lock a user name (and an address) for a while.

Enforced in an authentication backend, so every log-in form (PRIMA's, the admin's) obeys
it; failures are recorded from Django's ``user_login_failed`` signal and written to the
audit trail.
"""

from __future__ import annotations

import logging
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

from . import audit
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
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def record_failure(
    sender: str,
    credentials: dict[str, Any] | None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
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
    with transaction.atomic():
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        audit.log(user, "auth.login", user, ip=client_ip(request) if request else None)
