"""The detector's settings: a frozen dataclass read from a JSON artefact in this package."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).with_name("settings.json")


@dataclass(frozen=True)
class DetectorSettings:
    """Everything that shapes the detector's scores; one set for every series.

    ``threshold`` is the score at or above which a point alarms (when the detector is
    armed). The other fields are documented in ``MODEL_CARD.md``.
    """

    name: str = "prima-storm"
    threshold: float = 0.5
    # Points before the first score can alarm (the model is still learning).
    warmup: int = 60
    # Smoothing of the fast (recent) and slow (background) estimates, per point.
    fast_alpha: float = 0.3
    slow_alpha: float = 0.005
    # After an alarm the score is held below the threshold until it has stayed below
    # ``rearm_level`` for ``calm_points`` consecutive points.
    rearm_level: float = 0.2
    calm_points: int = 12

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if not 0.0 <= self.rearm_level < self.threshold:
            raise ValueError("rearm_level must be in [0, threshold)")
        for name in ("fast_alpha", "slow_alpha"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value!r}")
        if self.warmup < 1 or self.calm_points < 1:
            raise ValueError("warmup and calm_points must be at least 1")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DetectorSettings:
        """Settings from a mapping; unknown keys are an error (a typo must not pass)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known - {"comment"})
        if unknown:
            raise ValueError(f"unknown detector settings: {', '.join(unknown)}")
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def load(cls, path: Path | str = SETTINGS_FILE) -> DetectorSettings:
        with open(path, encoding="utf-8") as handle:
            return cls.from_dict(json.load(handle))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


SHIPPED_SETTINGS = DetectorSettings.load()
