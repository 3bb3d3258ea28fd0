"""Models of the indicators: the monthly figures per office (pre-aggregated, always
recomputable from their rows by :mod:`prima.evaluation.indicators`), the targets per
indicator and level, and the adoption plan."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office, OfficeLevel
from prima.organizations.privacy import declarations as pdp


class OfficeMonth(models.Model):
    """The counts behind every indicator of one office in one calendar month (in the
    office's time zone). Every column is a sum, so a quarter, a year, a Kanwil and the
    directorate general are sums of these rows. Exercises and drills are never counted.

    Filled by :func:`prima.evaluation.indicators.refresh` (``prima recompute-indicators``);
    ``--check`` recomputes from the rows and compares without writing.
    """

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    # Press conferences held (executed, not cancelled) by type, and how they went
    conf_regular = models.PositiveIntegerField(default=0)
    conf_incidental = models.PositiveIntegerField(default=0)
    conf_crisis = models.PositiveIntegerField(default=0)
    conf_full = models.PositiveIntegerField(default=0)
    conf_material_ok = models.PositiveIntegerField(default=0)
    conf_evaluated = models.PositiveIntegerField(default=0)
    # Crisis cases opened, by level, and their timings against the playbook
    case_l1 = models.PositiveIntegerField(default=0)
    case_l2 = models.PositiveIntegerField(default=0)
    case_l3 = models.PositiveIntegerField(default=0)
    case_l4 = models.PositiveIntegerField(default=0)
    case_signal_measured = models.PositiveIntegerField(default=0)
    case_signal_met = models.PositiveIntegerField(default=0)
    case_ack_measured = models.PositiveIntegerField(default=0)
    case_ack_met = models.PositiveIntegerField(default=0)
    case_ack_minutes = models.PositiveBigIntegerField(default=0)
    case_statement_measured = models.PositiveIntegerField(default=0)
    case_statement_met = models.PositiveIntegerField(default=0)
    case_statement_minutes = models.PositiveBigIntegerField(default=0)
    # Hoax clarifications published
    clarifications = models.PositiveIntegerField(default=0)
    # Public questions (the portal's "question" kind) received and answered
    inq_received = models.PositiveIntegerField(default=0)
    inq_answered = models.PositiveIntegerField(default=0)
    inq_answer_minutes = models.PositiveBigIntegerField(default=0)
    # Coverage (monitoring's hourly rollups)
    mentions = models.PositiveBigIntegerField(default=0)
    mentions_positive = models.PositiveBigIntegerField(default=0)
    mentions_negative = models.PositiveBigIntegerField(default=0)
    # Key-message pickup: None = not measured (no post-event evaluation data yet)
    pickup_items = models.PositiveIntegerField(null=True, blank=True)
    pickup_hits = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="evaluation_office_month")
        ]
        indexes = [models.Index(fields=["month", "office"], name="evaluation_month_office")]
        verbose_name = _("monthly indicator figures")
        verbose_name_plural = _("monthly indicator figures")

    def __str__(self) -> str:
        return f"{self.office_id} {self.month:%Y-%m}"


class IndicatorTarget(models.Model):
    """The target of one indicator for units of one level, set by an office for its
    sub-tree (the directorate general for the national standard; a Kanwil may set its
    own for the offices below it: the nearest setter wins)."""

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.ForeignKey(
        Office,
        verbose_name=_("set by"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Applies to this office's sub-tree; the nearest office's target wins."),
    )
    level = models.CharField(_("applies to level"), max_length=30, choices=OfficeLevel.choices)
    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.FloatField(
        _("target"),
        help_text=_("Shares in percent (80 = 80 %), times in minutes or hours as shown."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "level", "indicator"], name="evaluation_target_once"
            )
        ]
        ordering = ["indicator", "level"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")

    def __str__(self) -> str:
        return f"{self.indicator} · {self.get_level_display()} · {self.value:g}"


class AdoptionPlan(models.Model):
    """When an office's sub-tree is planned to work with PRIMA (the guide: Soekarno-Hatta
    December 2025, the Jakarta region June 2026, the whole directorate general from
    December 2026). The nearest planned office above an office gives its date."""

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.OneToOneField(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    planned_from = models.DateField(_("planned from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["planned_from"]
        verbose_name = _("adoption plan")
        verbose_name_plural = _("adoption plan")

    def __str__(self) -> str:
        return f"{self.office} · {self.planned_from:%Y-%m}"


class IndicatorSchedulerState(models.Model):
    """The single row that keeps the periodic refresh of the indicator figures to one
    chain of tasks (advanced with a conditional UPDATE, like the portal's)."""

    personal_data = pdp.NO_PERSONAL_DATA

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_tick_at = models.DateTimeField(null=True, blank=True)
    last_tick_at = models.DateTimeField(null=True, blank=True)
