"""Office registers and configuration: checklist templates, media contacts,
spokespeople, delegations of rights."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp

from .choices import (
    ConferenceType,
    DelegatedRight,
    EvidenceKind,
    IssueLevel,
    MediaType,
    Stage,
    Topic,
)


# --- Checklist templates ----------------------------------------------------------------
class ChecklistTemplate(models.Model):
    """A versioned default checklist for one conference type.

    ``office`` empty = the national standard; an office (or regional office) may have its
    own variation, which wins for conferences in its sub-tree. A template that a
    conference was created from is never edited: a new version is made instead.
    """

    personal_data = pdp.NoPersonalData(reason=_("The name is the checklist's name."))

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklist_templates",
        help_text=_("Empty: the national standard. An office: a local variation."),
    )
    conference_type = models.CharField(
        _("conference type"), max_length=20, choices=ConferenceType.choices
    )
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("e.g. data file version, or the template it copies"),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("New conferences use the highest active version."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["conference_type", "office_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "conference_type", "version"],
                condition=Q(office__isnull=False),
                name="unique_office_template_version",
            ),
            models.UniqueConstraint(
                fields=["conference_type", "version"],
                condition=Q(office__isnull=True),
                name="unique_national_template_version",
            ),
        ]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self) -> str:
        where = self.office.short_name if self.office is not None else _("national")
        return f"{self.name} v{self.version} ({where})"

    @property
    def is_in_use(self) -> bool:
        """True once a conference was created from it (one query)."""
        return self.conferences.exists()


class ChecklistTemplateItem(models.Model):
    personal_data = pdp.NO_PERSONAL_DATA

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("template"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices[:-1])
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label (English)"), max_length=300)
    label_id = models.CharField(_("label (Indonesian)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    evidence_kind = models.CharField(
        _("evidence"), max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.NOTE
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="unique_template_item_code")
        ]
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    @property
    def office(self) -> Office | None:
        return self.template.office


# --- Registers per office ---------------------------------------------------------------
class MediaContact(models.Model):
    """A journalist in the office's media-contacts register (personal data: keep current)."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MEDIA_RELATIONS,
        purpose=_("Inviting journalists to conferences and sending them releases."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.CONTACT,
            pdp.DataCategory.PROFESSIONAL,
        ),
        subjects=(pdp.Subject.JOURNALISTS,),
        fields=("journalist", "phone", "email", "outlet", "beat", "notes", "last_contact_on"),
        identifiers={
            pdp.Lookup.NAME: ("journalist",),
            pdp.Lookup.PHONE: ("phone",),
            pdp.Lookup.EMAIL: ("email",),
        },
        retention=pdp.Retention(
            pdp.Start.LAST_USED,
            days=730,
            setting="PDP_MEDIA_CONTACT_DAYS",
            purge="prima.conferences.retention.apply_media_contacts",
            note=_(
                "A contact nobody has used for the period is deleted, or only its name and "
                "outlet kept where past conference records name it."
            ),
        ),
        visible_to=("mediacontact.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="media_contacts"
    )
    outlet = models.CharField(_("outlet"), max_length=200)
    media_type = models.CharField(
        _("media type"), max_length=20, choices=MediaType.choices, default=MediaType.ONLINE
    )
    journalist = models.CharField(_("journalist"), max_length=200)
    beat = models.CharField(
        _("beat"),
        max_length=200,
        blank=True,
        help_text=_("e.g. law and crime, aviation, public services"),
    )
    phone = models.CharField(_("phone / WhatsApp"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    dewan_pers_verified = models.BooleanField(
        _("outlet verified by Dewan Pers"),
        default=False,
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["outlet", "journalist"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self) -> str:
        return f"{self.journalist} ({self.outlet})"


class Spokesperson(models.Model):
    """An official spokesperson (juru bicara) appointed by decree for an office."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.SPOKESPEOPLE,
        purpose=_(
            "Knowing who is appointed to speak for the office, on which topics and until when."
        ),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.PROFESSIONAL,
        ),
        subjects=(
            pdp.Subject.SPOKESPEOPLE,
            pdp.Subject.STAFF,
        ),
        fields=(
            "user",
            "name",
            "position",
            "decree_number",
            "decree_date",
            "last_media_training_on",
            "notes",
        ),
        identifiers={pdp.Lookup.USER: ("user",), pdp.Lookup.NAME: ("name",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("spokesperson.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="spokespeople"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spokesperson_entries",
        help_text=_("Empty for a spokesperson without a PRIMA account."),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Filled from the user when empty.")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    decree_number = models.CharField(_("decree number (Surat Keputusan)"), max_length=120)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until revoked.")
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    levels = models.JSONField(_("issue levels"), default=list, blank=True)
    last_media_training_on = models.DateField(_("last media training"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("spokesperson")
        verbose_name_plural = _("spokespeople")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return str(self.user) if self.user_id else "?"

    def is_valid_on(self, day: date) -> bool:
        return (
            self.is_active
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def covers(self, topic: str, level: int) -> bool:
        return topic in (self.topics or []) and level in (self.levels or [])

    def get_topics_display(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics or [] if t in Topic.values]

    def get_levels_display(self) -> list[str]:
        return [str(IssueLevel(v).label) for v in self.levels or [] if v in IssueLevel.values]


class Delegation(models.Model):
    """The head of office hands a right (e.g. approving material) to someone for a period."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who may approve material on the head of office's behalf, and who granted it."),
        ("delegate", "granted_by"),
        visible_to=("delegation.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="delegations"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    right = models.CharField(
        _("right"),
        max_length=40,
        choices=DelegatedRight.choices,
        default=DelegatedRight.APPROVE_MATERIAL,
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("e.g. head of office on official travel"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations_granted",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.get_right_display()} → {self.delegate} ({self.office.short_name})"

    def is_active_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.valid_from <= moment <= self.valid_until
