"""API: evaluation — indicators and roll-ups, adoption.

The same policy and functions as the pages: an office outside the person's reach is a
404, no right to indicators anywhere a 403, an unreadable period a 400.
"""

# No "from __future__ import annotations": ninja reads the parameter types at run time.
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from prima.organizations import policy
from prima.organizations.apitypes import Id, errors
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office

from . import indicators as ind
from . import rollups
from .indicators_views import default_office
from .postevent_api import router as postevent_router

router = Router(tags=["evaluation"])
router.add_router("", postevent_router)


class CellOut(Schema):
    code: str
    value: float | None = Field(..., description="None: nothing to measure (or not measured)")
    target: float | None
    missed: bool | None = Field(..., description="True: misses its target; None: no target")


class UnitOut(Schema):
    office_id: int
    office_code: str
    name: str
    level: str
    own: bool = Field(..., description="The office's own figures, without its sub-tree")
    is_total: bool
    figures: dict[str, int | None] = Field(..., description="The sums behind the indicators")
    indicators: list[CellOut]


class IndicatorDef(Schema):
    code: str
    section: str
    label: str
    kind: str
    unit: str
    higher_is_better: bool


class RollupOut(Schema):
    office_id: int
    period: str
    first_month: date
    months: int
    computed_at: datetime | None
    definitions: list[IndicatorDef]
    units: list[UnitOut]
    total: UnitOut


class AdoptionOut(Schema):
    office_id: int
    office_code: str
    name: str
    planned_from: date | None
    first_conference: datetime | None
    first_evaluation: datetime | None
    conferences: int
    full_workflow_share: float | None
    state: str


def _focus(request: AuthenticatedHttpRequest, office_id: int | None) -> Office:
    if not policy.can_anywhere(request.user, "indicator.view"):
        raise PermissionDenied
    if office_id is None:
        return default_office(request.user)
    office: Office = policy.get_for(request.user, "indicator.view", Office, pk=office_id)
    return office


def _unit(row: rollups.UnitRow) -> dict[str, Any]:
    return {
        "office_id": row.office.pk,
        "office_code": row.office.code,
        "name": str(row.label),
        "level": row.office.level,
        "own": row.own,
        "is_total": row.is_total,
        "figures": row.sums,
        "indicators": [
            {"code": c.indicator.code, "value": c.value, "target": c.target, "missed": c.missed}
            for c in row.cells.values()
        ],
    }


@router.get(
    "/evaluation/indicators",
    response={**errors(401, 403, 404, 422), 200: RollupOut},
    summary="Indicators of an office for a period, its units side by side and their total",
)
def get_indicators(
    request: AuthenticatedHttpRequest, office_id: Id | None = None, period: str | None = None
) -> Any:
    """``office_id``: default the highest office the person may see; ``period``: ``2026``,
    ``2026-Q2`` or ``2026-05`` (default: the current year). A directorate general's units
    are its Kanwil, a Kanwil's its offices; ``total`` is always their sum."""
    focus = _focus(request, office_id)
    try:
        parsed = rollups.Period.parse(period, timezone.localdate())
    except rollups.PeriodError as err:
        return Status(400, {"detail": str(err)})
    result = rollups.rollup(focus, parsed)
    return {
        "office_id": focus.pk,
        "period": parsed.slug,
        "first_month": parsed.first,
        "months": parsed.count,
        "computed_at": result.computed_at,
        "definitions": [
            {
                "code": i.code,
                "section": i.section,
                "label": str(i.label),
                "kind": i.kind,
                "unit": str(i.unit),
                "higher_is_better": i.higher_is_better,
            }
            for i in ind.INDICATORS
        ],
        "units": [_unit(r) for r in result.rows],
        "total": _unit(result.total),
    }


@router.get(
    "/evaluation/adoption",
    response={**errors(401, 403, 404, 422), 200: list[AdoptionOut]},
    summary="Which offices below an office use PRIMA, since when and how fully",
)
def get_adoption(request: AuthenticatedHttpRequest, office_id: Id | None = None) -> Any:
    focus = _focus(request, office_id)
    return [
        {
            "office_id": a.office.pk,
            "office_code": a.office.code,
            "name": a.office.name,
            "planned_from": a.planned_from,
            "first_conference": a.first_conference,
            "first_evaluation": a.first_evaluation,
            "conferences": a.conferences,
            "full_workflow_share": a.full_share,
            "state": a.state,
        }
        for a in rollups.adoption(focus)
    ]
