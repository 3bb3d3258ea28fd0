"""Assessing a case: content, context and public interest → its level.

Three entry points, one scoring function (:func:`prima.crisis.scoring.assess`):

- :func:`auto_assess` — when signals arrive: the context is measured again from
  monitoring, what staff said before (category, public interest, context they set) is
  kept. An automatic assessment never lowers the case's level (only people do);
- :func:`record` — staff (page or API) give the category, the public-interest factors and
  any context factor the data cannot tell;
- :func:`override` — staff set the level against the computed one, with a reason.

Each one stores an :class:`~.models.Assessment` with the configuration version it used
and the explanation, writes the case's log and the audit trail, and — when the level
rises — starts a new escalation round (:mod:`.escalation`) and adds the level's required
actions to the case's checklist.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.organizations import audit, policy
from prima.organizations.levels import Level
from prima.organizations.models import User

from . import casedata, configs, context, escalation, events
from .config import CLUSTERS, CONTEXT_FACTORS, INTEREST_FACTORS
from .errors import InvalidAction, InvalidInput
from .models import Assessment, Case, CaseAction, CaseStatus, CrisisConfig, EventKind
from .scoring import ASSUMED, STAFF, FactorInput, Inputs, Result, assess


def _value(raw: Any, field: str) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose a value between 0 and 1."), field=field) from None
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(_("Choose a value between 0 and 1."), field=field)
    return value


def latest(case: Case) -> Assessment | None:
    return case.assessments.order_by("-number").select_related("config", "assessed_by").first()


def _inputs(
    case: Case,
    now: datetime,
    *,
    category: str,
    interest: Mapping[str, float | None],
    staff_context: Mapping[str, float | None],
) -> tuple[Inputs, dict[str, dict[str, Any]]]:
    computed = context.factors(casedata.measures(case, now))
    factors: dict[str, FactorInput] = {}
    for name in CONTEXT_FACTORS:
        staff = staff_context.get(name)
        if staff is not None:
            factors[name] = FactorInput(staff, STAFF, computed[name].detail)
        else:
            factors[name] = computed[name]
    for name in INTEREST_FACTORS:
        value = interest.get(name)
        factors[name] = FactorInput(value, STAFF if value is not None else ASSUMED)
    stored = {
        name: {"value": f.value, "source": f.source, "detail": f.detail}
        for name, f in factors.items()
    }
    return Inputs(category=category, factors=factors), stored


def _staff_values(
    previous: Assessment | None,
) -> tuple[str, str, dict[str, float | None], dict[str, float | None]]:
    if previous is None:
        return "", "", {}, {}
    interest = {
        n: (previous.factors.get(n) or {}).get("value")
        for n in INTEREST_FACTORS
        if (previous.factors.get(n) or {}).get("source") == STAFF
    }
    staff_context = {
        n: (previous.factors.get(n) or {}).get("value")
        for n in CONTEXT_FACTORS
        if (previous.factors.get(n) or {}).get("source") == STAFF
    }
    return previous.category, previous.cluster, interest, staff_context


def _store(
    case: Case,
    config: CrisisConfig,
    result: Result,
    stored: dict[str, dict[str, Any]],
    *,
    category: str,
    cluster: str,
    level: int,
    actor: User | None,
    now: datetime,
    automatic: bool = False,
    override_reason: str = "",
    note: str = "",
) -> Assessment:
    number = (case.assessments.aggregate(n=Max("number"))["n"] or 0) + 1
    category_row = config.parsed.category(category)
    cluster = cluster or (category_row.cluster if category_row else "")
    item = Assessment.objects.create(
        case=case,
        number=number,
        config=config,
        category=category,
        cluster=cluster,
        factors=stored,
        score=result.score,
        computed_level=result.level,
        explanation=result.to_data(),
        missing=list(result.missing),
        level=level,
        is_override=bool(override_reason),
        override_reason=override_reason,
        is_automatic=automatic,
        note=note,
        assessed_by=actor,
        assessed_at=now,
    )
    events.log(
        case,
        EventKind.ASSESSMENT,
        actor=actor,
        at=now,
        text=override_reason or note,
        assessment=number,
        level=level,
        computed=result.level,
        score=result.score,
        automatic=automatic,
        override=bool(override_reason),
        config=config.version,
        missing=list(result.missing),
    )
    _apply(case, item, actor, now)
    return item


def _sync_actions(case: Case, config: CrisisConfig, level: int) -> None:
    """Add the required actions of ``level`` to the case's checklist (and a clarification
    post for misinformation, whatever the level); what an earlier level required stays
    (done or not)."""
    from .config import ACTIONS

    required = list(config.parsed.playbook(level).actions)
    category = config.parsed.category(case.category)
    if category is not None and category.misinformation and "clarification_post" not in required:
        required.append("clarification_post")
    CaseAction.objects.bulk_create(
        [CaseAction(case=case, code=code, level=level, order=ACTIONS.index(code))
         for code in required],
        ignore_conflicts=True,
    )  # fmt: skip


def _apply(case: Case, item: Assessment, actor: User | None, now: datetime) -> None:
    """Make the assessment the case's: level, category, cluster; a higher level (or the
    first one) starts an escalation round, a lower one stops the pending one."""
    first = item.number == 1
    old = case.level
    before = audit.snapshot(case, ["level", "category", "cluster"])
    case.level, case.category, case.cluster = item.level, item.category, item.cluster
    Case.objects.filter(pk=case.pk).update(
        level=item.level, category=item.category, cluster=item.cluster, last_activity_at=now
    )
    if not first and item.level != old:
        change: dict[str, Any] = {"from": old, "to": item.level}
        events.log(case, EventKind.LEVEL, actor=actor, at=now, **change)
    _sync_actions(case, item.config, item.level)
    if first or item.level > old:
        escalation.start_round(case, item.level, item.config, now)
    elif item.level < old and escalation.pending(case):
        # Nobody has taken the case yet: call the responders of the lower level instead
        # (an acknowledged case keeps its responder).
        escalation.start_round(case, item.level, item.config, now)
    audit.log(
        actor,
        "crisis.override" if item.is_override else "crisis.assess",
        case,
        before=before,
        after=(audit.snapshot(case, ["level", "category", "cluster"]) or {})
        | {"assessment": item.number, "score": item.score, "config": item.config.version,
           "reason": item.override_reason},
        only_if_changed=False,
    )  # fmt: skip


def auto_assess(case: Case, now: datetime) -> Assessment:
    """Assess the case again from fresh monitoring data, keeping what staff said (in the
    caller's transaction). Never lowers the level."""
    config = configs.current()
    previous = latest(case)
    category, cluster, interest, staff_context = _staff_values(previous)
    inputs, stored = _inputs(
        case, now, category=category, interest=interest, staff_context=staff_context
    )
    result = assess(config.parsed, inputs)
    level = result.level if previous is None else max(result.level, case.level)
    return _store(
        case,
        config,
        result,
        stored,
        category=category,
        cluster=cluster,
        level=level,
        actor=None,
        now=now,
        automatic=True,
    )


def _check_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise InvalidAction(_("The case is closed."))


def record(
    actor: User,
    case: Case,
    *,
    category: str,
    cluster: str = "",
    interest: Mapping[str, Any] | None = None,
    context_values: Mapping[str, Any] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Assessment:
    """Staff assess the case: the category (from the taxonomy), the cluster (default:
    the category's), public-interest factors and any context factor the data cannot
    tell (None: unknown / measured). The level follows from the scoring function."""
    policy.check(actor, "crisis.assess", case)
    now = now or timezone.now()
    config = configs.current()
    category = (category or "").strip()
    if category and config.parsed.category(category) is None:
        raise InvalidInput(_("Choose a category of the taxonomy."), field="category")
    if cluster and cluster not in CLUSTERS:
        raise InvalidInput(_("Choose a crisis cluster."), field="cluster")
    interest_values = {n: _value((interest or {}).get(n), n) for n in INTEREST_FACTORS}
    context_staff = {n: _value((context_values or {}).get(n), n) for n in CONTEXT_FACTORS}
    unknown = set(interest or {}) - set(INTEREST_FACTORS) | set(context_values or {}) - set(
        CONTEXT_FACTORS
    )
    if unknown:
        raise InvalidInput(_("Unknown factor: %(name)s") % {"name": sorted(unknown)[0]})
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office").get(pk=case.pk)
        _check_open(case)
        inputs, stored = _inputs(
            case, now, category=category, interest=interest_values, staff_context=context_staff
        )
        result = assess(config.parsed, inputs)
        return _store(
            case,
            config,
            result,
            stored,
            category=category,
            cluster=cluster,
            level=result.level,
            actor=actor,
            now=now,
            note=(note or "").strip(),
        )


def override(
    actor: User, case: Case, *, level: int, reason: str, now: datetime | None = None
) -> Assessment:
    """Set the case's level against the computed one, with a reason (audited). The
    inputs of the latest assessment are kept and scored again, so the explanation shows
    what the data said."""
    policy.check(actor, "crisis.override", case)
    now = now or timezone.now()
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise InvalidInput(_("Choose a level from 1 to 4."), field="level")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for overriding the level."), field="reason")
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office").get(pk=case.pk)
        _check_open(case)
        previous = latest(case)
        category, cluster, interest, staff_context = _staff_values(previous)
        config = configs.current()
        inputs, stored = _inputs(
            case, now, category=category, interest=interest, staff_context=staff_context
        )
        result = assess(config.parsed, inputs)
        return _store(
            case,
            config,
            result,
            stored,
            category=category,
            cluster=cluster,
            level=level,
            actor=actor,
            now=now,
            override_reason=reason,
        )
