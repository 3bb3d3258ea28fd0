"""What verification stored: the findings of each check of a material version, and the
waivers approvers recorded to approve despite errors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.conferences.models import Conference, MaterialVersion
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp


class Verification(models.Model):
    """One run of the automatic verification of a material version, against the facts as
    they were then (``fingerprint`` identifies the draft, the facts and the engine). A run
    is never changed: when the facts change, the next check adds a new run."""

    personal_data = pdp.NO_PERSONAL_DATA

    version = models.ForeignKey(
        MaterialVersion,
        verbose_name=_("material version"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    fingerprint = models.CharField(max_length=64, db_index=True)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    notes = models.PositiveIntegerField(_("notes"), default=0)
    # Finding.as_dict() of each finding, errors first.
    findings = models.JSONField(_("findings"), default=list)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "fingerprint"], name="unique_verification_run"
            )
        ]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self) -> str:
        return f"{self.version} · {self.checked_at:%Y-%m-%d %H:%M}"

    @property
    def conference(self) -> Conference:
        return self.version.material.conference

    @property
    def office(self) -> Office:
        return self.version.material.conference.office

    def error_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("severity") == "error"]


class Waiver(models.Model):
    """An approver's reasoned decision to approve a version despite the errors that
    verification found (written in the approval's transaction, audited)."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who waived a verification finding, and why."),
        ("waived_by",),
        visible_to=("material.view",),
        office="version__material__conference__office",
    )

    verification = models.ForeignKey(
        Verification,
        verbose_name=_("verification"),
        on_delete=models.PROTECT,
        related_name="waivers",
    )
    version = models.ForeignKey(
        MaterialVersion,
        verbose_name=_("material version"),
        on_delete=models.CASCADE,
        related_name="waivers",
    )
    reason = models.TextField(_("reason"))
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived_at = models.DateTimeField(_("time"), default=timezone.now)
    # The errors waived, as they were shown to the approver.
    findings = models.JSONField(_("errors waived"), default=list)

    class Meta:
        ordering = ["-waived_at", "-pk"]
        verbose_name = _("verification waiver")
        verbose_name_plural = _("verification waivers")

    def __str__(self) -> str:
        return f"{self.version} · {self.waived_by}"

    @property
    def office(self) -> Office:
        return self.version.material.conference.office
