"""System checks of the foundation (``prima check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

MIN_AUDIT_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """The audit key must be long, and not the secret key (a key used for two purposes
    leaks through either)."""
    problems = []
    key = settings.AUDIT_KEY
    if len(key) < MIN_AUDIT_KEY_LENGTH:
        problems.append(
            Warning(
                f"PRIMA_AUDIT_KEY is shorter than {MIN_AUDIT_KEY_LENGTH} characters.",
                hint="Generate one: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="prima.W001",
            )
        )
    if key == settings.SECRET_KEY:
        problems.append(
            Warning(
                "PRIMA_AUDIT_KEY is the same as PRIMA_SECRET_KEY.",
                hint="Give the audit trail a key of its own.",
                id="prima.W002",
            )
        )
    if key == settings.DEV_AUDIT_KEY:
        problems.append(
            Warning(
                "PRIMA_AUDIT_KEY is the public development key.",
                hint="Set PRIMA_AUDIT_KEY_FILE to a file holding a random key.",
                id="prima.W003",
            )
        )
    return problems
