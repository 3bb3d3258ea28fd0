"""Crisis playbook: configuration, series and signals, cases, assessments, escalation,
notifications, the crisis log, clarifications and drills.

Events that must not be lost or repeated are rows claimed atomically:

- a :class:`Series` is advanced with a conditional UPDATE on ``next_bucket`` in the same
  transaction that stores its :class:`Signal` rows (unique per series and bucket), so a
  restart re-reads what was not committed and never raises a signal twice;
- a signal is grouped into a case by the transaction that sets its ``grouped_at`` with a
  conditional UPDATE;
- :class:`Escalation` rows are unique per case, round and tier; the next tier is created
  by the transaction that expires the previous one;
- :class:`Notification` rows are claimed by delivery workers with a lease
  (``claimed_at``/``claimed_by``) and marked sent after the channel accepted them.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.conferences.models import Conference
from prima.lib.urls import pk_url
from prima.monitoring.models import Issue, WatchList
from prima.organizations.levels import Level
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp

from . import config as config_module
from .buckets import BUCKET


# --- configuration ---------------------------------------------------------------------------
class CrisisConfig(models.Model):
    """One version of the playbook's configuration (see :mod:`.config`). Never edited:
    administrators save a new version; the highest number is the current one."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who changed the crisis playbook's configuration."),
        ("created_by",),
        visible_to=("crisisconfig.view",),
        office="",
    )

    version = models.PositiveIntegerField(_("version"), unique=True)
    data = models.JSONField(_("configuration"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("crisis configuration")
        verbose_name_plural = _("crisis configurations")

    def __str__(self) -> str:
        return _("Crisis configuration v%(n)d") % {"n": self.version}

    @property
    def parsed(self) -> config_module.Config:
        """The validated configuration; parsed once per process for the same data (a
        page reads the current version and the versions its assessments and escalations
        were made with). The result is frozen: never change it."""
        cached = getattr(self, "_parsed", None)
        if cached is None:
            key = json.dumps(self.data, sort_keys=True)
            cached = _PARSED.get(key)
            if cached is None:
                cached = config_module.parse(self.data)
                if len(_PARSED) >= 32:
                    _PARSED.clear()
                _PARSED[key] = cached
            self._parsed = cached
        return cached


# Parsed configurations by their data (a handful of versions exist at any time).
_PARSED: dict[str, config_module.Config] = {}


# --- series and signals ----------------------------------------------------------------------
class SeriesKind(models.TextChoices):
    OFFICE = "office", _("All mentions of the office")
    NEGATIVE = "negative", _("Negative mentions of the office")
    ISSUE = "issue", _("Monitoring issue")
    WATCHLIST = "watchlist", _("Watch-list")
    DRILL = "drill", _("Drill")


class Series(models.Model):
    """A mention-volume series in 5-minute buckets and the detector's state over it.

    ``next_bucket`` is the start of the next bucket to read: every bucket before it has
    been fed to the detector, in time order, once. Alarms in buckets that start before
    ``warm_until`` (the history read when the series was created) raise no signal.
    """

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SeriesKind.choices)
    key = models.CharField(max_length=40, blank=True)
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    watchlist = models.ForeignKey(
        WatchList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drill = models.ForeignKey(
        "Drill", null=True, blank=True, on_delete=models.CASCADE, related_name="series"
    )
    state = models.JSONField(default=dict, blank=True)
    next_bucket = models.DateTimeField(_("next bucket"))
    warm_until = models.DateTimeField(_("warm-up until"))
    last_value = models.PositiveIntegerField(default=0)
    last_score = models.FloatField(default=0.0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "key"], name="crisis_series_key")
        ]
        indexes = [models.Index(fields=["is_active", "office"], name="crisis_series_active")]
        verbose_name = _("volume series")
        verbose_name_plural = _("volume series")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}".strip()

    @property
    def label(self) -> str:
        if self.kind == SeriesKind.ISSUE and self.issue_id:
            return f"{_('Issue')}: {self.issue.display_name if self.issue else self.key}"
        if self.kind == SeriesKind.WATCHLIST and self.watchlist_id:
            name = self.watchlist.name if self.watchlist else self.key
            return f"{_('Watch-list')}: {name}"
        return str(self.get_kind_display())


class Signal(models.Model):
    """A burst raised by the detector in one bucket of one series."""

    personal_data = pdp.NO_PERSONAL_DATA

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="signals")
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    bucket_start = models.DateTimeField(_("bucket"))
    value = models.PositiveIntegerField(_("mentions in the bucket"))
    score = models.FloatField(_("anomaly score"))
    baseline = models.FloatField(_("usual mentions per bucket"), default=0.0)
    burst_start = models.DateTimeField(_("burst started"))
    footprint = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised"))
    is_exercise = models.BooleanField(_("exercise"), default=False)
    case = models.ForeignKey(
        "Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    grouped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bucket_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "bucket_start"], name="crisis_signal_once")
        ]
        indexes = [
            models.Index(fields=["grouped_at", "raised_at"], name="crisis_signal_pending"),
            models.Index(fields=["office", "bucket_start"], name="crisis_signal_office"),
        ]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self) -> str:
        return f"{self.series} @ {self.bucket_start:%Y-%m-%d %H:%M}"

    @property
    def bucket_end(self) -> datetime:
        return self.bucket_start + BUCKET


# --- cases -------------------------------------------------------------------------------------
class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    FALSE_ALARM = "false_alarm", _("False alarm")
    NO_ACTION = "no_action", _("No action needed")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def performance(self) -> CaseQuerySet:
        """Real cases only: exercises (drills) never count in performance figures."""
        return self.filter(is_exercise=False).exclude(status=CaseStatus.MERGED)


class Case(models.Model):
    """A crisis case: related signals (and the issues and watch-lists they touch), its
    assessments, level, escalation, actions and log."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who opened, acknowledged and closed a crisis case."),
        ("acknowledged_by", "closed_by", "created_by"),
        visible_to=("crisis.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="crisis_cases"
    )
    title = models.CharField(_("title"), max_length=250)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    level = models.PositiveSmallIntegerField(
        _("crisis level"), choices=Level.choices, default=Level.LOW
    )
    category = models.CharField(_("category"), max_length=40, blank=True)
    cluster = models.CharField(_("crisis cluster"), max_length=20, blank=True)
    is_exercise = models.BooleanField(
        _("exercise"), default=False, help_text=_("A drill: never counts in performance figures.")
    )
    drill = models.ForeignKey(
        "Drill", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    burst_started_at = models.DateTimeField(_("burst started"), null=True, blank=True)
    signal_at = models.DateTimeField(_("first signal"), null=True, blank=True)
    notified_at = models.DateTimeField(_("first responder notified"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    first_statement_at = models.DateTimeField(
        _("first approved public statement"), null=True, blank=True
    )
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    escalation_round = models.PositiveIntegerField(default=0, editable=False)
    # Signals arrived since the last assessment (cleared by the assessment that follows).
    needs_assessment = models.BooleanField(default=False, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    issues = models.ManyToManyField(Issue, blank=True, related_name="+", verbose_name=_("issues"))
    watchlists = models.ManyToManyField(
        WatchList, blank=True, related_name="+", verbose_name=_("watch-lists")
    )
    conferences: models.ManyToManyField[Conference, CaseConference] = models.ManyToManyField(
        Conference, through="CaseConference", blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()
    audit_exclude = ("last_activity_at", "updated_at", "escalation_round", "needs_assessment")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["office", "status", "level"], name="crisis_case_board")]
        verbose_name = _("crisis case")
        verbose_name_plural = _("crisis cases")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("crisis:case", self.pk)  # reversed once per process (lists of cases)

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def level_enum(self) -> Level:
        return Level(self.level)


class CaseConference(models.Model):
    """A press conference opened from a case (the link lives on the crisis side)."""

    personal_data = pdp.NO_PERSONAL_DATA

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conference_links")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # When the conference's approved holding statement was written into the case's log.
    statement_logged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "conference"], name="crisis_case_conference")
        ]

    @property
    def office(self) -> Office:
        return self.case.office


# --- assessments -------------------------------------------------------------------------------
class Assessment(models.Model):
    """One assessment of a case: inputs, the configuration version it used, the score,
    the level with its explanation, and an override with its reason. Append-only: the
    latest one sets the case's level."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who assessed a crisis, and why a level was overridden."),
        ("assessed_by",),
        visible_to=("crisis.view",),
        office="case__office",
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveIntegerField(_("number"))
    config = models.ForeignKey(
        CrisisConfig, on_delete=models.PROTECT, related_name="+", verbose_name=_("configuration")
    )
    category = models.CharField(_("category"), max_length=40, blank=True)
    cluster = models.CharField(_("crisis cluster"), max_length=20, blank=True)
    # factor → {"value": 0…1 | null, "source": computed|staff|unknown, "detail": "…"}
    factors = models.JSONField(_("factors"), default=dict)
    score = models.FloatField(_("score"))
    computed_level = models.PositiveSmallIntegerField(_("computed level"), choices=Level.choices)
    explanation = models.JSONField(_("explanation"), default=list)
    missing = models.JSONField(_("missing information"), default=list)
    level = models.PositiveSmallIntegerField(_("crisis level"), choices=Level.choices)
    is_override = models.BooleanField(_("overridden"), default=False)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    is_automatic = models.BooleanField(_("automatic"), default=False)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="crisis_assessment_number")
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.case} · #{self.number}"

    @property
    def office(self) -> Office:
        return self.case.office


# --- playbook actions --------------------------------------------------------------------------
class CaseAction(models.Model):
    """A required action of the playbook for the case's level, as a checklist item."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who completed a required crisis action."),
        ("done_by",),
        visible_to=("crisis.view",),
        office="case__office",
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("action"), max_length=40)
    level = models.PositiveSmallIntegerField(_("required from level"), choices=Level.choices)
    order = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["case", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="crisis_case_action")]

    @property
    def office(self) -> Office:
        return self.case.office

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# --- escalation and notifications --------------------------------------------------------------
class Escalation(models.Model):
    """A tier of responders called for a case's level. Unacknowledged when ``due_at``
    passes, it expires and the next tier of the playbook is called."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who acknowledged an escalation."),
        ("acknowledged_by",),
        visible_to=("crisis.view",),
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    round = models.PositiveIntegerField()
    tier = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    config = models.ForeignKey(CrisisConfig, on_delete=models.PROTECT, related_name="+")
    responders = models.JSONField(default=list)  # responder codes of the playbook tier
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case's office (the tier may reach people above it).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("acknowledgement due"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expired_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    is_exercise = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "round", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round", "tier"], name="crisis_escalation_once")
        ]
        indexes = [
            models.Index(
                fields=["acknowledged_at", "expired_at", "superseded_at", "due_at"],
                name="crisis_escalation_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.round}.{self.tier}"

    @property
    def is_pending(self) -> bool:
        return self.acknowledged_at is None and self.superseded_at is None


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Chat webhook")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def deliverable(self, now: datetime) -> NotificationQuerySet:
        """Not sent, not given up, due for an attempt, and not held by a live claim."""
        stale = now - timedelta(seconds=settings.CRISIS_DELIVERY_LEASE_SECONDS)
        return self.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
            sent_at__isnull=True,
            failed_at__isnull=True,
            next_attempt_at__lte=now,
        )


class Notification(models.Model):
    """One message to one responder (or the chat webhook) over one channel.

    ``key`` is unique: the same escalation never creates the same message twice. Delivery
    workers claim a row (``claimed_at``, a lease of ``CRISIS_DELIVERY_LEASE_SECONDS``), hand
    it to the channel and mark it ``sent_at``; a row whose worker died is claimed again
    once the lease has passed. E-mails carry ``Message-ID: <key@…>`` and webhooks an
    ``Idempotency-Key`` header, so a receiver can recognise the one repeat that a worker
    killed between sending and marking could cause.
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.CRISIS,
        purpose=_("Alerting a crisis's responders by e-mail or message."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.CONTACT,
            pdp.DataCategory.MESSAGES,
        ),
        subjects=(pdp.Subject.STAFF,),
        fields=("recipient", "address", "subject", "body"),
        identifiers={
            pdp.Lookup.USER: ("recipient",),
            pdp.Lookup.EMAIL: ("address",),
            pdp.Lookup.PHONE: ("address",),
        },
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("crisis.view",),
        office="case__office",
    )

    key = models.CharField(max_length=120, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    escalation = models.ForeignKey(
        Escalation, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="crisis_notifications",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    is_exercise = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["sent_at", "failed_at", "next_attempt_at"], name="crisis_notify_due"
            ),
            models.Index(fields=["recipient", "channel"], name="crisis_notify_recipient"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def office(self) -> Office:
        return self.case.office


# --- the crisis log ------------------------------------------------------------------------------
class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    SIGNAL = "signal", _("Signal")
    ASSESSMENT = "assessment", _("Assessment")
    LEVEL = "level", _("Level change")
    ESCALATION = "escalation", _("Escalation")
    NOTIFICATION = "notification", _("Notification")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    DECISION = "decision", _("Decision")
    STATEMENT = "statement", _("Public statement")
    CONFERENCE = "conference", _("Press conference")
    CLARIFICATION = "clarification", _("Clarification")
    ACTION = "action", _("Playbook action")
    NOTE = "note", _("Note")
    SCOPE = "scope", _("Signals and issues")
    STATUS = "status", _("Status")


class CaseEvent(models.Model):
    """One line of a case's timeline. ``data`` holds what the line is about; the text
    shown is written from it in the reader's language (``text`` holds what staff wrote)."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("The crisis log: who did what, and when."),
        ("actor",),
        visible_to=("crisis.view",),
        office="case__office",
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="crisis_event_case")]
        verbose_name = _("log entry")
        verbose_name_plural = _("crisis log")

    @property
    def office(self) -> Office:
        return self.case.office


# --- clarifications (the hoax register) ---------------------------------------------------------
class ClarificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Verdict(models.TextChoices):
    HOAX = "hoax", _("Hoax (false)")
    MISLEADING = "misleading", _("Misleading")
    OUT_OF_CONTEXT = "out_of_context", _("Out of context")
    TRUE = "true", _("True")


class ClarificationQuerySet(models.QuerySet["Clarification"]):
    def public(self) -> ClarificationQuerySet:
        """What the public portal may show: published, never an exercise."""
        return self.filter(status=ClarificationStatus.PUBLISHED, is_exercise=False)


class Clarification(models.Model):
    """A clarification of misinformation: the claim, the facts, the verdict and where it
    was published. Public fields: ``title``, ``claim``, ``facts`` (Indonesian; their
    ``*_en`` English versions where given), ``verdict``, ``published_at`` and ``channels``
    (once ``status`` is published and the case is not an exercise:
    :meth:`ClarificationQuerySet.public`)."""

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who wrote and who published a hoax clarification."),
        ("written_by", "published_by"),
        visible_to=("clarification.view",),
    )

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="clarifications")
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("headline"), max_length=250)
    claim = models.TextField(_("the claim as it circulates"))
    facts = models.TextField(_("the facts"))
    title_en = models.CharField(_("headline (English)"), max_length=250, blank=True)
    claim_en = models.TextField(_("the claim (English)"), blank=True)
    facts_en = models.TextField(_("the facts (English)"), blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.HOAX
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ClarificationStatus.choices,
        default=ClarificationStatus.DRAFT,
    )
    # [{"channel": "website"|"instagram"|…, "url": "https://…"}]
    channels = models.JSONField(_("where it was published"), default=list, blank=True)
    is_exercise = models.BooleanField(default=False, editable=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ClarificationQuerySet.as_manager()
    audit_exclude = ("updated_at",)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="crisis_clar_public")]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ClarificationStatus.PUBLISHED


# --- drills --------------------------------------------------------------------------------------
class DrillStatus(models.TextChoices):
    READY = "ready", _("Ready")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class Drill(models.Model):
    """An exercise: a recorded or generated storm replayed, bucket by bucket in real
    time, through the real detector into an exercise case.

    ``scenario`` = ``{"buckets": [{"total", "negative", "platforms": {…}, "outlets": […],
    "reach"}, …], "burst_index": i, "lead_in": n, "source": "generated"|"recorded"}``:
    at the start, the buckets before ``burst_index - lead_in`` are read at once as the
    series' history (placed just before the start); the rest play one per 5 minutes.
    """

    personal_data = pdp.staff_record(
        pdp.Activity.CRISIS,
        _("Who prepared and started a crisis drill."),
        ("started_by", "created_by"),
        visible_to=("crisis.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scenario = models.JSONField(_("scenario"))
    status = models.CharField(
        _("status"), max_length=10, choices=DrillStatus.choices, default=DrillStatus.READY
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")

    def __str__(self) -> str:
        return self.name

    @property
    def buckets(self) -> list[dict[str, Any]]:
        return list(self.scenario.get("buckets") or [])

    @property
    def burst_index(self) -> int:
        return int(self.scenario.get("burst_index", 0))

    @property
    def first_live_index(self) -> int:
        return max(0, self.burst_index - int(self.scenario.get("lead_in", 3)))
