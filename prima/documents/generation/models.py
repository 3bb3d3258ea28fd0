"""Stored state of document generation: each office's letterhead, and every generated
file (never overwritten: regenerating makes a new row)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.conferences.models import Conference, MaterialKind
from prima.crisis.models import Case
from prima.organizations.files import PrivateUploadTo
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp


class EndMarkChoice(models.TextChoices):
    SELESAI = "-selesai-", "-selesai-"
    HASHES = "###", "###"
    STARS = "***", "***"


class Letterhead(models.Model):
    """How an office's documents are headed and signed off (configured in the admin)."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.PUBLIC_CONTACT,
        purpose=_("Naming the press contact on the office's documents."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.CONTACT,
        ),
        subjects=(pdp.Subject.STAFF,),
        fields=("contact_name", "contact_title", "contact_phone", "contact_email"),
        identifiers={
            pdp.Lookup.NAME: ("contact_name",),
            pdp.Lookup.PHONE: ("contact_phone",),
            pdp.Lookup.EMAIL: ("contact_email",),
        },
        retention=pdp.Retention(pdp.Start.RECORD, note=_("Until another contact person is named.")),
        visible_to=("document.view",),
    )

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, related_name="letterhead", verbose_name=_("office")
    )
    logo = models.FileField(
        _("logo"),
        upload_to=PrivateUploadTo("documents/letterheads"),
        blank=True,
        max_length=255,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("PNG or JPEG, shown at the left of the letterhead."),
    )
    parent_name = models.CharField(
        _("line above the name"),
        max_length=300,
        blank=True,
        help_text=_("e.g. the ministry and directorate general, one line"),
    )
    name = models.CharField(
        _("name on the letterhead"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the office's name."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    city = models.CharField(
        _("dateline city"),
        max_length=100,
        blank=True,
        help_text=_("The place in a release's dateline; empty: the office's city."),
    )
    about = models.TextField(
        _("about the office (Indonesian)"),
        blank=True,
        help_text=_("The background paragraph at the end of a press release."),
    )
    about_en = models.TextField(_("about the office (English)"), blank=True)
    contact_name = models.CharField(_("press contact"), max_length=200, blank=True)
    contact_title = models.CharField(_("press contact's title"), max_length=200, blank=True)
    contact_phone = models.CharField(_("press contact's phone"), max_length=60, blank=True)
    contact_email = models.EmailField(_("press contact's e-mail"), blank=True)
    end_mark = models.CharField(
        _("end mark"),
        max_length=12,
        choices=EndMarkChoice.choices,
        default=EndMarkChoice.SELESAI,
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = ("logo", "updated_at")

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return self.name or self.office.name


class DocumentKind(models.TextChoices):
    PRESS_RELEASE = "press_release", _("Press release")
    HOLDING_STATEMENT = "holding_statement", _("Holding statement")
    KEY_MESSAGES = "key_messages", _("Key messages")
    QA = "qa", _("Questions and answers")
    INVITATION = "invitation", _("Media invitation")
    RUNDOWN = "rundown", _("Run-down")
    ATTENDANCE = "attendance", _("Attendance list")
    QUESTION_LOG = "question_log", _("Question log")
    EVALUATION = "evaluation", _("Post-event evaluation report")
    MEDIA_ANALYSIS = "media_analysis", _("Media analysis report")
    CRISIS_LOG = "crisis_log", _("Crisis log")
    INDICATORS = "indicators", _("Monthly indicator report")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class Language(models.TextChoices):
    ID = "id", _("Indonesian")
    EN = "en", _("English")


class GenerationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedDocument(models.Model):
    """One generated file. Rows are never updated once done and files never replaced:
    what was sent can always be shown, with the material versions it came from."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.DOCUMENTS,
        purpose=_(
            "Documents generated from conference and crisis records (press kits, reports), "
            "and who asked for them."
        ),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.PROFESSIONAL,
            pdp.DataCategory.ACTIVITY,
        ),
        subjects=(
            pdp.Subject.STAFF,
            pdp.Subject.SPOKESPEOPLE,
            pdp.Subject.JOURNALISTS,
        ),
        fields=("created_by", "file"),
        identifiers={pdp.Lookup.USER: ("created_by",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("document.view",),
    )

    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="generated_documents",
        verbose_name=_("office"),
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    conference = models.ForeignKey(
        Conference,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("press conference"),
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("crisis case"),
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ID
    )
    format = models.CharField(_("format"), max_length=5, choices=DocumentFormat.choices)
    # 1, 2, 3 … for the same document of the same source, language and format.
    number = models.PositiveIntegerField(_("version"), default=1)
    # What it was made from: {"statement": 3, "key_messages": 2} (material kind → version
    # number), or the content's own origin when a higher app handed the content in.
    source_versions = models.JSONField(_("made from"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GenerationStatus.choices,
        default=GenerationStatus.PENDING,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(
        _("file"), upload_to=PrivateUploadTo("documents/generated"), blank=True, max_length=255
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    audit_exclude = ("file",)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["office", "kind", "created_at"])]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number} ({self.format.upper()})"

    @property
    def is_done(self) -> bool:
        return self.status == GenerationStatus.DONE

    @property
    def is_working(self) -> bool:
        return self.status in (GenerationStatus.PENDING, GenerationStatus.RUNNING)

    @property
    def made_from(self) -> list[str]:
        """What the document was made from, in words ("Key messages v2", …)."""
        labels = dict(MaterialKind.choices)
        return [
            f"{labels[kind]} v{number}"
            for kind, number in (self.source_versions or {}).items()
            if kind in labels
        ]

    @property
    def filename(self) -> str:
        """The name the download gets: kind, source, version, language."""
        source = (
            f"konferensi-{self.conference_id}"
            if self.conference_id
            else f"kasus-{self.case_id}"
            if self.case_id
            else f"{self.period_from:%Y%m%d}-{self.period_to:%Y%m%d}"
            if self.period_from
            else "dokumen"
        )
        return (
            f"{self.kind.replace('_', '-')}-{source}-v{self.number}-{self.language}.{self.format}"
        )


class EnglishText(models.Model):
    """The English text an author gave for one material version (for bilingual documents).
    Tied to the version: a new version needs its own English text."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who wrote the English text of material."),
        ("author",),
        visible_to=("material.view",),
        office="version__material__conference__office",
    )

    version = models.OneToOneField(
        "conferences.MaterialVersion",
        on_delete=models.CASCADE,
        related_name="english_text",
        verbose_name=_("material version"),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    # Same shape as the version's items: ["point", …] or [{"question":…, "answer":…}, …].
    items = models.JSONField(_("items"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("English text")
        verbose_name_plural = _("English texts")

    def __str__(self) -> str:
        return f"EN · {self.version}"

    @property
    def office(self) -> Office:
        return self.version.office
