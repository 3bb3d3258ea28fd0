"""Execution and evaluation records: attendance, question log, coverage."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.lib.prose import shorten
from prima.organizations.privacy import declarations as pdp

from .choices import (
    Tone,
)
from .conference import (
    Conference,
    ConferencePart,
)
from .registers import (
    MediaContact,
)


# --- Execution --------------------------------------------------------------------------
class Attendance(ConferencePart):
    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MEDIA_RELATIONS,
        purpose=_("The sign-in sheet of a conference: which journalists came."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.PROFESSIONAL,
        ),
        subjects=(pdp.Subject.JOURNALISTS,),
        fields=("journalist", "outlet", "contact"),
        identifiers={pdp.Lookup.NAME: ("journalist",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    journalist = models.CharField(_("journalist"), max_length=200)
    outlet = models.CharField(_("outlet"), max_length=200)
    contact = models.ForeignKey(
        MediaContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_in_at = models.DateTimeField(_("signed in"), default=timezone.now)

    class Meta:
        ordering = ["conference", "signed_in_at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance register")

    def __str__(self) -> str:
        return f"{self.journalist} ({self.outlet})"


class QuestionLog(ConferencePart):
    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MEDIA_RELATIONS,
        purpose=_("Logging each question asked at a conference and who asked it, for follow-up."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.PROFESSIONAL,
            pdp.DataCategory.CONTENT,
        ),
        subjects=(
            pdp.Subject.JOURNALISTS,
            pdp.Subject.SPOKESPEOPLE,
        ),
        fields=("asker", "outlet", "question", "answered_by", "follow_up_note"),
        identifiers={pdp.Lookup.NAME: ("asker", "answered_by")},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="questions")
    asker = models.CharField(_("asked by"), max_length=200)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    question = models.TextField(_("question"))
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True)
    answer_summary = models.TextField(_("answer"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up"), blank=True)
    asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conference", "asked_at", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("question log")

    def __str__(self) -> str:
        return shorten(self.question, 80)

    @property
    def follow_up_pending(self) -> bool:
        return self.follow_up_needed and self.follow_up_done_at is None


# --- Evaluation -------------------------------------------------------------------------
class CoverageLink(ConferencePart):
    """A news item about the conference.

    Entered by hand (``source_app="manual"``) or filled by a higher app (e.g. evaluation
    linking monitoring mentions) with its own ``source_app`` and ``source_id``; this app
    never imports those apps.
    """

    personal_data = pdp.NoPersonalData(
        reason=_("Headlines, outlets and links of published articles about a conference.")
    )

    MANUAL = "manual"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="coverage")
    source_app = models.CharField(_("source"), max_length=50, default=MANUAL)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    title = models.CharField(_("headline"), max_length=400)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, blank=True)
    is_accurate = models.BooleanField(_("accurate"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "published_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "source_app", "source_id"],
                condition=~Q(source_id=""),
                name="unique_coverage_source",
            )
        ]
        verbose_name = _("coverage item")
        verbose_name_plural = _("coverage")

    def __str__(self) -> str:
        return self.title
