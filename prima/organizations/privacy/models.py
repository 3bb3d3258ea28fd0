"""Models of the personal-data package (registered in the organizations app, re-exported
by ``prima.organizations.models``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Office, User
from . import declarations as pdp


class RetentionSchedulerState(models.Model):
    """The single row that keeps one retention chain alive (see :mod:`.tasks`)."""

    personal_data = pdp.NO_PERSONAL_DATA

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_tick_at = models.DateTimeField(null=True, blank=True)
    last_tick_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "organizations"


# Notification within 3 x 24 hours of discovery (UU No. 27/2022 Ps. 46 ayat (1)).
NOTIFY_WITHIN = timedelta(hours=72)


class Breach(models.Model):
    """A suspected failure of personal-data protection (*kegagalan pelindungan data
    pribadi*) and its notification to the data subjects and the supervising authority
    within 3 x 24 hours of its discovery (Ps. 46)."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.PERSONAL_DATA,
        purpose=_(
            "Recording personal-data breaches and notifying the people affected and the "
            "supervising authority (Art. 46)."
        ),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(pdp.DataCategory.ACTIVITY, pdp.DataCategory.CONTENT),
        subjects=(pdp.Subject.STAFF, pdp.Subject.AFFECTED),
        fields=(
            "reported_by",
            "description",
            "notice_subjects",
            "subjects_notified_by",
            "authority_notified_by",
            "closed_by",
        ),
        identifiers={
            pdp.Lookup.USER: (
                "reported_by",
                "subjects_notified_by",
                "authority_notified_by",
                "closed_by",
            )
        },
        retention=pdp.Retention(
            pdp.Start.KEPT,
            note=_("Kept as the office's evidence of the breach and of its notification."),
        ),
        visible_to=("breach.view",),
    )

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    title = models.CharField(_("title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered"))
    occurred_at = models.DateTimeField(_("happened (if known)"), null=True, blank=True)
    description = models.TextField(
        _("what happened"), help_text=_("How the data was exposed, by whom, through what.")
    )
    records = models.JSONField(_("kinds of record affected"), default=list, blank=True)
    data_categories = models.JSONField(_("personal data affected"), default=list, blank=True)
    subjects = models.JSONField(_("data subjects affected"), default=list, blank=True)
    systems = models.CharField(
        _("other systems affected"),
        max_length=300,
        blank=True,
        help_text=_("e.g. a laptop, a backup disk, a WhatsApp group"),
    )
    estimated_people = models.PositiveIntegerField(
        _("estimated number of people affected"), null=True, blank=True
    )
    consequences = models.TextField(_("likely consequences for the people affected"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    contact = models.TextField(
        _("contact for questions"),
        blank=True,
        help_text=_("Who the people affected can ask: the data-protection officer."),
    )
    notice_subjects = models.TextField(_("notification to the people affected"), blank=True)
    notice_authority = models.TextField(_("notification to the supervising authority"), blank=True)
    subjects_notified_at = models.DateTimeField(
        _("people affected notified"), null=True, blank=True
    )
    subjects_notified_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("people affected notified by"),
    )
    authority_notified_at = models.DateTimeField(_("authority notified"), null=True, blank=True)
    authority_notified_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("authority notified by"),
    )
    reported_by = models.ForeignKey(
        User,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        app_label = "organizations"
        ordering = ["-discovered_at", "-pk"]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> datetime:
        """Notifications are due 3 x 24 hours after discovery."""
        return self.discovered_at + NOTIFY_WITHIN

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
