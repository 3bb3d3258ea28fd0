"""The one scoring function: content, context and public interest → a level 1–4.

Pure: plain values in, a :class:`Result` out (no database). Every assessment — automatic
at a signal, by staff on the case page, through the API, in a drill — calls
:func:`assess`.

The score is a sum of points:

- **content**: the base severity of the category in the taxonomy;
- **context** and **public interest**: each factor's value between 0 and 1 times its
  weight (the points it gives at its full value).

The level is the highest one whose threshold the score reaches (1 below the level-2
threshold). **Missing information** is named and leans higher, never lower: an unknown
factor counts at its configured assumed value (an unknown category at the "unknown"
severity), and when the missing information, at its worst, could put the case on a
higher level, the level is raised by one step (never beyond that worst-case level). So a
case is never placed lower because something is not known yet: with the missing
information at or below its assumed value the level is at least what it would be, and
with the shipped configuration removing any single piece of information never lowers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .config import CONTEXT_FACTORS, FACTORS, Config

UNKNOWN = "unknown"
COMPUTED = "computed"
STAFF = "staff"
ASSUMED = "assumed"


@dataclass(frozen=True)
class FactorInput:
    """A factor's value between 0 and 1 (None: not known), where it came from and a
    readable detail of the measure behind it (e.g. "8,4× the baseline")."""

    value: float | None
    source: str = COMPUTED
    detail: str = ""


@dataclass(frozen=True)
class Inputs:
    category: str = ""
    factors: Mapping[str, FactorInput] = field(default_factory=dict)


@dataclass(frozen=True)
class Contribution:
    factor: str  # "category" or a factor code
    value: float | None  # what is known (None: missing)
    used: float  # what the score used
    points: float
    max_points: float
    source: str  # computed / staff / assumed
    detail: str = ""

    @property
    def is_missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Result:
    score: float
    level: int
    base_level: int  # with missing information at its assumed value
    worst_level: int  # with missing information at its worst
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]

    @property
    def raised_for_missing(self) -> bool:
        return self.level > self.base_level

    def to_data(self) -> list[dict[str, object]]:
        return [
            {
                "factor": c.factor,
                "value": c.value,
                "used": round(c.used, 4),
                "points": round(c.points, 2),
                "max_points": round(c.max_points, 2),
                "source": c.source,
                "detail": c.detail,
            }
            for c in self.contributions
        ]


def level_for(score: float, thresholds: Mapping[int, float]) -> int:
    """The highest level whose threshold ``score`` reaches; 1 below them all."""
    level = 1
    for candidate in (2, 3, 4):
        if score >= thresholds[candidate]:
            level = candidate
    return level


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


def assess(config: Config, inputs: Inputs) -> Result:
    """Score ``inputs`` with ``config`` (see the module docstring)."""
    contributions: list[Contribution] = []
    missing: list[str] = []
    category = config.category(inputs.category)
    worst_severity = max((c.severity for c in config.taxonomy), default=0)
    if category is None:
        missing.append("category")
        severity = float(config.unknown_severity)
        worst = float(max(worst_severity, config.unknown_severity))
        contributions.append(Contribution("category", None, severity, severity, worst, ASSUMED, ""))
    else:
        severity = worst = float(category.severity)
        contributions.append(
            Contribution(
                "category", 1.0, 1.0, severity, float(worst_severity), STAFF, category.code
            )
        )
    score, worst_score = severity, worst
    for factor in FACTORS:
        weight = float(config.weights.get(factor, 0))
        given = inputs.factors.get(factor)
        value = None if given is None or given.value is None else _clamp(given.value)
        if value is None:
            used = _clamp(config.assume.get(factor, 0.5))
            missing.append(factor)
            source = ASSUMED
            worst_points = weight
        else:
            used = value
            source = given.source if given is not None else COMPUTED
            worst_points = weight * value
        points = weight * used
        score += points
        worst_score += worst_points
        contributions.append(
            Contribution(factor, value, used, points, weight, source, given.detail if given else "")
        )
    base = level_for(score, config.thresholds)
    worst_level = level_for(worst_score, config.thresholds)
    level = min(base + 1, worst_level) if worst_level > base else base
    return Result(
        score=round(score, 2),
        level=level,
        base_level=base,
        worst_level=worst_level,
        contributions=tuple(contributions),
        missing=tuple(missing),
    )


def is_context(factor: str) -> bool:
    return factor in CONTEXT_FACTORS
