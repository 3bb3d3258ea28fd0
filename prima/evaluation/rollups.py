"""Roll-ups of the monthly figures: an office, a Kanwil beside its offices, the
directorate general beside its Kanwil; targets per indicator and level; adoption.

Everything here reads :class:`OfficeMonth` rows (pre-aggregated by
:mod:`prima.evaluation.indicators`): a unit's figures are the sum of the rows of its
sub-tree, so a total is always the sum of the units shown beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Min, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.conferences.models import Conference, Status
from prima.lib import dates
from prima.organizations.models import Office, OfficeLevel

from . import indicators as ind
from .indicators_models import AdoptionPlan, IndicatorTarget, OfficeMonth


# --- Periods ------------------------------------------------------------------------------
class PeriodError(ValueError):
    pass


PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A month ("2026-05"), a quarter ("2026-Q2") or a year ("2026")."""

    kind: str  # "month" | "quarter" | "year"
    first: date
    count: int

    @classmethod
    def parse(cls, text: str | None, today: date | None = None) -> Period:
        """Parse a period; empty means the current year. Raises :class:`PeriodError`."""
        today = today or timezone.localdate()
        if not text:
            return cls("year", date(today.year, 1, 1), 12)
        match = PERIOD_RE.match(text.strip())
        if match is None:
            raise PeriodError(
                _("Unknown period %(p)r: use 2026, 2026-Q2 or 2026-05.") % {"p": text}
            )
        year = int(match["year"])
        if not 2000 <= year <= 2100:
            raise PeriodError(_("The year must be between 2000 and 2100."))
        if match["quarter"]:
            return cls("quarter", date(year, 3 * int(match["quarter"]) - 2, 1), 3)
        if match["month"]:
            return cls("month", date(year, int(match["month"]), 1), 1)
        return cls("year", date(year, 1, 1), 12)

    @property
    def months(self) -> list[date]:
        return [ind.add_months(self.first, i) for i in range(self.count)]

    @property
    def slug(self) -> str:
        if self.kind == "year":
            return f"{self.first.year}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first:%Y-%m}"

    def label(self, lang: str = "id") -> str:
        if self.kind == "year":
            return str(self.first.year)
        if self.kind == "quarter":
            return _("Quarter %(q)d %(y)d") % {
                "q": (self.first.month - 1) // 3 + 1,
                "y": self.first.year,
            }
        names = dates.MONTHS_ID if lang.startswith("id") else dates.MONTHS_EN
        return f"{names[self.first.month - 1]} {self.first.year}"

    def shifted(self, step: int) -> Period:
        return Period(self.kind, ind.add_months(self.first, step * self.count), self.count)

    def start_end(self, tz_name: str) -> tuple[datetime, datetime]:
        start, _e = ind.bounds(self.first, tz_name)
        _s, end = ind.bounds(self.months[-1], tz_name)
        return start, end


# --- Targets ------------------------------------------------------------------------------
class Targets:
    """The targets that apply to units of the sub-trees asked about (one query)."""

    def __init__(self, offices: list[Office]) -> None:
        ids = {int(p) for o in offices for p in o.path.strip("/").split("/") if p}
        self._rows: dict[tuple[int, str, str], float] = {
            (t.office_id, t.level, t.indicator): t.value
            for t in IndicatorTarget.objects.filter(office_id__in=ids)
        }

    def for_unit(self, unit: Office, code: str) -> float | None:
        """The nearest target above (or at) ``unit`` for its level, or None."""
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        for office_id in reversed(ids):
            value = self._rows.get((office_id, unit.level, code))
            if value is not None:
                return value
        return None


# --- Cells and rows -----------------------------------------------------------------------
@dataclass
class Cell:
    indicator: ind.Indicator
    value: float | None
    target: float | None
    missed: bool | None

    @property
    def measured(self) -> bool:
        return self.value is not None

    def text(self) -> str:
        return format_value(self.indicator, self.value)

    def target_text(self) -> str:
        return format_value(self.indicator, self.target)


def format_value(indicator: ind.Indicator, value: float | None) -> str:
    if value is None:
        return "—"
    if indicator.kind == "count":
        return f"{int(value):,}".replace(",", ".")
    if indicator.kind == "share":
        return f"{value:.0f}%"
    return (
        f"{value:,.1f}".replace(",", "x").replace(".", ",").replace("x", ".") + f" {indicator.unit}"
    )


@dataclass
class UnitRow:
    office: Office
    label: str
    sums: ind.Figures
    cells: dict[str, Cell]
    is_total: bool = False
    own: bool = False  # the focus office's own figures (not its sub-tree)
    drillable: bool = False


def cells_for(sums: ind.Figures, unit: Office, targets: Targets) -> dict[str, Cell]:
    out = {}
    for i in ind.INDICATORS:
        value = i.compute(sums)
        target = targets.for_unit(unit, i.code)
        out[i.code] = Cell(i, value, target, i.misses(value, target))
    return out


def _ints(row: dict[str, Any]) -> ind.Figures:
    """The sums of a ``values().annotate()`` row as ints (PostgreSQL sums big integers
    as numeric, i.e. Decimal); None stays None (not measured)."""
    return {c: None if row[c] is None else int(row[c]) for c in ind.COLUMNS}


@dataclass
class Rollup:
    focus: Office
    period: Period
    rows: list[UnitRow]
    total: UnitRow
    computed_at: datetime | None
    monthly: list[tuple[date, ind.Figures]]


def rollup(focus: Office, period: Period) -> Rollup:
    """The units below ``focus`` side by side (Kanwil for the directorate general, offices
    for a Kanwil, the office itself for an office), the focus's own figures when it has
    any, and the total of its sub-tree. Four queries."""
    subtree = list(Office.objects.filter(path__startswith=focus.path).order_by("path"))
    # Units by name: ids (and so paths) do not follow any order a reader knows.
    children = sorted((o for o in subtree if o.parent_id == focus.pk), key=lambda o: o.short_name)
    months = period.months
    sums = {c: Sum(c) for c in ind.COLUMNS}
    rows_qs = OfficeMonth.objects.filter(
        office__path__startswith=focus.path, month__gte=months[0], month__lte=months[-1]
    )
    per_office: dict[int, ind.Figures] = {
        row["office_id"]: _ints(row)
        for row in rows_qs.values("office_id").annotate(**sums).order_by()
    }
    monthly: dict[date, ind.Figures] = {m: ind.empty() for m in months}
    for row in rows_qs.values("month").annotate(**sums).order_by():
        monthly[row["month"]] = _ints(row)
    computed_at = rows_qs.aggregate(at=Max("computed_at"))["at"]
    targets = Targets([focus])
    by_child: dict[int, ind.Figures] = {c.pk: ind.empty() for c in children}
    own = ind.empty()
    for office in subtree:
        found = per_office.get(office.pk)
        if found is None:
            continue
        if office.pk == focus.pk:
            ind.add(own, found)
            continue
        child = next(c for c in children if office.path.startswith(c.path))
        ind.add(by_child[child.pk], found)
    total = ind.empty()
    for figures in per_office.values():
        ind.add(total, figures)
    rows = [
        UnitRow(
            c, c.short_name, by_child[c.pk], cells_for(by_child[c.pk], c, targets), drillable=True
        )
        for c in children
    ]
    if not children or any(v for v in own.values()):
        rows.insert(
            0,
            UnitRow(
                focus,
                focus.short_name
                if not children
                else _("%(name)s (own)") % {"name": focus.short_name},
                own,
                cells_for(own, focus, targets),
                own=True,
            ),
        )
    total_row = UnitRow(focus, _("Total"), total, cells_for(total, focus, targets), is_total=True)
    return Rollup(focus, period, rows, total_row, computed_at, sorted(monthly.items()))


# --- Adoption -----------------------------------------------------------------------------
ADOPTION_STATES: dict[str, str | Promise] = {
    "using": gettext_lazy("Using PRIMA"),
    "late": gettext_lazy("Planned date passed, not used yet"),
    "early": gettext_lazy("Using PRIMA ahead of plan"),
    "waiting": gettext_lazy("Not due yet"),
    "unplanned": gettext_lazy("Not in the plan"),
}


@dataclass
class Adoption:
    office: Office
    planned_from: date | None
    first_conference: datetime | None
    first_evaluation: datetime | None
    conferences: int
    full: int
    state: str

    @property
    def full_share(self) -> float | None:
        return 100.0 * self.full / self.conferences if self.conferences else None

    @property
    def state_label(self) -> str:
        return str(ADOPTION_STATES[self.state])


def adoption(focus: Office, today: date | None = None) -> list[Adoption]:
    """Every office (level "office") in ``focus``'s sub-tree: planned date, first real
    conference held, first evaluation completed, conferences held and how many followed
    the full workflow (all time). Four queries."""
    today = today or timezone.localdate()
    subtree = list(Office.objects.filter(path__startswith=focus.path).order_by("path"))
    plans = {
        p.office_id: p.planned_from
        for p in AdoptionPlan.objects.filter(
            office__in=[int(x) for x in focus.path.strip("/").split("/")] + [o.pk for o in subtree]
        )
    }
    firsts = {
        r["office_id"]: r
        for r in Conference.objects.performance()
        .filter(office__path__startswith=focus.path)
        .exclude(status=Status.CANCELLED)
        .values("office_id")
        .annotate(
            first=Min("actual_start"), evaluated=Min("completed_at"), last=Max("actual_start")
        )
    }
    totals = {
        r["office_id"]: r
        for r in OfficeMonth.objects.filter(office__path__startswith=focus.path)
        .values("office_id")
        .annotate(
            held=Sum("conf_regular") + Sum("conf_incidental") + Sum("conf_crisis"),
            full=Sum("conf_full"),
        )
    }
    out = []
    for office in subtree:
        if office.level != OfficeLevel.OFFICE:
            continue
        planned = None
        for pid in reversed([int(p) for p in office.path.strip("/").split("/") if p]):
            if pid in plans:
                planned = plans[pid]
                break
        first: dict[str, Any] = firsts.get(office.pk) or {}
        t: dict[str, Any] = totals.get(office.pk) or {}
        first_conf = first.get("first")
        if planned is None:
            state = "using" if first_conf else "unplanned"
        elif first_conf is not None:
            state = "early" if first_conf.date() < planned else "using"
        else:
            state = "late" if planned <= today else "waiting"
        out.append(
            Adoption(
                office,
                planned,
                first_conf,
                first.get("evaluated"),
                int(t.get("held") or 0),
                int(t.get("full") or 0),
                state,
            )
        )
    return out


def units_q(unit: Office, *, own: bool = False) -> Q:
    """A filter on ``office`` for ``unit``'s sub-tree (or the unit alone with ``own``)."""
    return Q(office=unit) if own else Q(office__path__startswith=unit.path)
