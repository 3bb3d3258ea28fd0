"""The context of an issue, measured from monitoring data: volume against the baseline,
growth speed, negative share, reach of the authors, pick-up by mainstream outlets and
spread across platforms.

Pure functions over :class:`Bucket` rows (mentions of a case per 5-minute bucket, read
from monitoring by :mod:`.casedata` or taken from a drill's scenario): :func:`measure`
computes the raw measures, :func:`factors` turns them into the scoring function's 0…1
factor values with a readable detail each. The scales (documented in
``docs/crisis.md``):

============  =====================================  ===================================
factor        measure                                0 … 1
============  =====================================  ===================================
volume        mentions per hour since the burst       1× the baseline … 10× (log scale)
              against the 7 days before
growth        last hour against the hour before       1× … 4× (log scale)
negative      share of negative mentions              30 % … 90 %
reach         largest audience of one author          1,000 … 1,000,000 followers (log)
mainstream    distinct news / print / TV / radio      0 … 3 outlets
              outlets
spread        distinct platforms                      1 … 4 platforms
============  =====================================  ===================================
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from prima.lib.money import format_number
from prima.monitoring.models import Platform

from .scoring import COMPUTED, FactorInput

MAINSTREAM_PLATFORMS = frozenset({"news", "print", "tv", "radio"})
MIN_FOR_SHARE = 3
# A baseline of less than one mention a day counts as one a day (a topic nobody spoke
# about is not infinitely surprising).
BASELINE_FLOOR_PER_HOUR = 1 / 24


@dataclass
class Bucket:
    """Mentions of one 5-minute bucket (or any span) of a case."""

    start: datetime
    total: int = 0
    negative: int = 0
    platforms: dict[str, int] = field(default_factory=dict)
    outlets: set[str] = field(default_factory=set)
    reach: int | None = None  # the largest follower count among the authors

    def add(self, other: Bucket) -> None:
        self.total += other.total
        self.negative += other.negative
        for platform, n in other.platforms.items():
            self.platforms[platform] = self.platforms.get(platform, 0) + n
        self.outlets |= other.outlets
        if other.reach is not None:
            self.reach = max(self.reach or 0, other.reach)


@dataclass(frozen=True)
class Measures:
    mentions: int
    hours: float
    baseline_per_hour: float | None
    volume_ratio: float | None
    last_hour: int
    previous_hour: int
    growth: float | None
    negative_share: float | None
    top_reach: int | None
    outlets: tuple[str, ...]
    platforms: tuple[str, ...]


def merge(buckets: Iterable[Bucket], start: datetime) -> Bucket:
    total = Bucket(start=start)
    for bucket in buckets:
        total.add(bucket)
    return total


def measure(
    window: Sequence[Bucket],
    *,
    since: datetime,
    until: datetime,
    baseline_mentions: int | None,
    baseline_hours: float,
) -> Measures:
    """Raw measures of the mentions in ``window`` (buckets starting in [since, until)),
    against ``baseline_mentions`` over the ``baseline_hours`` before ``since`` (None when
    there is no history to compare with)."""
    inside = [b for b in window if since <= b.start < until]
    total = merge(inside, since)
    hours = max(1.0, (until - since).total_seconds() / 3600)
    baseline = None
    ratio = None
    if baseline_mentions is not None and baseline_hours > 0:
        baseline = baseline_mentions / baseline_hours
        ratio = (total.total / hours) / max(baseline, BASELINE_FLOOR_PER_HOUR)
    hour = timedelta(hours=1)
    last = sum(b.total for b in window if until - hour <= b.start < until)
    previous = sum(b.total for b in window if until - 2 * hour <= b.start < until - hour)
    growth = (last + 1) / (previous + 1) if total.total else None
    share = total.negative / total.total if total.total >= MIN_FOR_SHARE else None
    mainstream = tuple(sorted(o for o in total.outlets if o))
    return Measures(
        mentions=total.total,
        hours=hours,
        baseline_per_hour=baseline,
        volume_ratio=ratio,
        last_hour=last,
        previous_hour=previous,
        growth=growth,
        negative_share=share,
        top_reach=total.reach,
        outlets=mainstream,
        platforms=tuple(sorted(p for p, n in total.platforms.items() if n)),
    )


def _platform_label(code: str) -> str:
    return str(Platform(code).label) if code in Platform.values else code


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _decimal(value: float) -> str:
    return format_number(value, 1)


def factors(m: Measures) -> dict[str, FactorInput]:
    """The six context factors (0…1) with the detail shown in the explanation."""
    out: dict[str, FactorInput] = {}
    if m.volume_ratio is None:
        out["volume"] = FactorInput(None, COMPUTED, _("no history to compare with"))
    else:
        out["volume"] = FactorInput(
            _clamp(math.log10(max(m.volume_ratio, 1.0))),
            COMPUTED,
            _("%(n)s mentions since the burst, %(ratio)s× the usual rate")
            % {"n": format_number(m.mentions), "ratio": _decimal(m.volume_ratio)},
        )
    if m.growth is None:
        out["growth"] = FactorInput(None, COMPUTED, _("no mentions yet"))
    else:
        out["growth"] = FactorInput(
            _clamp(math.log(max(m.growth, 1.0)) / math.log(4)),
            COMPUTED,
            _("%(last)s mentions in the last hour, %(previous)s in the hour before")
            % {"last": format_number(m.last_hour), "previous": format_number(m.previous_hour)},
        )
    if m.negative_share is None:
        out["negative"] = FactorInput(None, COMPUTED, _("too few mentions to tell"))
    else:
        out["negative"] = FactorInput(
            _clamp((m.negative_share - 0.3) / 0.6),
            COMPUTED,
            _("%(share)s%% negative") % {"share": format_number(100 * m.negative_share)},
        )
    if m.top_reach is None:
        out["reach"] = FactorInput(None, COMPUTED, _("no audience figures in the data"))
    else:
        out["reach"] = FactorInput(
            _clamp(math.log10(max(m.top_reach, 1) / 1000) / 3),
            COMPUTED,
            _("largest audience: %(n)s followers") % {"n": format_number(m.top_reach)},
        )
    out["mainstream"] = FactorInput(
        _clamp(len(m.outlets) / 3),
        COMPUTED,
        (_("picked up by %(outlets)s") % {"outlets": ", ".join(m.outlets[:5])})
        if m.outlets
        else _("no news outlet yet"),
    )
    out["spread"] = FactorInput(
        _clamp((len(m.platforms) - 1) / 3) if m.platforms else 0.0,
        COMPUTED,
        ", ".join(_platform_label(p) for p in m.platforms) if m.platforms else _("no mentions yet"),
    )
    return out
