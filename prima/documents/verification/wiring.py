"""How verification plugs into the conferences app (called from the documents app's
``ready()``): the pre-approval check, a check of every saved version, and the findings
panel beside a material's text."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.conferences import hooks
from prima.conferences.models import Conference, MaterialVersion

from . import services


def _version_saved(sender: Any, instance: MaterialVersion, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        services.on_version_saved(instance)


def findings_panel(
    conference: Conference, kind: str, version: MaterialVersion | None
) -> hooks.MaterialPanel | None:
    return hooks.MaterialPanel(
        code="verification",
        title=_("Automatic verification"),
        url=reverse("documents:verification-version", args=[version.pk]) if version else "",
        live_url=reverse("documents:verification-live", args=[conference.pk, kind]),
    )


def connect() -> None:
    hooks.register_pre_approval(services.VerificationCheck())
    hooks.register_material_panel(findings_panel)
    post_save.connect(_version_saved, sender=MaterialVersion, dispatch_uid="documents.verification")
