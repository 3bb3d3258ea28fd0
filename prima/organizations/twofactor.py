"""Two-step verification: a TOTP authenticator app (RFC 6238, through ``pyotp``) and
one-time recovery codes.

Every entry point (the sign-in's second step, the enrolment and settings pages, the
re-authentication page, the admin, the staff reset page and ``prima reset-2fa``) calls
these functions; each change of a factor writes its audit entry here.

- A device is stored only once confirmed with a first code (:func:`enrol`); the secret of
  an enrolment in progress lives in the session.
- A TOTP code is accepted one 30-second step either side of now, and never twice (the
  device remembers the last accepted step).
- Recovery codes are random (50 bits), shown once, stored as SHA-256 hashes, each usable
  once.
- Failed codes count as failed log-ins (``LoginFailure``), so the lock-out of
  ``prima.organizations.throttle`` also stops guessing of codes.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Literal

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, policy
from .models import (
    TWOFACTOR_REQUIRED_BY_DEFAULT,
    LoginFailure,
    RecoveryCode,
    Role,
    TwoFactorDevice,
    TwoFactorRequirement,
    User,
)
from .throttle import is_locked

STEP_SECONDS = 30
# Recovery codes: two groups of five from an alphabet without look-alikes (0/o, 1/l/i).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUP = 5

Method = Literal["totp", "recovery", "password"]


class TwoFactorError(Exception):
    """A refused factor change (the message is for the person)."""


# --- Requirement per role ----------------------------------------------------------------


def required_roles() -> set[Role]:
    """The roles whose holders must use two-step verification (one query)."""
    stored = dict(TwoFactorRequirement.objects.values_list("role", "required"))
    return {role for role in Role if stored.get(role.value, role in TWOFACTOR_REQUIRED_BY_DEFAULT)}


def is_required(user: User) -> bool:
    """Must ``user`` sign in with two-step verification? True when one of their roles
    requires it; a superuser counts as an administrator."""
    needed = required_roles()
    if user.is_superuser and Role.ADMIN in needed:
        return True
    return bool(policy.roles(user) & needed)


def set_requirement(actor: User | None, role: Role, required: bool) -> None:
    """Require (or stop requiring) two-step verification for holders of ``role``."""
    with transaction.atomic():
        row, _created = TwoFactorRequirement.objects.get_or_create(
            role=role, defaults={"required": role in TWOFACTOR_REQUIRED_BY_DEFAULT}
        )
        before = audit.snapshot(row)
        row.required = required
        row.save()
        audit.log(actor, "twofactor.requirement", row, before=before, after=audit.snapshot(row))


# --- Devices -----------------------------------------------------------------------------


def device_of(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def has_device(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user).exists()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=settings.TWOFACTOR_ISSUER
    )


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline SVG element (made here: no outside service)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff"))


def formatted_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (now ± 1) whose TOTP code is ``code``, or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (now_step - 1, now_step, now_step + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def enrol(user: User, secret: str, code: str) -> list[str]:
    """Store ``user``'s authenticator app once ``code`` shows that it works, replacing any
    earlier one, and return a fresh set of recovery codes (shown once)."""
    step = _matching_step(secret, code)
    if step is None:
        raise TwoFactorError(
            _("That code does not match. Check the time on your phone and try the next code.")
        )
    with transaction.atomic():
        replaced = TwoFactorDevice.objects.filter(user=user).delete()[0] > 0
        device = TwoFactorDevice.objects.create(
            user=user, secret=secret, last_step=step, last_used_at=timezone.now()
        )
        audit.log(
            user,
            "twofactor.reenrol" if replaced else "twofactor.enrol",
            device,
            office=user.office,
            object_label=str(user),
        )
        return _new_recovery_codes(user)


def disable(user: User) -> None:
    """``user`` turns off their own two-step verification (refused when a role of theirs
    requires it: they may re-enrol instead)."""
    if is_required(user):
        raise TwoFactorError(
            _("Your role requires two-step verification: you can set up a new phone instead.")
        )
    with transaction.atomic():
        _remove(user)
        audit.log(user, "twofactor.disable", user, office=user.office)


def reset(actor: User | None, user: User, *, reason: str) -> None:
    """An administrator removes ``user``'s lost second factor (and their recovery codes),
    so that they enrol again at their next sign-in. ``actor`` None is the command line.
    Raises PermissionDenied when ``actor`` may not do it for ``user``'s office."""
    reason = reason.strip()
    if not reason:
        raise TwoFactorError(
            _("Say why the second factor is reset (it goes into the audit trail).")
        )
    if actor is not None:
        if user.office is None:
            if not policy.can_at_top(actor, "twofactor.reset"):
                raise PermissionDenied
        else:
            policy.check(actor, "twofactor.reset", user)
    with transaction.atomic():
        had = _remove(user)
        audit.log(
            actor,
            "twofactor.reset",
            user,
            after={"reason": reason, "had_device": had},
            office=user.office,
        )


def _remove(user: User) -> bool:
    RecoveryCode.objects.filter(user=user).delete()
    return TwoFactorDevice.objects.filter(user=user).delete()[0] > 0


# --- Recovery codes ----------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.pk}:{_normalise(code)}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(settings.TWOFACTOR_RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(2 * _GROUP))
        codes.append(f"{raw[:_GROUP]}-{raw[_GROUP:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(user, c)) for c in codes
    )
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace ``user``'s recovery codes with a new set (the old ones stop working)."""
    if not has_device(user):
        raise TwoFactorError(_("Set up two-step verification first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.log(user, "twofactor.codes_regenerated", user, office=user.office)
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- Checking a code ---------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    ok: bool
    method: Method | None = None
    locked: bool = False


def verify(user: User, code: str, *, ip: str | None, context: str) -> Check:
    """Check a code typed by ``user`` (their app's code or a recovery code).

    Refused without checking while the user name (or address) is locked out; a wrong
    code counts as a failed log-in and is audited (``context`` says where: "login" or
    "reauth"). A recovery code is used up.
    """
    if is_locked(user.get_username(), ip):
        with transaction.atomic():
            audit.log(None, "auth.login_refused_locked", user, ip=ip, office=user.office)
        return Check(False, locked=True)
    device = device_of(user)
    if device is not None:
        step = _matching_step(device.secret, code)
        if step is not None:
            # Only one request may use a step: a replayed code finds last_step moved on.
            used = TwoFactorDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
                last_step=step, last_used_at=timezone.now()
            )
            if used:
                return Check(True, "totp")
        elif _use_recovery_code(user, code, ip=ip):
            return Check(True, "recovery")
    with transaction.atomic():
        LoginFailure.objects.create(username=user.get_username()[:150], ip=ip)
        audit.log(
            None,
            "twofactor.failed",
            user,
            ip=ip,
            after={"context": context},
            office=user.office,
        )
        locked = is_locked(user.get_username(), ip)
        if locked:
            audit.log(None, "auth.locked_out", user, ip=ip, office=user.office)
    return Check(False, locked=locked)


def _use_recovery_code(user: User, code: str, *, ip: str | None) -> bool:
    if len(_normalise(code)) != 2 * _GROUP:
        return False
    with transaction.atomic():
        used = RecoveryCode.objects.filter(
            user=user, code_hash=_hash(user, code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            audit.log(
                user,
                "twofactor.recovery_used",
                user,
                ip=ip,
                after={"left": recovery_codes_left(user)},
                office=user.office,
            )
    return bool(used)
