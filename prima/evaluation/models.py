"""Models of the evaluation app (each part in its own module)."""

from .indicators_models import (
    AdoptionPlan,
    IndicatorSchedulerState,
    IndicatorTarget,
    OfficeMonth,
)

__all__ = ["AdoptionPlan", "IndicatorSchedulerState", "IndicatorTarget", "OfficeMonth"]
