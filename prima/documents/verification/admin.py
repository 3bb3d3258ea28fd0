"""Admin: read-only views of verification runs and of the waivers approvers recorded
(nothing is changed here: a run is recomputed by the check, a waiver is part of an
approval)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prima.catalogue.admin import ReadOnlyMixin
from prima.organizations.admin import PolicyAdmin

from .models import Verification, Waiver

OFFICE = "version__material__conference__office"


class _ReadOnly(ReadOnlyMixin, PolicyAdmin[Any]):
    policy_action = "material.view"
    office_field = OFFICE


@admin.register(Verification)
class VerificationAdmin(_ReadOnly):
    list_display = ["version", "checked_at", "errors", "warnings", "notes"]
    list_filter = ["errors"]
    date_hierarchy = "checked_at"
    readonly_fields = ["version", "fingerprint", "checked_at", "errors", "warnings", "notes",
                       "findings"]  # fmt: skip
    list_select_related = ["version__material__conference"]


@admin.register(Waiver)
class WaiverAdmin(_ReadOnly):
    list_display = ["version", "waived_by", "waived_at", "short_reason"]
    date_hierarchy = "waived_at"
    readonly_fields = ["verification", "version", "reason", "waived_by", "waived_at", "findings"]
    list_select_related = ["version__material__conference", "waived_by"]

    @admin.display(description=_("reason"))
    def short_reason(self, obj: Waiver) -> str:
        return obj.reason[:80]
