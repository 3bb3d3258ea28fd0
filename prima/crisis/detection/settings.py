"""The detector's settings: a frozen dataclass read from a JSON artefact in this package."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).with_name("settings.json")


@dataclass(frozen=True)
class DetectorSettings:
    """Everything that shapes the detector's scores: one set for every series.

    Rates are per point. ``MODEL_CARD.md`` explains each field; ``settings.json`` holds the
    shipped values.
    """

    name: str = "prima-storm"
    # A point alarms when its score reaches this (and the detector is armed).
    threshold: float = 0.5
    # Warm-up: no score and no alarm for at least this many points and this much time
    # (past episodes are remembered from ``warmup`` points on).
    warmup: int = 100
    warmup_hours: float = 24.0
    # Expectation: bins of the daily profile; learning rates of the level, the profile,
    # the per-bin scale; residuals are clipped at ``clip`` scale units before learning.
    day_bins: int = 48
    level_rate: float = 0.05
    season_rate: float = 0.01
    scale_rate: float = 0.01
    clip: float = 6.0
    # Floor of the scale: this share of the series' long-run mean absolute deviation.
    volatility_rate: float = 0.002
    volatility_floor: float = 0.1
    # Smoothing of the short and long mean tests.
    short_rate: float = 0.6
    long_rate: float = 0.06
    # Calibration: remembered episode peaks per statistic, their decay (points), the
    # least z-like value that can alarm, how far past the remembered peaks a value must
    # go, and the level under which an episode ends.
    memory_size: int = 3
    memory_points: float = 10000.0
    significance_floor: float = 3.5
    margin: float = 1.15
    episode_end: float = 3.0
    # Drops (statistics below the expectation) must go this many times further than rises
    # to alarm: a storm is a rise; a drop matters less (and is often a gap in the data).
    drop_factor: float = 1.0
    # After an alarm: re-armed once the score ratio stayed under ``rearm_level`` for
    # ``calm_points`` points and ``refractory_points`` have passed.
    rearm_level: float = 0.5
    calm_points: int = 3
    refractory_points: int = 12
    # Relative-entropy test (Wang et al. 2011, NAB's "relativeEntropy" baseline): the
    # histogram (``entropy_bins`` bins over the running minimum..maximum) of the last
    # ``entropy_window`` values against up to ``entropy_hypotheses`` remembered histograms;
    # its ratio is the smallest relative entropy over NAB's chi-squared bar (1 %), divided
    # by ``entropy_bar``, and joins the other tests' ratios (largest wins). 0: no test.
    entropy_window: int = 0
    entropy_bins: int = 5
    entropy_hypotheses: int = 30
    entropy_bar: float = 2.0
    # Shape discords (left matrix profile, as in DAMP, Lu et al. 2022): the series averaged
    # over blocks of ``discord_block`` points; each new subsequence of ``discord_length``
    # blocks is compared with the earlier ones that start ``discord_length`` to
    # ``discord_history`` blocks before it (mean-centred, scaled by its deviation floored
    # at ``discord_floor`` × the typical one); the distance to the nearest is calibrated like
    # the other statistics and its ratio, divided by ``discord_bar``, joins them. 0: none.
    discord_block: int = 0
    discord_length: int = 16
    discord_history: int = 125
    discord_floor: float = 3.0
    discord_bar: float = 1.25

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold!r}")
        for name in (
            "level_rate",
            "season_rate",
            "scale_rate",
            "volatility_rate",
            "short_rate",
            "long_rate",
        ):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value!r}")
        if not 0.0 <= self.rearm_level < 1.0:
            raise ValueError("rearm_level must be in [0, 1)")
        if self.day_bins < 1 or self.memory_size < 1:
            raise ValueError("day_bins and memory_size must be at least 1")
        if self.warmup < 1 or self.calm_points < 1:
            raise ValueError("warmup and calm_points must be at least 1")
        if self.warmup_hours < 0:
            raise ValueError("warmup_hours must be at least 0")
        if self.refractory_points < 0:
            raise ValueError("refractory_points must be at least 0")
        for name in (
            "clip",
            "memory_points",
            "significance_floor",
            "margin",
            "episode_end",
            "drop_factor",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.entropy_window < 0 or not 2 <= self.entropy_bins <= 10:
            raise ValueError("entropy_window must be at least 0 and entropy_bins in 2..10")
        if self.entropy_hypotheses < 1 or self.entropy_bar <= 0:
            raise ValueError("entropy_hypotheses must be at least 1, entropy_bar positive")
        if self.discord_block < 0 or self.discord_length < 2:
            raise ValueError("discord_block must be at least 0 and discord_length at least 2")
        if self.discord_history < self.discord_length:
            raise ValueError("discord_history must be at least discord_length")
        if self.discord_floor < 0 or self.discord_bar <= 0:
            raise ValueError("discord_floor must be at least 0, discord_bar positive")
        if self.volatility_floor < 0:
            raise ValueError("volatility_floor must be at least 0")

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
