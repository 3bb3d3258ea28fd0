"""Password rules beyond Django's built-in validators, and the password hasher that keeps
the deliberately slow hash off the other pages' path."""

from __future__ import annotations

import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger("prima.security")


class CharacterClassValidator:
    """Require at least three of: lower case, upper case, digit, other character."""

    def validate(self, password: str, user: object = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, "
                    "upper-case letters, digits and other characters."
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and "
            "other characters."
        )


# --- The password hash off the pages' path -------------------------------------------------

_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _lower_priority() -> None:
    """Start of a hashing thread: lower this thread's CPU priority (on Linux the nice
    value belongs to the thread, not the process) by ``LOGIN_HASH_NICENESS``."""
    thread = threading.get_native_id()
    current = os.getpriority(os.PRIO_PROCESS, thread)
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + settings.LOGIN_HASH_NICENESS))
    except OSError:  # pragma: no cover - refused by the system: the hash still works
        logger.warning("Could not lower the priority of the password-hash thread")


def _hash_pool() -> ThreadPoolExecutor:
    """This process's low-priority hashing threads (made again after a fork)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            executor = ThreadPoolExecutor(
                max_workers=max(1, settings.LOGIN_CONCURRENT_HASHES),
                thread_name_prefix="prima-password-hash",
                initializer=_lower_priority,
            )
            _pool = (os.getpid(), executor)
        return _pool[1]


def hashes_at_low_priority() -> bool:
    return settings.LOGIN_HASH_NICENESS > 0 and sys.platform.startswith("linux")


class LowPriorityPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 hasher — the same algorithm name, iterations and stored hashes, as
    slow as ever — computed on a thread of lower CPU priority
    (``PRIMA_LOGIN_HASH_NICENESS``): when log-ins and pages compete for the cores, the
    pages go first and the log-ins take the rest, instead of a burst of log-ins halving
    what every page gets. The request waits for its hash without using the CPU. Linux
    only (elsewhere, and with the setting 0, the hash runs on the request's thread)."""

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        if not hashes_at_low_priority():
            return super().encode(password, salt, iterations)
        compute = super().encode
        return _hash_pool().submit(compute, password, salt, iterations).result()
