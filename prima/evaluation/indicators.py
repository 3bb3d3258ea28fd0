"""Indicators per office and month, computed from their rows.

Every indicator is built from sums kept in :class:`OfficeMonth` (one row per office and
calendar month in the office's time zone), so a quarter, a year, a Kanwil and the
directorate general are plain sums of rows. This module is the one place that turns the
source rows (conferences, crisis cases, clarifications, public questions, monitoring's
hourly rollups) into those sums: the monthly refresh, the check that compares stored rows
with a fresh computation (``prima recompute-indicators --check``) and the "behind the
number" lists of the pages all call it.

Exercises and drills never count: conferences and cases through their ``performance()``
querysets, clarifications of exercise cases are left out.

What counts where:

- a press conference counts in the month it was **held** (``actual_start``), unless it
  was cancelled. It **followed the full workflow** when it was closed after its
  evaluation, every required checklist item was done, every required piece of material
  was approved before it started, and it was in time: a regular or incidental one started
  within ``ON_TIME_TOLERANCE_MINUTES`` of its scheduled time, a crisis one met both crisis
  deadlines (holding statement, conference);
- a crisis case counts in the month it was opened, by its level; its timings are
  :func:`prima.crisis.metrics.timings` against the playbook's targets;
- a clarification counts in the month it was published; a public question (portal kind
  "question") in the month it was received, answered if it has an answer;
- coverage volume and tone come from ``monitoring.HourlyVolume``;
- key-message pickup comes from the post-event evaluation
  (:func:`prima.evaluation.postevent.report`) of the conferences with confirmed coverage:
  coverage items and how many carry an approved key message; a month without any stays
  empty and the pages say "not yet measured" (never an estimate).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Count, Min, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prima.conferences.models import (
    REQUIRED_MATERIAL,
    Conference,
    ConferenceType,
    MaterialVersion,
    Status,
)
from prima.conferences.models.choices import (
    ON_TIME_TOLERANCE_MINUTES,
    crisis_conference_minutes,
    crisis_holding_statement_minutes,
)
from prima.crisis import configs as crisis_configs
from prima.crisis import metrics as crisis_metrics
from prima.crisis.models import Case, Clarification, ClarificationStatus
from prima.monitoring.models import HourlyVolume, Sentiment
from prima.organizations.levels import Level
from prima.organizations.models import Office
from prima.portal.models import Inquiry, InquiryKind

from . import postevent
from .coverage_models import CoverageProposal, ProposalStatus
from .indicators_models import OfficeMonth

# The summable columns of OfficeMonth, in order (pickup ones may be None).
COLUMNS: tuple[str, ...] = (
    "conf_regular",
    "conf_incidental",
    "conf_crisis",
    "conf_full",
    "conf_material_ok",
    "conf_evaluated",
    "case_l1",
    "case_l2",
    "case_l3",
    "case_l4",
    "case_signal_measured",
    "case_signal_met",
    "case_ack_measured",
    "case_ack_met",
    "case_ack_minutes",
    "case_statement_measured",
    "case_statement_met",
    "case_statement_minutes",
    "clarifications",
    "inq_received",
    "inq_answered",
    "inq_answer_minutes",
    "mentions",
    "mentions_positive",
    "mentions_negative",
    "pickup_items",
    "pickup_hits",
)
NULLABLE = frozenset({"pickup_items", "pickup_hits"})
Figures = dict[str, int | None]


def empty() -> Figures:
    return {c: (None if c in NULLABLE else 0) for c in COLUMNS}


def add(into: Figures, other: Figures) -> Figures:
    """Add ``other`` to ``into`` (None + None stays None: not measured)."""
    for c in COLUMNS:
        a, b = into.get(c), other.get(c)
        into[c] = None if a is None and b is None else (a or 0) + (b or 0)
    return into


# --- Indicators: what the pages show, built from the sums -------------------------------
Kind = Literal["count", "share", "mean"]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    section: str
    kind: Kind
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    # For means: the numerator is divided by this to give the unit (60: minutes → hours).
    scale: float = 1.0
    unit: str | Promise = ""
    higher_is_better: bool = True
    # The objects behind the number ("conferences", "cases", …), for the drill-down.
    objects: str = ""
    help: str | Promise = ""

    def compute(self, sums: Figures) -> float | None:
        """The indicator's value from ``sums`` (None: nothing to measure)."""
        num_parts = [sums.get(c) for c in self.numerator]
        if any(v is None for v in num_parts):
            return None
        num = float(sum(v or 0 for v in num_parts))
        if self.kind == "count":
            return num
        den_parts = [sums.get(c) for c in self.denominator]
        if any(v is None for v in den_parts):
            return None
        den = float(sum(v or 0 for v in den_parts))
        if not den:
            return None
        if self.kind == "share":
            return 100.0 * num / den
        return num / den / self.scale

    def misses(self, value: float | None, target: float | None) -> bool | None:
        """True when ``value`` misses ``target``; None without a value or a target."""
        if value is None or target is None:
            return None
        return value < target if self.higher_is_better else value > target


SECTIONS: dict[str, str | Promise] = {
    "conferences": _("Press conferences"),
    "crisis": _("Crisis cases"),
    "public": _("Clarifications and public questions"),
    "coverage": _("Coverage"),
}
CONF_HELD = ("conf_regular", "conf_incidental", "conf_crisis")
CASES = ("case_l1", "case_l2", "case_l3", "case_l4")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("conf_regular", _("Regular"), "conferences", "count", ("conf_regular",),
              objects="conferences"),
    Indicator("conf_incidental", _("Incidental"), "conferences", "count", ("conf_incidental",),
              objects="conferences"),
    Indicator("conf_crisis", _("Crisis"), "conferences", "count", ("conf_crisis",),
              objects="conferences"),
    Indicator("conf_full_share", _("Full workflow in time"), "conferences", "share",
              ("conf_full",), CONF_HELD, unit="%", objects="conferences",
              help=_("Closed after evaluation, every required checklist item done, "
                     "material approved before the start, started on time (crisis: both "
                     "deadlines met).")),
    Indicator("material_share", _("Material approved before execution"), "conferences",
              "share", ("conf_material_ok",), CONF_HELD, unit="%", objects="conferences"),
    Indicator("evaluated_share", _("Evaluation completed"), "conferences", "share",
              ("conf_evaluated",), CONF_HELD, unit="%", objects="conferences"),
    Indicator("cases", _("Cases"), "crisis", "count", CASES, objects="cases"),
    Indicator("case_l1", Level.LOW.label, "crisis", "count", ("case_l1",), objects="cases"),
    Indicator("case_l2", Level.MEDIUM.label, "crisis", "count", ("case_l2",), objects="cases"),
    Indicator("case_l3", Level.HIGH.label, "crisis", "count", ("case_l3",), objects="cases"),
    Indicator("case_l4", Level.CRITICAL.label, "crisis", "count", ("case_l4",), objects="cases"),
    Indicator("signal_share", _("Signal within target"), "crisis", "share",
              ("case_signal_met",), ("case_signal_measured",), unit="%", objects="cases"),
    Indicator("ack_share", _("Acknowledged within target"), "crisis", "share",
              ("case_ack_met",), ("case_ack_measured",), unit="%", objects="cases"),
    Indicator("ack_minutes", _("Time to acknowledge"), "crisis", "mean",
              ("case_ack_minutes",), ("case_ack_measured",), unit=_("min"),
              higher_is_better=False, objects="cases", help=_("Mean, in minutes.")),
    Indicator("statement_share", _("First statement within target"), "crisis", "share",
              ("case_statement_met",), ("case_statement_measured",), unit="%",
              objects="cases"),
    Indicator("statement_minutes", _("Time to first statement"), "crisis", "mean",
              ("case_statement_minutes",), ("case_statement_measured",), unit=_("min"),
              higher_is_better=False, objects="cases", help=_("Mean, in minutes.")),
    Indicator("clarifications", _("Hoax clarifications published"), "public", "count",
              ("clarifications",), objects="clarifications"),
    Indicator("inq_received", _("Public questions received"), "public", "count",
              ("inq_received",), objects="questions"),
    Indicator("inq_answered_share", _("Questions answered"), "public", "share",
              ("inq_answered",), ("inq_received",), unit="%", objects="questions"),
    Indicator("inq_answer_hours", _("Time to answer"), "public", "mean",
              ("inq_answer_minutes",), ("inq_answered",), scale=60.0, unit=_("h"),
              higher_is_better=False, objects="questions", help=_("Mean, in hours.")),
    Indicator("mentions", _("Coverage volume"), "coverage", "count", ("mentions",),
              help=_("Mentions found by media monitoring.")),
    Indicator("positive_share", _("Positive tone"), "coverage", "share",
              ("mentions_positive",), ("mentions",), unit="%"),
    Indicator("negative_share", _("Negative tone"), "coverage", "share",
              ("mentions_negative",), ("mentions",), unit="%", higher_is_better=False),
    Indicator("pickup_share", _("Key-message pickup"), "coverage", "share",
              ("pickup_hits",), ("pickup_items",), unit="%",
              help=_("Share of coverage items carrying an approved key message.")),
)  # fmt: skip
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}


# --- Months -------------------------------------------------------------------------------
def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def bounds(month: date, tz_name: str) -> tuple[datetime, datetime]:
    """The instants where ``month`` starts and ends in the time zone ``tz_name``."""
    tz = ZoneInfo(tz_name)
    nxt = add_months(month, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=tz),
        datetime(nxt.year, nxt.month, 1, tzinfo=tz),
    )


def local_month(moment: datetime, tz: ZoneInfo) -> date:
    return month_start(moment.astimezone(tz).date())


# --- The objects behind the numbers (shared by the refresh and the drill-down) ----------
@dataclass
class ConferenceCheck:
    """How one held conference went against the workflow's gates."""

    conference: Conference
    material_ok: bool
    checklist_ok: bool
    in_time: bool
    evaluated: bool
    missing: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.material_ok and self.checklist_ok and self.in_time and self.evaluated


def held_conferences(offices_q: Q, start: datetime, end: datetime) -> QuerySet[Conference]:
    """Real conferences held between ``start`` and ``end`` in the offices of ``offices_q``
    (a filter on ``office``)."""
    return (
        Conference.objects.performance()
        .filter(offices_q, actual_start__gte=start, actual_start__lt=end)
        .exclude(status=Status.CANCELLED)
    )


def check_conferences(conferences: QuerySet[Conference]) -> list[ConferenceCheck]:
    """Each conference with its gates (three queries for any number of conferences)."""
    rows = list(
        conferences.select_related("office").annotate(
            open_items=Count(
                "checklist_items",
                filter=Q(checklist_items__required=True, checklist_items__done_at__isnull=True),
            )
        )
    )
    approved: dict[int, dict[str, datetime]] = defaultdict(dict)
    versions = MaterialVersion.objects.filter(
        material__conference__in=[c.pk for c in rows], approved_at__isnull=False
    ).values_list("material__conference_id", "material__kind", "approved_at")
    for conf_id, kind, approved_at in versions:
        first = approved[conf_id].get(kind)
        if approved_at is not None and (first is None or approved_at < first):
            approved[conf_id][kind] = approved_at
    hold = timedelta(minutes=crisis_holding_statement_minutes())
    conf_due = timedelta(minutes=crisis_conference_minutes())
    tolerance = timedelta(minutes=ON_TIME_TOLERANCE_MINUTES)
    out = []
    for c in rows:
        start = c.actual_start
        if start is None:  # held_conferences() keeps started ones only
            continue
        missing: list[str] = []
        kinds = approved.get(c.pk, {})
        material_ok = all(
            kind in kinds and kinds[kind] <= start for kind in REQUIRED_MATERIAL[c.type]
        )
        if not material_ok:
            missing.append(str(_("material not approved before the start")))
        checklist_ok = getattr(c, "open_items", 0) == 0
        if not checklist_ok:
            missing.append(str(_("required checklist items open")))
        if c.type == ConferenceType.CRISIS:
            in_time = (
                c.holding_statement_at is not None
                and c.holding_statement_at <= c.opened_at + hold
                and start <= c.opened_at + conf_due
            )
            if not in_time:
                missing.append(str(_("crisis deadline missed")))
        else:
            in_time = c.scheduled_at is None or start <= c.scheduled_at + tolerance
            if not in_time:
                missing.append(str(_("started late")))
        evaluated = c.status == Status.COMPLETED
        if not evaluated:
            missing.append(str(_("evaluation not completed")))
        out.append(ConferenceCheck(c, material_ok, checklist_ok, in_time, evaluated, missing))
    return out


@dataclass
class CaseTiming:
    case: Case
    timings: dict[str, crisis_metrics.Timing]


def real_cases(offices_q: Q, start: datetime, end: datetime) -> QuerySet[Case]:
    return Case.objects.performance().filter(offices_q, opened_at__gte=start, opened_at__lt=end)


def time_cases(cases: QuerySet[Case]) -> list[CaseTiming]:
    """Each case with its playbook timings (two queries for any number of cases)."""
    config = crisis_configs.current().parsed
    out = []
    for case in cases.select_related("office").prefetch_related("signals"):
        signals = sorted(case.signals.all(), key=lambda s: (s.raised_at, s.bucket_start))
        timings = crisis_metrics.timings(case, signals[0] if signals else None, config)
        out.append(CaseTiming(case, {t.code: t for t in timings}))
    return out


def published_clarifications(
    offices_q: Q, start: datetime, end: datetime
) -> QuerySet[Clarification]:
    return Clarification.objects.filter(
        offices_q,
        status=ClarificationStatus.PUBLISHED,
        is_exercise=False,
        case__is_exercise=False,
        published_at__gte=start,
        published_at__lt=end,
    )


def public_questions(offices_q: Q, start: datetime, end: datetime) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(
        offices_q, kind=InquiryKind.QUESTION, submitted_at__gte=start, submitted_at__lt=end
    )


# --- Computing one office's months ---------------------------------------------------------
def compute(office: Office, months: Sequence[date]) -> dict[date, Figures]:
    """The figures of ``office`` for each of ``months``, from the rows (about eight
    queries, whatever the number of months)."""
    out: dict[date, Figures] = {m: empty() for m in months}
    if not months:
        return out
    tz = ZoneInfo(office.timezone)
    start, _end = bounds(min(months), office.timezone)
    _start, end = bounds(max(months), office.timezone)
    here = Q(office=office)

    def slot(moment: datetime) -> Figures | None:
        return out.get(local_month(moment, tz))

    held: dict[int, Figures] = {}
    for check in check_conferences(held_conferences(here, start, end)):
        c = check.conference
        row = slot(c.actual_start) if c.actual_start is not None else None
        if row is None:
            continue
        held[c.pk] = row
        _inc(row, f"conf_{c.type}")
        _inc(row, "conf_full", check.full)
        _inc(row, "conf_material_ok", check.material_ok)
        _inc(row, "conf_evaluated", check.evaluated)
    _pickup(held)

    for timed in time_cases(real_cases(here, start, end)):
        row = slot(timed.case.opened_at)
        if row is None:
            continue
        _inc(row, f"case_l{int(timed.case.level)}")
        for code, prefix in (
            ("signal", "case_signal"),
            ("acknowledged", "case_ack"),
            ("statement", "case_statement"),
        ):
            timing = timed.timings[code]
            if timing.minutes is None:
                continue
            _inc(row, f"{prefix}_measured")
            _inc(
                row,
                f"{prefix}_met",
                bool(timing.at and timing.start and timing.at - timing.start <= timing.target),
            )
            if code != "signal":
                _inc(row, f"{prefix}_minutes", round(timing.minutes))

    for published_at in published_clarifications(here, start, end).values_list(
        "published_at", flat=True
    ):
        if published_at is not None and (row := slot(published_at)) is not None:
            _inc(row, "clarifications")

    for submitted_at, answered_at in public_questions(here, start, end).values_list(
        "submitted_at", "answered_at"
    ):
        row = slot(submitted_at)
        if row is None:
            continue
        _inc(row, "inq_received")
        if answered_at is not None:
            _inc(row, "inq_answered")
            _inc(
                row,
                "inq_answer_minutes",
                round(max(0.0, (answered_at - submitted_at).total_seconds()) / 60),
            )

    _coverage(office, months, out)
    return out


def _pickup(held: dict[int, Figures]) -> None:
    """Key-message pickup from the post-event evaluation of the conferences with confirmed
    coverage (one query, then the evaluation report of each such conference): items with
    text and how many carry an approved key message. Months without any stay None (not
    measured)."""
    with_coverage = set(
        CoverageProposal.objects.filter(
            conference__in=list(held), status=ProposalStatus.CONFIRMED
        ).values_list("conference_id", flat=True)
    )
    for conference in Conference.objects.filter(pk__in=with_coverage).select_related("office"):
        report = postevent.report(conference)
        if report.pickup_rate is None:  # no approved key messages, or no text to read
            continue
        row = held[conference.pk]
        _inc(row, "pickup_items", sum(1 for item in report.coverage if item.mention_id))
        _inc(row, "pickup_hits", len({i["mention_url"] for p in report.pickup for i in p.items}))


def _inc(row: Figures, column: str, by: int | bool = 1) -> None:
    row[column] = (row[column] or 0) + int(by)


def _coverage(office: Office, months: Sequence[date], out: dict[date, Figures]) -> None:
    """Mentions and their tone per month from the hourly rollups (one query)."""
    aggregates: dict[str, Any] = {}
    for i, month in enumerate(months):
        start, end = bounds(month, office.timezone)
        in_month = Q(hour__gte=start, hour__lt=end)
        aggregates[f"m{i}"] = Sum(When_(When(in_month, then="mentions"), default=0))
        for s in (Sentiment.POSITIVE, Sentiment.NEGATIVE):
            aggregates[f"{s}{i}"] = Sum(
                When_(When(in_month & Q(sentiment=s), then="mentions"), default=0)
            )
    first, _e = bounds(min(months), office.timezone)
    _s, last = bounds(max(months), office.timezone)
    sums = HourlyVolume.objects.filter(office=office, hour__gte=first, hour__lt=last).aggregate(
        **aggregates
    )
    for i, month in enumerate(months):
        row = out[month]
        row["mentions"] = int(sums[f"m{i}"] or 0)
        row["mentions_positive"] = int(sums[f"{Sentiment.POSITIVE}{i}"] or 0)
        row["mentions_negative"] = int(sums[f"{Sentiment.NEGATIVE}{i}"] or 0)


# --- Refresh and check ---------------------------------------------------------------------
def data_months(now: datetime | None = None) -> list[date]:
    """Every month from the oldest row any indicator reads up to the current one."""
    now = now or timezone.now()
    firsts = [
        Conference.objects.performance().aggregate(m=Min("actual_start"))["m"],
        Case.objects.performance().aggregate(m=Min("opened_at"))["m"],
        Inquiry.objects.aggregate(m=Min("submitted_at"))["m"],
        HourlyVolume.objects.aggregate(m=Min("hour"))["m"],
    ]
    known = [f for f in firsts if f is not None]
    # A day's margin: a row at the start of a month in WIT is the previous month in UTC.
    first = (min(known) - timedelta(days=1)).date() if known else now.date()
    return months_between(first, (now + timedelta(days=1)).date())


def recent_months(now: datetime | None = None, n: int = 2) -> list[date]:
    """The current month and the ``n - 1`` before it."""
    current = month_start((now or timezone.now()).date())
    return [add_months(current, -i) for i in reversed(range(n))]


def refresh(months: Sequence[date], offices: Iterable[Office] | None = None) -> int:
    """Recompute and store the figures of ``offices`` (default: every office) for
    ``months``; returns the number of rows written. Costs about eight queries per office."""
    offices = list(offices if offices is not None else Office.objects.all())
    now = timezone.now()
    written = 0
    for office in offices:
        figures = compute(office, months)
        rows = [
            OfficeMonth(office=office, month=month, computed_at=now, **values)
            for month, values in figures.items()
        ]
        with transaction.atomic():
            OfficeMonth.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["office", "month"],
                update_fields=[*COLUMNS, "computed_at"],
            )
        written += len(rows)
    return written


@dataclass(frozen=True)
class Difference:
    office: Office
    month: date
    column: str
    stored: int | None
    computed: int | None


def check(months: Sequence[date], offices: Iterable[Office] | None = None) -> list[Difference]:
    """Recompute from the rows and compare with what is stored (nothing is written): a
    missing stored row counts as zeros."""
    offices = list(offices if offices is not None else Office.objects.all())
    stored: dict[tuple[int, date], OfficeMonth] = (
        {
            (r.office_id, r.month): r
            for r in OfficeMonth.objects.filter(
                office__in=offices, month__gte=min(months), month__lte=max(months)
            )
        }
        if months
        else {}
    )
    out = []
    blank = empty()
    for office in offices:
        for month, values in compute(office, months).items():
            row = stored.get((office.pk, month))
            for column in COLUMNS:
                kept = getattr(row, column) if row is not None else blank[column]
                if kept != values[column]:
                    out.append(Difference(office, month, column, kept, values[column]))
    return out
