"""Models of the evaluation app (each part keeps its models in its own module)."""

from .coverage_models import CoverageProposal, CoverageQuery, ProposalStatus
from .indicators_models import (
    AdoptionPlan,
    IndicatorSchedulerState,
    IndicatorTarget,
    OfficeMonth,
)

__all__ = [
    "AdoptionPlan",
    "CoverageProposal",
    "CoverageQuery",
    "IndicatorSchedulerState",
    "IndicatorTarget",
    "OfficeMonth",
    "ProposalStatus",
]
