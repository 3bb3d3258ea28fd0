"""The public portal's own records: what an office publishes, what it announces, its public
page, and what the public sends in.

- :class:`PortalProfile` — an office's public page: introduction and the PR unit's contact
  for journalists.
- :class:`Publication` — a release or statement (pointing at an approved conference
  material version: the text stays the one that was approved) or a positive story written
  here; public only while ``published``.
- :class:`Announcement` — a press conference staff chose to list on the public schedule.
- :class:`Inquiry` — a question, feedback or report of extortion/brokers from the public:
  a case for PR staff with a reference number; its personal data (name, phone, e-mail)
  is erased after ``PORTAL_PERSONAL_DATA_DAYS``.

The rules are in :mod:`prima.portal.services`; what the public may see is decided by the
``public()`` query sets here, in one place.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prima.catalogue.models import Service
from prima.conferences.models import Conference, MaterialVersion, Status
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp


class PortalProfile(models.Model):
    personal_data = pdp.PersonalData(
        activity=pdp.Activity.PUBLIC_CONTACT,
        purpose=_("Publishing the office's press contact on the public portal."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.CONTACT,
        ),
        subjects=(pdp.Subject.STAFF,),
        fields=(
            "press_contact_name",
            "press_contact_title",
            "press_phone",
            "press_whatsapp",
            "press_email",
        ),
        identifiers={
            pdp.Lookup.NAME: ("press_contact_name",),
            pdp.Lookup.PHONE: ("press_phone", "press_whatsapp"),
            pdp.Lookup.EMAIL: ("press_email",),
        },
        retention=pdp.Retention(pdp.Start.RECORD, note=_("Until another contact person is named.")),
        visible_to=("publication.view",),
    )

    office = models.OneToOneField(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="portal_profile"
    )
    introduction = models.TextField(_("introduction (Indonesian)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    press_contact_name = models.CharField(_("press contact"), max_length=200, blank=True)
    press_contact_title = models.CharField(_("title"), max_length=200, blank=True)
    press_phone = models.CharField(_("phone"), max_length=40, blank=True)
    press_whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True)
    press_email = models.EmailField(_("e-mail"), blank=True)
    press_hours = models.CharField(_("hours"), max_length=200, blank=True)
    report_channels = models.JSONField(
        _("where to report extortion or brokers"),
        default=list,
        blank=True,
        help_text=_("One channel per line, besides this portal's form (e.g. SP4N-LAPOR!)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return str(self.office)


class PublicationKind(models.TextChoices):
    RELEASE = "release", _("Press release")
    STATEMENT = "statement", _("Statement")
    STORY = "story", _("Good news")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("publication", "Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublicationQuerySet(models.QuerySet["Publication"]):
    def public(self) -> PublicationQuerySet:
        """What anyone may read: published, and for conference material an approved version
        of a real (not exercise) conference that was not cancelled."""
        return self.filter(state=PublicationState.PUBLISHED, office__is_active=True).filter(
            Q(material_version__isnull=True)
            | Q(
                material_version__approved_at__isnull=False,
                material_version__material__conference__is_exercise=False,
            )
        )


class Publication(models.Model):
    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who prepared, published or withdrew a publication."),
        ("created_by", "published_by", "withdrawn_by"),
        visible_to=("publication.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="publications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PublicationKind.choices)
    slug = models.SlugField(_("address"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences."))
    body = models.TextField(_("text"), blank=True)
    material_version = models.ForeignKey(
        MaterialVersion,
        verbose_name=_("conference material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("prepared"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="portal_publication_slug")
        ]
        indexes = [
            models.Index(fields=["office", "state", "published_at"], name="portal_pub_office")
        ]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        """The text the public reads: the approved material's, or the story's own."""
        if self.material_version_id is not None:
            return self.material_version.body if self.material_version else ""
        return self.body

    @property
    def is_public(self) -> bool:
        return Publication.objects.public().filter(pk=self.pk).exists()


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def public(self, now: datetime | None = None) -> AnnouncementQuerySet:
        """Listed, of an active real conference scheduled from now on."""
        return self.filter(
            is_listed=True,
            office__is_active=True,
            conference__is_exercise=False,
            conference__status=Status.ACTIVE,
            conference__scheduled_at__gte=now or timezone.now(),
        )


class Announcement(models.Model):
    """A press conference on the public schedule, with a title written for the public (the
    conference's own title may be internal)."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who announced a conference on the public schedule."),
        ("created_by",),
        visible_to=("publication.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    conference = models.OneToOneField(
        Conference,
        verbose_name=_("press conference"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("public title"), max_length=300)
    note = models.TextField(_("note for journalists"), blank=True)
    is_listed = models.BooleanField(_("on the public schedule"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["conference__scheduled_at"]
        verbose_name = _("announced press conference")
        verbose_name_plural = _("announced press conferences")

    def __str__(self) -> str:
        return self.title


class InquiryKind(models.TextChoices):
    QUESTION = "question", _("Question")
    FEEDBACK = "feedback", _("Feedback or suggestion")
    EXTORTION = "extortion", _("Report of extortion (pungli)")
    BROKER = "broker", _("Report of a broker (calo)")


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# Fields that hold personal data: erased after PORTAL_PERSONAL_DATA_DAYS, never in the
# audit trail, shown only to staff of the office (inquiry.personal).
PERSONAL_FIELDS = ("name", "phone", "email")


class Inquiry(models.Model):
    personal_data = pdp.PersonalData(
        activity=pdp.Activity.PUBLIC_SUBMISSIONS,
        purpose=_(
            "Answering questions and following up reports (e.g. of brokers) from the public."
        ),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.CONTACT,
            pdp.DataCategory.CONTENT,
            pdp.DataCategory.ONLINE_ID,
        ),
        subjects=(pdp.Subject.PUBLIC,),
        fields=("name", "phone", "email", "message", "client_hash"),
        identifiers={
            pdp.Lookup.REFERENCE: ("reference",),
            pdp.Lookup.NAME: ("name",),
            pdp.Lookup.PHONE: ("phone",),
            pdp.Lookup.EMAIL: ("email",),
        },
        retention=pdp.Retention(
            pdp.Start.SUBMITTED,
            days=90,
            setting="PORTAL_PERSONAL_DATA_DAYS",
            purge="prima.portal.services.erase_personal_data_before",
            note=_(
                "Name, phone and e-mail are erased; the question and its answer stay without "
                "them. The hashed network address is erased after a day."
            ),
        ),
        visible_to=("inquiry.personal",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InquiryKind.choices)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    submitted_at = models.DateTimeField(_("received"), default=timezone.now)
    # A keyed hash of the sender's address, for rate limits only; erased after a day.
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    answer = models.TextField(_("public answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Handed over to media monitoring (the mention's id: a plain number, no foreign key).
    forwarded_at = models.DateTimeField(null=True, blank=True, editable=False)
    mention_id = models.BigIntegerField(null=True, blank=True, editable=False)
    personal_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    audit_exclude = (*PERSONAL_FIELDS, "client_hash", "message")

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["office", "status", "submitted_at"], name="portal_inquiry_case"),
            models.Index(fields=["client_hash", "submitted_at"], name="portal_inquiry_client"),
            models.Index(fields=["forwarded_at"], name="portal_inquiry_forward"),
        ]
        verbose_name = _("public question or report")
        verbose_name_plural = _("public questions and reports")

    def __str__(self) -> str:
        return self.reference

    @property
    def has_personal_data(self) -> bool:
        return any(getattr(self, name) for name in PERSONAL_FIELDS)


class PortalSchedulerState(models.Model):
    """The single row that keeps the portal's periodic work (forwarding, erasure) to one
    chain of tasks (advanced with a conditional UPDATE)."""

    personal_data = pdp.NO_PERSONAL_DATA

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_tick_at = models.DateTimeField(null=True, blank=True)
    last_tick_at = models.DateTimeField(null=True, blank=True)
