"""Technical planning: run-down, roles, equipment and venue readiness, invitations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.organizations.privacy import declarations as pdp

from .choices import (
    Channel,
    ConferenceRole,
    EmailStatus,
    ReadinessKind,
    ReplyVia,
)
from .conference import (
    Conference,
    ConferencePart,
)
from .registers import (
    MediaContact,
)


def new_rsvp_key() -> str:
    return secrets.token_urlsafe(16)


class RundownItem(ConferencePart):
    """One line of the run-down (susunan acara)."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who does what in a conference's run-down."),
        (),
        visible_to=("conference.view",),
        names=("person",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rundown")
    starts_at = models.TimeField(_("time"))
    duration_minutes = models.PositiveIntegerField(_("minutes"), default=5)
    activity = models.CharField(_("activity"), max_length=300)
    person = models.CharField(_("person"), max_length=200, blank=True)

    class Meta:
        ordering = ["conference", "starts_at", "pk"]
        verbose_name = _("run-down item")
        verbose_name_plural = _("run-down")

    def __str__(self) -> str:
        return f"{self.starts_at:%H.%M} {self.activity}"


class RoleAssignment(ConferencePart):
    """Who plays which part (the spokesperson is appointed separately, from the registry)."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who holds which role at a conference."),
        ("user",),
        visible_to=("conference.view",),
        names=("name",),
        office="conference__office",
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=ConferenceRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["conference", "role"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "role"], name="unique_conference_role")
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person_name}"

    @property
    def person_name(self) -> str:
        return self.name or (str(self.user) if self.user_id else "")


class ReadinessItem(ConferencePart):
    """Equipment and venue readiness (sound, backdrop, podium, recording, stream, power…)."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who checked a readiness item."),
        ("checked_by",),
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="readiness")
    kind = models.CharField(_("item"), max_length=20, choices=ReadinessKind.choices)
    is_ready = models.BooleanField(_("ready"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="unique_readiness_kind")
        ]
        verbose_name = _("readiness item")
        verbose_name_plural = _("equipment and venue readiness")

    def __str__(self) -> str:
        return self.get_kind_display()


class Invitation(ConferencePart):
    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MEDIA_RELATIONS,
        purpose=_("Invitations sent to journalists, their replies and accreditation."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.CONTACT,
            pdp.DataCategory.ACTIVITY,
            pdp.DataCategory.MESSAGES,
        ),
        subjects=(
            pdp.Subject.JOURNALISTS,
            pdp.Subject.STAFF,
        ),
        fields=(
            "contact",
            "invited_by",
            "confirmed_at",
            "accredited_at",
            "declined_at",
            "replied_via",
            "email_error",
        ),
        identifiers={pdp.Lookup.USER: ("invited_by",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("mediacontact.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        MediaContact,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("media contact"),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WHATSAPP
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    accredited_at = models.DateTimeField(_("accredited"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    replied_via = models.CharField(
        _("reply recorded by"), max_length=10, choices=ReplyVia.choices, blank=True
    )
    # Invitation e-mails are rows claimed by a worker (pending → sending → sent / failed).
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus.choices, blank=True
    )
    emailed_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.CharField(_("e-mail error"), max_length=300, blank=True)
    # Part of the personal RSVP link; a new key voids the links sent before.
    rsvp_key = models.CharField(max_length=32, default=new_rsvp_key, editable=False)

    audit_exclude = ("rsvp_key",)

    class Meta:
        ordering = ["conference", "contact__outlet"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "contact"], name="unique_invitation")
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return str(self.contact)

    @property
    def is_answered(self) -> bool:
        return self.confirmed_at is not None or self.declined_at is not None
