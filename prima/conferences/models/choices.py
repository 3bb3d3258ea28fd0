"""Enumerations and constants of the conference workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prima.organizations.levels import Level


# --- Enumerations -----------------------------------------------------------------------
class ConferenceType(models.TextChoices):
    REGULAR = "regular", _("Regular")
    INCIDENTAL = "incidental", _("Incidental")
    CRISIS = "crisis", _("Crisis")


class Stage(models.TextChoices):
    """The six stages in order, then the closed state. Compare with :attr:`position`."""

    INFORMATION = "information", _("Information gathering")
    PLANNING = "planning", _("Technical planning")
    MATERIAL = "material", _("Material verification")
    SPOKESPERSON = "spokesperson", _("Spokesperson appointment")
    EXECUTION = "execution", _("Execution")
    EVALUATION = "evaluation", _("Post-event evaluation")
    CLOSED = "closed", pgettext_lazy("conference stage", "Closed")

    @property
    def position(self) -> int:
        """0 for information gathering … 6 for closed."""
        return STAGE_ORDER.index(self)

    @property
    def next(self) -> Stage | None:
        i = STAGE_ORDER.index(self)
        return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None


STAGE_ORDER: list[Stage] = list(Stage)
# The six working stages (the track shown on the detail page), without "closed".
WORKING_STAGES: list[Stage] = STAGE_ORDER[:-1]


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Topic(models.TextChoices):
    """What a conference is about; spokespeople are appointed per topic."""

    GENERAL = "general", _("General information")
    SERVICES = "services", _("Passport and visa services")
    PERFORMANCE = "performance", _("Performance and statistics")
    BORDER = "border", _("Border control and autogates")
    ENFORCEMENT = "enforcement", _("Enforcement: deportation and detention")
    TRAFFICKING = "trafficking", _("Trafficking and smuggling (TPPO/TPPM)")
    POLICY = "policy", _("Policy and regulation")
    CRISIS = "crisis", _("Crisis and misconduct")


# The product's one level scale (1 Rendah … 4 Kritis), shared with the crisis playbook.
IssueLevel = Level


class EvidenceKind(models.TextChoices):
    NOTE = "note", _("Note")
    FILE = "file", _("File")
    LINK = "link", _("Link")


class MaterialKind(models.TextChoices):
    KEY_MESSAGES = "key_messages", _("Key messages")
    STATEMENT = "statement", _("Statement / press release draft")
    QA = "qa", _("Anticipated questions and answers")
    HOLDING_STATEMENT = "holding_statement", _("Holding statement")


class MaterialState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class ConferenceRole(models.TextChoices):
    MODERATOR = "moderator", _("Moderator / MC")
    DOCUMENTATION = "documentation", _("Documentation")
    MEDIA_LIAISON = "media_liaison", _("Media liaison")
    RECEPTION = "reception", _("Reception and sign-in")
    TECHNICAL = "technical", _("Technical (sound, stream)")


class ReadinessKind(models.TextChoices):
    SOUND = "sound", _("Sound system and microphones")
    BACKDROP = "backdrop", _("Backdrop")
    PODIUM = "podium", _("Podium and seating")
    LIGHTING = "lighting", _("Lighting")
    RECORDING = "recording", _("Recording and transcription")
    LIVE_STREAM = "live_stream", _("Live stream")
    POWER = "power", _("Power supply")
    PARKING = "parking", _("Parking for broadcast vans")
    SECURITY = "security", _("Security and access")


class MediaType(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("News agency")
    ONLINE = "online", _("Online")
    PRINT = "print", _("Print")
    TELEVISION = "television", _("Television")
    RADIO = "radio", _("Radio")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")


class ReplyVia(models.TextChoices):
    STAFF = "staff", _("PR staff")
    LINK = "link", _("the journalist, through the invitation link")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not sent")


class BriefingKind(models.TextChoices):
    BRIEFING = "briefing", _("Briefing")
    REHEARSAL = "rehearsal", _("Rehearsal / mock conference")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class DelegatedRight(models.TextChoices):
    APPROVE_MATERIAL = "material.approve", _("Approve conference material")


# Which material kinds must be approved before a conference of each type enters execution.
REQUIRED_MATERIAL: dict[str, tuple[MaterialKind, ...]] = {
    ConferenceType.REGULAR: (MaterialKind.KEY_MESSAGES, MaterialKind.STATEMENT, MaterialKind.QA),
    ConferenceType.INCIDENTAL: (
        MaterialKind.KEY_MESSAGES,
        MaterialKind.STATEMENT,
        MaterialKind.QA,
    ),
    ConferenceType.CRISIS: (MaterialKind.HOLDING_STATEMENT, MaterialKind.KEY_MESSAGES),
}
MAX_KEY_MESSAGES = 3

# Targets the evaluation compares against (the PRIMA guide: start on time, ≤ 30 minutes).
TARGET_DURATION_MINUTES = 30
ON_TIME_TOLERANCE_MINUTES = 5

# Equipment checked for each conference type (crisis: the minimum, to move fast).
DEFAULT_READINESS: dict[str, tuple[ReadinessKind, ...]] = {
    ConferenceType.REGULAR: tuple(ReadinessKind),
    ConferenceType.INCIDENTAL: (
        ReadinessKind.SOUND,
        ReadinessKind.BACKDROP,
        ReadinessKind.PODIUM,
        ReadinessKind.RECORDING,
        ReadinessKind.POWER,
        ReadinessKind.SECURITY,
    ),
    ConferenceType.CRISIS: (
        ReadinessKind.SOUND,
        ReadinessKind.PODIUM,
        ReadinessKind.RECORDING,
        ReadinessKind.POWER,
    ),
}


def crisis_holding_statement_minutes() -> int:
    return int(settings.CRISIS_HOLDING_STATEMENT_MINUTES)


def crisis_conference_minutes() -> int:
    return int(settings.CRISIS_CONFERENCE_MINUTES)


def rsvp_max_days() -> int:
    return int(settings.CONFERENCE_RSVP_MAX_DAYS)
