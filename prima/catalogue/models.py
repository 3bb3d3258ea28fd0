"""The service catalogue: each public service of an office and its versions.

A :class:`Service` is the stable identity (office, code, category). Everything the public
is told about it lives in a :class:`ServiceVersion`: the components of the public-service
standard (Permenpan-RB No. 15/2014) — requirements, numbered procedure, completion time,
fees with their legal basis, product, complaint channels, rights and obligations — with
the date from which it applies (``effective_from``, "berlaku sejak").

Fees (:class:`Fee`) and the completion time are structured (amount, currency, unit;
value and unit), so that other apps can check a statement against them. A version is
written as a draft, submitted, and published only by a second person (never one who
wrote it); a published version is never changed again: a change is a new version. Which
version applies on a day is the published one with the latest ``effective_from`` on or
before that day. The rules live in :mod:`prima.catalogue.services`; nothing here enforces
a transition.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from prima.lib import money, numbers
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp


class Category(models.TextChoices):
    PASSPORT = "passport", _("Passports")
    VISA = "visa", _("Visas")
    STAY_PERMIT = "stay_permit", _("Stay permits")
    RE_ENTRY = "re_entry", _("Exit and re-entry permits")
    OTHER = "other", _("Other services")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", pgettext_lazy("service version", "Published")
    DISCARDED = "discarded", _("Discarded")


# States in which the text may still change (by its writers).
EDITABLE_STATES = (VersionState.DRAFT, VersionState.RETURNED)
# States of work in progress: at most one per service.
OPEN_STATES = (VersionState.DRAFT, VersionState.SUBMITTED, VersionState.RETURNED)


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("calendar days")


# How a duration reads in each language: (singular, plural); Indonesian has no plural.
DURATION_WORDS = {
    DurationUnit.MINUTES: {"id": ("menit", "menit"), "en": ("minute", "minutes")},
    DurationUnit.HOURS: {"id": ("jam", "jam"), "en": ("hour", "hours")},
    DurationUnit.WORKING_DAYS: {
        "id": ("hari kerja", "hari kerja"),
        "en": ("working day", "working days"),
    },
    DurationUnit.DAYS: {"id": ("hari", "hari"), "en": ("day", "days")},
}


class FeeUnit(models.TextChoices):
    DOCUMENT = "document", _("per document")
    PERSON = "person", _("per person")
    APPLICATION = "application", _("per application")
    PERMIT = "permit", _("per permit")


FEE_UNIT_WORDS = {
    FeeUnit.DOCUMENT: {"id": "per dokumen", "en": "per document"},
    FeeUnit.PERSON: {"id": "per orang", "en": "per person"},
    FeeUnit.APPLICATION: {"id": "per permohonan", "en": "per application"},
    FeeUnit.PERMIT: {"id": "per izin", "en": "per permit"},
}


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def format_duration(value: int, unit: str, lang: str = "id") -> str:
    """ "4 (empat) hari kerja" / "4 (four) working days"; "15 menit" for minutes and
    hours (official texts spell out days only)."""
    singular, plural = DURATION_WORDS[DurationUnit(unit)][lang]
    word = singular if value == 1 else plural
    if unit in (DurationUnit.WORKING_DAYS, DurationUnit.DAYS):
        return f"{value} ({numbers.words(value, lang)}) {word}"
    return f"{value} {word}"


def format_amount(amount: Decimal | int, currency: str) -> str:
    """ "Rp 350.000" for rupiah; "USD 35" (Indonesian separators) for others."""
    if currency == "IDR":
        return money.format_rupiah(amount)
    decimals = 0 if Decimal(amount) == Decimal(amount).to_integral_value() else 2
    return f"{currency} {money.format_number(amount, decimals)}"


class Service(models.Model):
    """One public service of an office; its content is in its versions."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who added a service to the catalogue."),
        ("created_by",),
        visible_to=("service.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(
        _("code"),
        max_length=80,
        help_text=_("Short name in the page address, e.g. paspor-biasa."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="catalogue_service_code")
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.code


class ServiceVersion(models.Model):
    """What the public is told about a service from ``effective_from`` on.

    Lists (requirements, procedure steps, complaint channels, rights, obligations) are
    JSON lists of strings, in Indonesian; the ``*_en`` fields hold an optional English
    text (shown in English where given). ``contributors`` are the ids of everyone who
    wrote this version: none of them may publish it.
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.STAFF_WORK,
        purpose=_("Who wrote, returned and published a version of a service's information."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(pdp.DataCategory.ACTIVITY,),
        subjects=(pdp.Subject.STAFF,),
        fields=("author", "submitted_by", "returned_by", "published_by", "contributors"),
        identifiers={pdp.Lookup.USER: ("author", "submitted_by", "returned_by", "published_by")},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("service.view",),
        office="service__office",
    )

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    effective_from = models.DateField(_("in force from"))
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary (Indonesian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    requirements_en = models.JSONField(_("requirements (English)"), default=list, blank=True)
    procedure = models.JSONField(_("procedure"), default=list, blank=True)
    procedure_en = models.JSONField(_("procedure (English)"), default=list, blank=True)
    duration_value = models.PositiveIntegerField(_("completion time"))
    duration_unit = models.CharField(
        _("unit of the completion time"), max_length=20, choices=DurationUnit.choices
    )
    duration_note = models.CharField(
        _("note on the completion time"),
        max_length=300,
        blank=True,
        help_text=_("e.g. counted from the interview and photo session"),
    )
    legal_basis = models.CharField(
        _("legal basis of the fees"),
        max_length=300,
        help_text=_("e.g. PP No. 45 Tahun 2024"),
    )
    product = models.CharField(_("product (Indonesian)"), max_length=300)
    product_en = models.CharField(_("product (English)"), max_length=300, blank=True)
    complaint_channels = models.JSONField(_("complaint channels"), default=list, blank=True)
    rights = models.JSONField(_("rights of the applicant"), default=list, blank=True)
    rights_en = models.JSONField(_("rights (English)"), default=list, blank=True)
    obligations = models.JSONField(_("obligations of the applicant"), default=list, blank=True)
    obligations_en = models.JSONField(_("obligations (English)"), default=list, blank=True)
    change_note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("Shown in the public history, e.g. new fees under PP No. 45 Tahun 2024."),
    )
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Demo data: published figures that the office must verify."),
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contributors = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved and published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="catalogue_version_number"),
            # Two published versions never apply from the same day.
            models.UniqueConstraint(
                fields=["service", "effective_from"],
                condition=models.Q(state="published"),
                name="catalogue_version_published_day",
            ),
        ]
        indexes = [
            models.Index(
                fields=["service", "state", "effective_from"], name="catalogue_version_force"
            )
        ]
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def office(self) -> Office:
        return self.service.office

    @property
    def is_published(self) -> bool:
        return self.state == VersionState.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def in_force_on(self, day: date) -> bool:
        """Published and applying from ``day`` or earlier (a later version may have
        replaced it since: see :func:`prima.catalogue.services.version_in_force`)."""
        return self.is_published and self.effective_from <= day

    # Reading in the active language -------------------------------------------------
    def _pick(self, field: str) -> Any:
        value = getattr(self, field)
        if _lang() == "en":
            english = getattr(self, f"{field}_en", None)
            if english:
                return english
        return value

    @property
    def display_name(self) -> str:
        return str(self._pick("name"))

    @property
    def display_summary(self) -> str:
        return str(self._pick("summary"))

    @property
    def display_requirements(self) -> list[str]:
        return list(self._pick("requirements"))

    @property
    def display_procedure(self) -> list[str]:
        return list(self._pick("procedure"))

    @property
    def display_product(self) -> str:
        return str(self._pick("product"))

    @property
    def display_rights(self) -> list[str]:
        return list(self._pick("rights"))

    @property
    def display_obligations(self) -> list[str]:
        return list(self._pick("obligations"))

    @property
    def headline_fees(self) -> list[Fee]:
        """The fees to name first: those not paid on top of another (all of them when every
        fee is a surcharge). No query when the fees are prefetched."""
        fees = list(self.fees.all())
        main = [fee for fee in fees if not fee.is_surcharge]
        return main or fees

    @property
    def duration_text(self) -> str:
        """ "4 (empat) hari kerja" in the active language."""
        return format_duration(self.duration_value, self.duration_unit, _lang())


class Fee(models.Model):
    """One official fee of a version: ``amount`` in ``currency`` ``unit`` (per document,
    per person…), with its legal basis (the version's when left empty).

    ``code`` names the fee stably across versions (e.g. ``biasa-5-tahun``), so that the
    history of one fee can be followed. ``is_surcharge`` marks an optional amount paid on
    top of another (e.g. the same-day service).
    """

    personal_data = pdp.NO_PERSONAL_DATA

    version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="fees")
    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    unit = models.CharField(
        _("unit"), max_length=20, choices=FeeUnit.choices, default=FeeUnit.DOCUMENT
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_surcharge = models.BooleanField(_("paid on top of another fee"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogue_fee_code")
        ]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return f"{self.label}: {self.amount_text}"

    @property
    def office(self) -> Office:
        return self.version.service.office

    @property
    def amount_text(self) -> str:
        """ "Rp 350.000"."""
        return format_amount(self.amount, self.currency)

    @property
    def unit_text(self) -> str:
        return FEE_UNIT_WORDS[FeeUnit(self.unit)][_lang()]

    @property
    def display_label(self) -> str:
        return self.label_en if _lang() == "en" and self.label_en else self.label

    @property
    def basis(self) -> str:
        """The fee's legal basis (the version's when the fee names none)."""
        return self.legal_basis or self.version.legal_basis
