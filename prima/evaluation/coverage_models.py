"""Rows of the post-event evaluation: each conference's coverage query and the mentions
proposed as its coverage, with staff's decision on each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prima.conferences.models import Conference, CoverageLink
from prima.monitoring.models import Mention
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp


class CoverageQuery(models.Model):
    """The watch-list query (monitoring's language) that finds a conference's coverage.

    Generated from the conference's title, approved key messages and named people; staff
    may edit it (``is_edited``), after which it is no longer regenerated."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who edited a conference's coverage query."),
        ("edited_by",),
        visible_to=("postevent.view",),
        office="conference__office",
    )

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="coverage_query"
    )
    query = models.TextField(_("coverage query"))
    generated = models.TextField(_("generated query"), blank=True, editable=False)
    is_edited = models.BooleanField(_("edited by staff"), default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    computed_at = models.DateTimeField(_("proposals computed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coverage query")
        verbose_name_plural = _("coverage queries")

    def __str__(self) -> str:
        return f"{self.conference}: {self.query}"

    @property
    def office(self) -> Office:
        return self.conference.office


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    CONFIRMED = "confirmed", pgettext_lazy("coverage proposal", "Confirmed")
    REJECTED = "rejected", _("Rejected")


class CoverageProposal(models.Model):
    """A mention proposed as coverage of a conference, and what staff decided."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who accepted or rejected proposed coverage."),
        ("decided_by",),
        visible_to=("postevent.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="coverage_proposals"
    )
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"), default=0.0)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    coverage_link = models.ForeignKey(
        CoverageLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["conference", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "mention"], name="unique_proposal")
        ]
        indexes = [models.Index(fields=["conference", "status"])]
        verbose_name = _("coverage proposal")
        verbose_name_plural = _("coverage proposals")

    def __str__(self) -> str:
        return f"{self.conference_id} ← mention {self.mention_id} ({self.status})"

    @property
    def office(self) -> Office:
        return self.conference.office
