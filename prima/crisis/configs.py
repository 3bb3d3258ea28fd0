"""Versions of the crisis configuration: the current one, and saving a new one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from prima.organizations import audit, policy
from prima.organizations.models import User

from . import config
from .errors import InvalidInput
from .models import CrisisConfig

# What version 1 says it is (data, not interface text: written in the office's language).
DEFAULT_NOTE = "Konfigurasi bawaan PRIMA"


def current() -> CrisisConfig:
    """The newest version; version 1 (the shipped defaults) is created on first use."""
    latest = CrisisConfig.objects.order_by("-version").first()
    if latest is not None:
        return latest
    CrisisConfig.objects.bulk_create(
        [CrisisConfig(version=1, data=config.default_data(), note=DEFAULT_NOTE)],
        ignore_conflicts=True,
    )
    return CrisisConfig.objects.order_by("-version")[0]


def may_view(user: User) -> bool:
    return policy.can_anywhere(user, "crisisconfig.view")


def may_manage(user: User) -> bool:
    return policy.can_at_top(user, "crisisconfig.manage")


def save(actor: User, data: dict[str, Any], note: str = "") -> CrisisConfig:
    """Validate ``data`` and store it as the next version (audited). Raises
    :class:`InvalidInput` naming the problem; PermissionDenied for non-administrators."""
    if not may_manage(actor):
        raise PermissionDenied
    try:
        parsed = config.parse(data)
    except config.ConfigError as exc:
        raise InvalidInput(str(exc), field=exc.field or None) from None
    clean = parsed.to_data()
    base = current()
    if parsed == base.parsed:
        raise InvalidInput(_("Nothing changed: this is the current configuration."))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                number = (CrisisConfig.objects.aggregate(n=Max("version"))["n"] or 0) + 1
                saved = CrisisConfig.objects.create(
                    version=number, data=clean, note=(note or "").strip()[:300], created_by=actor
                )
                audit.log(
                    actor,
                    "crisisconfig.save",
                    saved,
                    before={"version": base.version},
                    after={"version": number, "note": saved.note},
                )
            return saved
        except IntegrityError:
            continue  # someone saved the same number at the same moment: take the next
    raise InvalidInput(_("Could not save the configuration; try again."))
