"""Drills: a recorded or generated storm replayed into an exercise case.

A drill's scenario is a list of 5-minute buckets (mentions, negative ones, platforms,
news outlets, largest audience). :func:`generate_storm` makes one (a quiet day with its
daily rhythm, then a burst that grows); :func:`record_from_case` takes a real case's
buckets around its burst. :func:`start` places the scenario on the clock: its history is
read at once (the detector learns what is usual), then one bucket plays every 5 minutes
through the same detector, signals, grouping, assessment and escalation as a real storm,
into a case marked as an exercise (never counted in performance figures; messages say
"exercise"; its clarifications are never public).
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from . import buckets, casedata, streaming
from .buckets import BUCKET
from .errors import InvalidAction, InvalidInput
from .models import Case, Drill, DrillStatus

MAX_BUCKETS = 7 * 24 * 12
PLATFORM_MIX = {"twitter": 0.5, "tiktok": 0.3, "instagram": 0.12, "facebook": 0.08}
OUTLETS = ["Warta Bandara", "Kabar Tangerang", "Harian Nusantara", "Berita Kota Online"]


def generate_storm(
    *,
    history_hours: int = 72,  # the detector learns a series for two days first
    baseline_per_hour: float = 3.0,
    burst_hours: float = 3.0,
    peak_per_bucket: int = 40,
    negative_share: float = 0.8,
    news_after_minutes: int = 45,
    seed: int = 1,
) -> dict[str, Any]:
    """A deterministic storm scenario: ``history_hours`` of ordinary volume with a daily
    rhythm (quiet at night), then a burst that opens at 40 % of ``peak_per_bucket``
    mentions per 5 minutes, peaks within the hour and calms down slowly, picked up by news
    outlets after ``news_after_minutes``."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible exercise, not a secret
    rows: list[dict[str, Any]] = []
    history = history_hours * 12
    for i in range(history):
        hour = (i / 12) % 24
        rhythm = 0.35 + 0.65 * max(0.0, math.sin(math.pi * (hour - 5) / 16))
        mean = baseline_per_hour / 12 * rhythm * 1.6
        total = _poisson(rng, mean)
        negative = sum(rng.random() < 0.3 for _ in range(total))
        rows.append(_bucket(rng, total, negative, outlets=[], reach=rng.randint(200, 5000)))
    burst = int(burst_hours * 12)
    for j in range(burst):
        # A video goes viral: the burst opens at 40 % of its peak, reaches it within an
        # hour, then slowly calms down.
        rise = 0.4 + 0.6 * min(1.0, j / 12) if j < 12 else max(0.3, 1.0 - (j - 12) / 60)
        total = _poisson(rng, max(1.0, peak_per_bucket * rise))
        negative = sum(rng.random() < negative_share for _ in range(total))
        outlets = (
            [OUTLETS[k % len(OUTLETS)] for k in range(j // 6)]
            if j * 5 >= news_after_minutes
            else []
        )
        rows.append(_bucket(rng, total, negative, outlets=outlets[:1] if j % 3 == 0 else [],
                            reach=rng.randint(5_000, 400_000)))  # fmt: skip
    return {"buckets": rows, "burst_index": history, "lead_in": 3, "source": "generated"}


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means of a 5-minute bucket.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _bucket(
    rng: random.Random, total: int, negative: int, *, outlets: list[str], reach: int
) -> dict[str, Any]:
    platforms: dict[str, int] = {}
    for _post in range(total):
        platform = rng.choices(list(PLATFORM_MIX), weights=list(PLATFORM_MIX.values()))[0]
        platforms[platform] = platforms.get(platform, 0) + 1
    if outlets:
        platforms["news"] = platforms.get("news", 0) + len(outlets)
        total += len(outlets)
    return {"total": total, "negative": negative, "platforms": platforms, "outlets": outlets,
            "reach": reach if total else None}  # fmt: skip


def record_from_case(
    case: Case, *, history_hours: int = 24, after_hours: int = 3
) -> dict[str, Any]:
    """A scenario from a real case: its buckets from ``history_hours`` before its burst to
    ``after_hours`` after it (empty buckets kept, so time runs as it did)."""
    if case.drill_id:
        raise InvalidInput(_("Record a drill from a real case, not from an exercise."))
    start = buckets.floor(case.burst_started_at or case.opened_at)
    since = start - timedelta(hours=history_hours)
    until = start + timedelta(hours=after_hours)
    found = {b.start: b for b in casedata.case_buckets(case, since, until)}
    rows = []
    for moment in buckets.walk(since, until):
        b = found.get(moment)
        if b is None:
            rows.append({"total": 0, "negative": 0, "platforms": {}, "outlets": [], "reach": None})
        else:
            rows.append({"total": b.total, "negative": b.negative, "platforms": dict(b.platforms),
                         "outlets": sorted(b.outlets), "reach": b.reach})  # fmt: skip
    return {"buckets": rows, "burst_index": history_hours * 12, "lead_in": 3,
            "source": "recorded", "case": case.pk}  # fmt: skip


def validate_scenario(scenario: dict[str, Any]) -> dict[str, Any]:
    rows = scenario.get("buckets")
    if not isinstance(rows, list) or not rows or len(rows) > MAX_BUCKETS:
        raise InvalidInput(
            _("The scenario needs between 1 and %(n)d buckets.") % {"n": MAX_BUCKETS}
        )
    clean = []
    for row in rows:
        try:
            total = int(row.get("total", 0))
            negative = int(row.get("negative", 0))
        except (TypeError, ValueError, AttributeError):
            raise InvalidInput(_("Every bucket needs a number of mentions.")) from None
        if total < 0 or not 0 <= negative <= total or total > 1_000_000:
            raise InvalidInput(_("A bucket's counts are out of range."))
        platforms = {str(k)[:20]: max(0, int(v)) for k, v in (row.get("platforms") or {}).items()}
        outlets = [str(o)[:200] for o in row.get("outlets") or []][:20]
        reach = row.get("reach")
        clean.append(
            {
                "total": total,
                "negative": negative,
                "platforms": platforms,
                "outlets": outlets,
                "reach": int(reach) if reach is not None else None,
            }
        )
    burst = int(scenario.get("burst_index", 0))
    if not 0 <= burst < len(clean):
        raise InvalidInput(_("The burst must start inside the scenario."))
    lead_in = max(0, min(int(scenario.get("lead_in", 3)), 24))
    return {**scenario, "buckets": clean, "burst_index": burst, "lead_in": lead_in}


def create(
    actor: User, office: Office, *, name: str, scenario: dict[str, Any], description: str = ""
) -> Drill:
    policy.check(actor, "crisis.drill", office)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the drill a name."), field="name")
    scenario = validate_scenario(scenario)
    with transaction.atomic():
        drill = Drill.objects.create(
            office=office, name=name[:200], description=(description or "").strip(),
            scenario=scenario, created_by=actor,
        )  # fmt: skip
        summary = {
            "name": drill.name,
            "buckets": len(scenario["buckets"]),
            "source": scenario.get("source", ""),
        }
        audit.log(actor, "crisis.drill.create", drill, after=summary)
    return drill


def start(actor: User, drill: Drill, *, now: datetime | None = None) -> Drill:
    """Start the replay now: the scenario's history is read at once, then one bucket
    plays every 5 minutes (the tick plays them)."""
    policy.check(actor, "crisis.drill", drill)
    now = now or timezone.now()
    with transaction.atomic():
        drill = Drill.objects.select_for_update().get(pk=drill.pk)
        if drill.status == DrillStatus.RUNNING:
            raise InvalidAction(_("The drill is already running."))
        drill.status, drill.started_at, drill.started_by, drill.finished_at = (
            DrillStatus.RUNNING, now, actor, None
        )  # fmt: skip
        drill.save(update_fields=["status", "started_at", "started_by", "finished_at"])
        streaming.start_drill_series(drill, now)
        audit.log(actor, "crisis.drill.start", drill, after={"started_at": now.isoformat()})
    return drill


def stop(actor: User, drill: Drill, *, now: datetime | None = None) -> Drill:
    policy.check(actor, "crisis.drill", drill)
    now = now or timezone.now()
    with transaction.atomic():
        drill = Drill.objects.select_for_update().get(pk=drill.pk)
        if drill.status != DrillStatus.RUNNING:
            raise InvalidAction(_("The drill is not running."))
        drill.status, drill.finished_at = DrillStatus.FINISHED, now
        drill.save(update_fields=["status", "finished_at"])
        drill.series.update(is_active=False)
        audit.log(actor, "crisis.drill.stop", drill, after={"finished_at": now.isoformat()})
    return drill


def timeline(drill: Drill) -> tuple[datetime, datetime, datetime] | None:
    """(history start, burst start, end) of a started drill."""
    if drill.started_at is None:
        return None
    return (
        streaming.drill_bucket_time(drill, 0),
        streaming.drill_bucket_time(drill, drill.burst_index),
        streaming.drill_bucket_time(drill, len(drill.buckets)),
    )


def duration(drill: Drill) -> timedelta:
    return (len(drill.buckets) - drill.first_live_index) * BUCKET
