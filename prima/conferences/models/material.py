"""Material verification and spokesperson appointment: material with immutable
versions, appointments and briefings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp

from .choices import (
    BriefingKind,
    MaterialKind,
    MaterialState,
)
from .conference import (
    Conference,
    ConferencePart,
)
from .registers import (
    Spokesperson,
)


# --- Material ---------------------------------------------------------------------------
class Material(ConferencePart):
    """One piece of conference material; its text lives in immutable versions.

    ``state`` is about the current version: editing creates a new version in draft, which
    voids any approval of the previous one.
    """

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who submitted material for approval."),
        ("submitted_by",),
        visible_to=("material.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=MaterialState.choices, default=MaterialState.DRAFT
    )
    current = models.ForeignKey(
        "MaterialVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["conference", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="unique_material_kind")
        ]
        verbose_name = _("material")
        verbose_name_plural = _("material")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.conference}"

    @property
    def is_approved(self) -> bool:
        return self.state == MaterialState.APPROVED

    def approved_before(self, number: int) -> MaterialVersion | None:
        """The last approved version older than version ``number`` (one query)."""
        return (
            self.versions.filter(approved_at__isnull=False, number__lt=number)
            .select_related("approved_by")
            .order_by("-number")
            .first()
        )

    def author_ids(self) -> set[int]:
        """Everyone who wrote any version (one query)."""
        # No ORDER BY: the default ordering joins the material and the conference.
        return set(self.versions.order_by().values_list("author_id", flat=True))


class MaterialVersion(models.Model):
    """An immutable text of a material. Approval is recorded on the version approved."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who wrote, approved or returned a version of the material."),
        ("author", "approved_by", "returned_by"),
        visible_to=("material.view",),
        office="material__conference__office",
    )

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    # Key messages: ["point", …] (at most three); Q&A: [{"question": …, "answer": …}, …].
    items = models.JSONField(_("items"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="unique_material_version")
        ]
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")

    def __str__(self) -> str:
        return f"{self.material.get_kind_display()} v{self.number}"

    @property
    def office(self) -> Office:
        return self.material.conference.office

    def as_text(self) -> str:
        """The whole version as plain text (title, text, numbered key messages, questions
        with their answers), in the active language: what a reviewer reads and compares."""
        parts = []
        if self.title:
            parts.append(self.title)
        if self.body:
            parts.append(self.body)
        points = [p for p in self.items or [] if isinstance(p, str)]
        if points:
            parts.append("\n".join(f"{i}. {p}" for i, p in enumerate(points, start=1)))
        for pair in self.items or []:
            if isinstance(pair, dict):
                parts.append(
                    f"{_('Question')}: {pair.get('question', '')}\n"
                    f"{_('Answer')}: {pair.get('answer', '')}"
                )
        return "\n\n".join(parts)

    # Spoken pace of the PRIMA guide: one double-spaced page (~250 words) ≈ 2.5 minutes.
    WORDS_PER_MINUTE = 100

    @property
    def words(self) -> int:
        """Words in the text and in key messages / Q&A items (both question and answer)."""
        words = len(self.body.split())
        for item in self.items or []:
            if isinstance(item, str):
                words += len(item.split())
            elif isinstance(item, dict):
                words += sum(len(str(v).split()) for v in item.values())
        return words

    @property
    def reading_seconds(self) -> int:
        """Approximate time to read the text aloud, in seconds."""
        return round(self.words * 60 / self.WORDS_PER_MINUTE)

    @property
    def reading_time(self) -> str:
        """ "About 2 minutes to read aloud", as people say it: under a minute, half
        minutes up to three minutes, whole minutes beyond."""
        seconds = self.reading_seconds
        if seconds < 45:
            return str(_("Less than a minute to read aloud."))
        minutes = seconds / 60
        if minutes < 3:
            halves = max(2, round(minutes * 2))
            whole, half = divmod(halves, 2)
            if half:
                return str(
                    ngettext(
                        "About %(n)d and a half minutes to read aloud.",
                        "About %(n)d and a half minutes to read aloud.",
                        whole,
                    )
                    % {"n": whole}
                )
            return str(
                ngettext(
                    "About %(n)d minute to read aloud.",
                    "About %(n)d minutes to read aloud.",
                    whole,
                )
                % {"n": whole}
            )
        n = round(minutes)
        return str(
            ngettext("About %(n)d minute to read aloud.", "About %(n)d minutes to read aloud.", n)
            % {"n": n}
        )


# --- Spokesperson appointment -----------------------------------------------------------
class Appointment(ConferencePart):
    """A registry spokesperson appointed to speak at a conference."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.SPOKESPEOPLE,
        purpose=_("Who speaks at which conference, and who appointed them."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.ACTIVITY,
        ),
        subjects=(
            pdp.Subject.SPOKESPEOPLE,
            pdp.Subject.STAFF,
        ),
        fields=("spokesperson", "appointed_by"),
        identifiers={pdp.Lookup.USER: ("appointed_by",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="appointments"
    )
    spokesperson = models.ForeignKey(
        Spokesperson,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("spokesperson"),
    )
    is_principal = models.BooleanField(_("principal speaker"), default=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conference", "-is_principal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "spokesperson"], name="unique_appointment"
            )
        ]
        verbose_name = _("spokesperson appointment")
        verbose_name_plural = _("spokesperson appointments")

    def __str__(self) -> str:
        return f"{self.spokesperson} · {self.conference}"


class Briefing(ConferencePart):
    personal_data = pdp.PersonalData(
        activity=pdp.Activity.SPOKESPEOPLE,
        purpose=_("Briefings and media training of an appointed spokesperson."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.ACTIVITY,
            pdp.DataCategory.CONTENT,
        ),
        subjects=(
            pdp.Subject.SPOKESPEOPLE,
            pdp.Subject.STAFF,
        ),
        fields=("notes", "recorded_by"),
        identifiers={pdp.Lookup.USER: ("recorded_by",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("conference.view",),
        office="appointment__conference__office",
    )

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="briefings")
    kind = models.CharField(
        _("kind"), max_length=20, choices=BriefingKind.choices, default=BriefingKind.BRIEFING
    )
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["appointment", "held_on", "pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def conference(self) -> Conference:
        return self.appointment.conference
