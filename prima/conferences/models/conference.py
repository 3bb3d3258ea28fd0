"""The conference, the base of its parts, its checklist and the information-gathering
records (facts, chronology, open questions, prior statements)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from prima.lib.prose import shorten
from prima.organizations.files import PrivateUploadTo
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp

from .choices import (
    REQUIRED_MATERIAL,
    WORKING_STAGES,
    ConferenceType,
    EvidenceKind,
    IssueLevel,
    MaterialKind,
    Stage,
    Status,
    Topic,
    crisis_conference_minutes,
    crisis_holding_statement_minutes,
)
from .registers import (
    ChecklistTemplate,
)


# --- The conference ---------------------------------------------------------------------
class ConferenceQuerySet(models.QuerySet):
    def performance(self) -> ConferenceQuerySet:
        """Real conferences only: exercises (drills) never count in performance figures."""
        return self.filter(is_exercise=False)

    def active(self) -> ConferenceQuerySet:
        return self.filter(status=Status.ACTIVE)

    def _deadline_q(self, now: datetime, *, late: bool) -> Q:
        hold = timedelta(minutes=crisis_holding_statement_minutes())
        conf = timedelta(minutes=crisis_conference_minutes())
        open_past_due = Q(holding_statement_at__isnull=True, opened_at__lt=now - hold) | Q(
            actual_start__isnull=True, opened_at__lt=now - conf
        )
        q = Q(status=Status.ACTIVE) & open_past_due
        if late:
            met_late = Q(holding_statement_at__gt=F("opened_at") + hold) | Q(
                actual_start__gt=F("opened_at") + conf
            )
            q |= met_late
        return Q(type=ConferenceType.CRISIS) & q

    def overdue(self, now: datetime | None = None) -> ConferenceQuerySet:
        """Active crisis conferences with a deadline past due and still not met."""
        return self.filter(self._deadline_q(now or timezone.now(), late=False))

    def missed_deadline(self, now: datetime | None = None) -> ConferenceQuerySet:
        """Crisis conferences with any deadline missed: overdue now, or met late."""
        return self.filter(self._deadline_q(now or timezone.now(), late=True))


class Conference(models.Model):
    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who opened, ran or cancelled a press conference."),
        ("created_by", "cancelled_by"),
        visible_to=("conference.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="conferences"
    )
    type = models.CharField(_("type"), max_length=20, choices=ConferenceType.choices)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    topic = models.CharField(
        _("topic"), max_length=20, choices=Topic.choices, default=Topic.GENERAL
    )
    level = models.PositiveSmallIntegerField(
        _("issue level"), choices=IssueLevel.choices, default=IssueLevel.LOW
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INFORMATION, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    is_exercise = models.BooleanField(
        _("exercise"),
        default=False,
        help_text=_("A drill: runs the same way, never counts in performance figures."),
    )
    opened_at = models.DateTimeField(
        _("opened"), default=timezone.now, help_text=_("Crisis deadlines count from here.")
    )
    scheduled_at = models.DateTimeField(_("date and time"), null=True, blank=True, db_index=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    venue_notes = models.TextField(_("venue access and permissions"), blank=True)
    checklist_template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
        editable=False,
    )
    stage_entered_at = models.DateTimeField(_("stage entered"), default=timezone.now)
    # Crisis clock: when the first holding statement was approved (kept if later voided:
    # it had already gone out).
    holding_statement_at = models.DateTimeField(
        _("holding statement approved"), null=True, blank=True
    )
    # Execution
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    execution_notes = models.TextField(_("execution notes"), blank=True)
    # Evaluation (coverage entered by hand; linked coverage lives in CoverageLink)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    evaluation_notes = models.TextField(_("evaluation notes"), blank=True)
    coverage_count = models.PositiveIntegerField(_("news items"), null=True, blank=True)
    coverage_positive = models.PositiveIntegerField(_("positive"), null=True, blank=True)
    coverage_neutral = models.PositiveIntegerField(_("neutral"), null=True, blank=True)
    coverage_negative = models.PositiveIntegerField(_("negative"), null=True, blank=True)
    coverage_reach = models.PositiveBigIntegerField(_("estimated reach"), null=True, blank=True)
    coverage_accurate = models.BooleanField(
        _("coverage accurate"),
        null=True,
        blank=True,
        help_text=_("Did the coverage report the key messages correctly?"),
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Cancellation
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["office", "status", "stage"])]
        verbose_name = _("press conference")
        verbose_name_plural = _("press conferences")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("conferences:detail", kwargs={"pk": self.pk})
        except NoReverseMatch:  # pages not installed (e.g. API-only deployments)
            return f"/conferences/{self.pk}/"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_crisis(self) -> bool:
        return self.type == ConferenceType.CRISIS

    @property
    def required_material(self) -> tuple[MaterialKind, ...]:
        return REQUIRED_MATERIAL[self.type]

    def conference_date(self) -> date:
        """The day the conference takes place, in the office's time zone (scheduled, else
        opened)."""
        moment = self.scheduled_at or self.opened_at
        return moment.astimezone(ZoneInfo(self.office.timezone)).date()

    def stage_track(self) -> list[dict]:
        """The six stages with 'done' / 'current' / 'todo' (no query)."""
        current = Stage(self.stage).position
        rows = []
        for stage in WORKING_STAGES:
            i = stage.position
            state = "done" if i < current else ("current" if i == current else "todo")
            rows.append({"stage": stage, "label": stage.label, "state": state})
        return rows


class ConferencePart(models.Model):
    """Base of rows that belong to a conference: they take its office."""

    if TYPE_CHECKING:
        # Each kind of part has its foreign key (or, for a briefing, a property).
        @property
        def conference(self) -> Conference: ...

    class Meta:
        abstract = True

    @property
    def office(self) -> Office:
        return self.conference.office


class ChecklistItem(ConferencePart):
    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who completed a checklist item, with its evidence."),
        ("done_by",),
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="checklist_items"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices[:-1])
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label (English)"), max_length=300)
    label_id = models.CharField(_("label (Indonesian)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    evidence_kind = models.CharField(_("evidence"), max_length=10, choices=EvidenceKind.choices)
    order = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_automatically = models.BooleanField(
        _("done automatically"),
        default=False,
        help_text=_("Ticked by PRIMA from what was recorded, not by a person."),
    )
    evidence_note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(
        _("file"), upload_to=PrivateUploadTo("conferences/evidence"), blank=True, max_length=255
    )
    evidence_link = models.URLField(_("link"), blank=True, max_length=500)
    version = models.PositiveIntegerField(default=1, editable=False)

    # A file is not JSON: the workflow records its name in the audit entry instead.
    audit_exclude = ("evidence_file",)

    class Meta:
        ordering = ["conference", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "code"], name="unique_checklist_code")
        ]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.display_label

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def display_label(self) -> str:
        """The label in the active language (Indonesian when available)."""
        if (get_language() or "").startswith("id") and self.label_id:
            return self.label_id
        return self.label


class Fact(ConferencePart):
    """A fact for the conference; verified only when a second person confirms it."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who entered and who verified a fact."),
        ("entered_by", "edited_by", "verified_by"),
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="facts")
    statement = models.TextField(_("fact"))
    source = models.CharField(_("source"), max_length=300)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["conference", "entered_at", "pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")

    def __str__(self) -> str:
        return shorten(self.statement, 80)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class ChronologyEntry(ConferencePart):
    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who entered a chronology entry."),
        ("entered_by",),
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="chronology")
    occurred_at = models.DateTimeField(_("time"))
    description = models.TextField(_("what happened"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["conference", "occurred_at", "pk"]
        verbose_name = _("chronology entry")
        verbose_name_plural = _("chronology")

    def __str__(self) -> str:
        return shorten(self.description, 80)


class OpenQuestion(ConferencePart):
    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who raised and who resolved an open question."),
        ("raised_by", "resolved_by"),
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="open_questions"
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["conference", "raised_at", "pk"]
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")

    def __str__(self) -> str:
        return shorten(self.question, 80)


class PriorStatement(ConferencePart):
    """An earlier statement of the office (or ministry) on the same matter."""

    personal_data = pdp.staff_record(
        pdp.Activity.STAFF_WORK,
        _("Who recorded an earlier statement."),
        ("entered_by",),
        visible_to=("conference.view",),
        office="conference__office",
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="prior_statements"
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True, max_length=500)
    published_on = models.DateField(_("published"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["conference", "-published_on", "pk"]
        verbose_name = _("prior statement")
        verbose_name_plural = _("prior statements")

    def __str__(self) -> str:
        return self.title
