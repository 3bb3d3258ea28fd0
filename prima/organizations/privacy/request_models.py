"""The data-subject request: one person's request under UU No. 27/2022, tracked with its
legal deadline (services in ``privacy.requests``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office

from . import declarations as pdp
from .subjects import SubjectKind


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and copy (export)")
    CORRECTION = "correction", _("Correction")
    ERASURE = "erasure", _("Erasure")
    OBJECTION = "objection", _("Objection or end of processing")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class DataSubjectRequest(models.Model):
    """A data subject's request: who asked, how they were identified, what about, when it
    is due (``due_at``, see ``privacy.requests.DEADLINES``), who handled it and how it
    ended. ``result`` keeps what was done (counts per place), never the person's values;
    after an erasure the request's own personal fields are pseudonymised too."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.PERSONAL_DATA,
        purpose=_(
            "Answering data subjects' requests within the legal deadline and showing that they "
            "were answered."
        ),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(pdp.DataCategory.IDENTITY, pdp.DataCategory.CONTACT, pdp.DataCategory.MESSAGES),
        subjects=(
            pdp.Subject.JOURNALISTS,
            pdp.Subject.PUBLIC,
            pdp.Subject.AUTHORS,
            pdp.Subject.STAFF,
        ),
        fields=(
            "subject_query",
            "requester",
            "requester_contact",
            "identification",
            "details",
            "handled_by",
            "created_by",
        ),
        identifiers={
            pdp.Lookup.NAME: ("requester", "subject_query"),
            pdp.Lookup.USER: ("handled_by", "created_by"),
        },
        retention=pdp.Retention(
            pdp.Start.CREATED,
            days=5 * 365,
            purge="prima.organizations.privacy.request_models.purge_closed_requests",
            note=_(
                "Closed requests are deleted after five years; until then they show that the "
                "office answered in time."
            ),
        ),
        visible_to=("subjectrequest.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    subject_kind = models.CharField(
        _("the person is a"), max_length=20, choices=SubjectKind.choices
    )
    subject_query = models.CharField(
        _("identified as"),
        max_length=200,
        help_text=_(
            "Name, phone or e-mail of a journalist; reference of a portal submission; "
            "account handle; user name or e-mail of a staff member."
        ),
    )
    requester = models.CharField(_("requested by"), max_length=200)
    requester_contact = models.CharField(_("reply to"), max_length=200, blank=True)
    identification = models.CharField(
        _("identity checked by"),
        max_length=300,
        help_text=_("How the requester's identity was checked (e.g. KTP shown at the office)."),
    )
    details = models.TextField(_("details of the request"), blank=True)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    result = models.JSONField(_("what was done"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["office", "status", "due_at"])]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"PSD-{self.pk or 0:05d}"

    @property
    def pseudonym(self) -> str:
        """What replaces the person's name where a record must be kept."""
        return f"subjek-data-{self.pk or 0}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def purge_closed_requests(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Closed (completed or refused) requests received before ``limit_at``."""
    closed = DataSubjectRequest.objects.filter(received_at__lt=limit_at).exclude(
        status__in=OPEN_STATUSES
    )
    return closed.count() if dry_run else closed.delete()[0]
