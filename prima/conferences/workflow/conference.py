"""The conference itself: open, edit, advance through the gates, cancel, record
execution and evaluation, close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from prima.organizations import audit
from prima.organizations.models import Office, User

from .. import checklists
from ..models import (
    DEFAULT_READINESS,
    Conference,
    ConferenceType,
    IssueLevel,
    ReadinessItem,
    Stage,
    Status,
    Topic,
)
from .base import (
    EXECUTION_STAGES,
    GateError,
    InvalidInput,
    InvalidTransition,
    _aware,
    _check,
    _check_version,
    _choice,
    _conference_fields,
    _level,
    _lock,
    _log,
    _now,
    _require_active,
    _require_stage,
    _save_versioned,
    _text,
    _with_checklist,
)
from .cautions import cautions, require_confirmation
from .queries import (
    blockers,
)

EDITABLE_FIELDS = {
    "title",
    "summary",
    "topic",
    "level",
    "scheduled_at",
    "venue",
    "venue_notes",
    "is_exercise",
}


def create_conference(
    actor: User,
    *,
    office: Office,
    type: str,
    title: str,
    summary: str = "",
    topic: str = Topic.GENERAL,
    level: int = IssueLevel.LOW,
    scheduled_at: datetime | None = None,
    venue: str = "",
    is_exercise: bool = False,
    opened_at: datetime | None = None,
    now: datetime | None = None,
) -> Conference:
    """Open a conference in the first stage, with its checklist copied from the current
    template for the office and type, and its readiness items. ``opened_at`` (default now)
    starts the crisis clock; it may be set earlier (the issue was opened before being
    entered) but not in the future."""
    _check(actor, "conference.create", office)
    now = _now(now)
    type = _choice(ConferenceType, type, "type")
    topic = _choice(Topic, topic, "topic")
    level = _level(level)
    title = _text(title, "title", _("Give the conference a title."))
    opened_at = _aware(opened_at, "opened_at") or now
    if opened_at > now:
        raise InvalidInput(_("The opening time cannot be in the future."), field="opened_at")
    scheduled_at = _aware(scheduled_at, "scheduled_at")
    if scheduled_at is not None and scheduled_at < opened_at:
        raise InvalidInput(
            _("The conference cannot take place before it was opened."), field="scheduled_at"
        )
    template = checklists.template_for(office, type)
    if template is None:
        checklists.ensure_templates()
        template = checklists.template_for(office, type)
    with transaction.atomic():
        conference = Conference.objects.create(
            office=office,
            type=type,
            title=title,
            summary=(summary or "").strip(),
            topic=topic,
            level=level,
            scheduled_at=scheduled_at,
            venue=(venue or "").strip(),
            is_exercise=bool(is_exercise),
            opened_at=opened_at,
            stage_entered_at=opened_at,
            checklist_template=template,
            created_by=actor,
        )
        items = checklists.copy_into(conference, template) if template else []
        ReadinessItem.objects.bulk_create(
            ReadinessItem(conference=conference, kind=kind) for kind in DEFAULT_READINESS[type]
        )
        after = (audit.snapshot(conference) or {}) | {"checklist_items": len(items)}
        after = _with_checklist(conference, {}, after, everything=True)[1]
        audit.log(actor, "conference.create", conference, after=after)
    return conference


def update_conference(
    actor: User,
    conference: Conference,
    *,
    expected_version: int | None,
    now: datetime | None = None,
    **fields: Any,
) -> Conference:
    """Change the conference's own fields (see ``EDITABLE_FIELDS``). Topic, level and
    date cannot change once the conference is under way (they decide who may speak); the
    exercise flag only in the first stage. Returns the fresh conference; no audit entry and
    no new version when nothing changed."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    _check(actor, "conference.edit", conference)
    with transaction.atomic():
        conf = _lock(conference)
        _check_version(conf, expected_version)
        _require_active(conf)
        stage = Stage(conf.stage)
        cleaned: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "title":
                value = _text(value, "title", _("Give the conference a title."))
            elif name in ("summary", "venue", "venue_notes"):
                value = (value or "").strip()
            elif name == "topic":
                value = _choice(Topic, value, "topic")
            elif name == "level":
                value = _level(value)
            elif name == "scheduled_at":
                value = _aware(value, "scheduled_at")
                if value is not None and value < conf.opened_at:
                    raise InvalidInput(
                        _("The conference cannot take place before it was opened."),
                        field="scheduled_at",
                    )
            elif name == "is_exercise":
                value = bool(value)
            if getattr(conf, name) != value:
                cleaned[name] = value
        if not cleaned:
            return conf
        if "is_exercise" in cleaned and stage != Stage.INFORMATION:
            raise InvalidTransition(
                _("A conference can be marked as an exercise only in the first stage."),
                field="is_exercise",
            )
        frozen = {"topic", "level", "scheduled_at"} & set(cleaned)
        if frozen and stage.position >= Stage.EXECUTION.position:
            raise InvalidTransition(
                _("Topic, issue level and date cannot change once the conference is under way."),
                field=sorted(frozen)[0],
            )
        before = _conference_fields(conf, cleaned)
        for name, value in cleaned.items():
            setattr(conf, name, value)
        _save_versioned(conf, cleaned)
        _log(actor, "conference.update", conf, before, _conference_fields(conf, cleaned))
    return conf


def advance(
    actor: User,
    conference: Conference,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    confirm: Iterable[str] = (),
    reason: str = "",
) -> Conference:
    """Move the conference to its next stage, if nothing blocks it (see :func:`blockers`).

    From post-event evaluation this closes the conference (right ``conference.close``).
    Raises :class:`GateError` listing the blockers, :class:`ConflictError` when someone
    else moved it first, :class:`ConfirmationRequired` when the move is unusual (see
    :mod:`.cautions`) and ``confirm`` (the codes of the warnings confirmed) or ``reason``
    do not cover it. Returns the fresh conference.
    """
    now = _now(now)
    _check(actor, "conference.view", conference)
    with transaction.atomic():
        conf = _lock(conference)
        # Permission first: someone without the right hears "not allowed" (403), never
        # "changed in the meantime" (409) or a state error. The right depends on the stage
        # (closing needs conference.close), read from the locked row.
        closing = conf.stage == Stage.EVALUATION
        _check(actor, "conference.close" if closing else "conference.advance", conf)
        _check_version(conf, expected_version)
        _require_active(conf)
        return _advance_locked(actor, conf, now, confirm, reason)


def _advance_locked(
    actor: User, conf: Conference, now: datetime, confirm: Iterable[str], reason: str
) -> Conference:
    target = Stage(conf.stage).next or Stage.CLOSED  # as blockers() reads it
    found = blockers(conf, now=now)
    if found:
        raise GateError(found, target)
    confirmation = require_confirmation(cautions(conf, now=now), confirm, reason)
    fields = ["stage", "stage_entered_at"]
    before = _conference_fields(conf, fields + ["status", "completed_at"])
    conf.stage = target
    conf.stage_entered_at = now
    if target == Stage.CLOSED:
        conf.status = Status.COMPLETED
        conf.completed_at = now
        fields += ["status", "completed_at"]
    _save_versioned(conf, fields)
    action = "conference.close" if target == Stage.CLOSED else "conference.advance"
    after = _conference_fields(conf, fields + ["status", "completed_at"]) | confirmation
    _log(actor, action, conf, before, after)
    return conf


def cancel(
    actor: User,
    conference: Conference,
    *,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Conference:
    """Cancel an active conference. A reason is required."""
    _check(actor, "conference.cancel", conference)
    reason = _text(reason, "reason", _("Give the reason for cancelling."))
    now = _now(now)
    with transaction.atomic():
        conf = _lock(conference)
        _check_version(conf, expected_version)
        _require_active(conf)
        fields = ["status", "cancelled_at", "cancelled_by", "cancel_reason"]
        before = _conference_fields(conf, fields)
        conf.status = Status.CANCELLED
        conf.cancelled_at = now
        conf.cancelled_by = actor
        conf.cancel_reason = reason
        _save_versioned(conf, ["status", "cancelled_at", "cancelled_by_id", "cancel_reason"])
        _log(actor, "conference.cancel", conf, before, _conference_fields(conf, fields))
    return conf


def record_execution(
    actor: User,
    conference: Conference,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Conference:
    """Record the actual start/end and notes (``actual_start``, ``actual_end``,
    ``execution_notes``; only the given ones change)."""
    unknown = set(fields) - {"actual_start", "actual_end", "execution_notes"}
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    _check(actor, "conference.edit", conference)
    now = _now(now)
    with transaction.atomic():
        conf = _lock(conference)
        _check_version(conf, expected_version)
        _require_active(conf)
        _require_stage(
            conf,
            EXECUTION_STAGES,
            _("Execution data can be recorded once the conference is under way."),
        )
        start = _aware(fields.get("actual_start", conf.actual_start), "actual_start")
        end = _aware(fields.get("actual_end", conf.actual_end), "actual_end")
        for value, field in ((start, "actual_start"), (end, "actual_end")):
            if value is not None and value > now + timedelta(minutes=5):
                raise InvalidInput(_("This time is in the future."), field=field)
        if end is not None and start is None:
            raise InvalidInput(_("Record the start time first."), field="actual_start")
        if start is not None and end is not None and end < start:
            raise InvalidInput(_("The end cannot be before the start."), field="actual_end")
        if start is not None and start < conf.opened_at:
            raise InvalidInput(
                _("The conference cannot start before it was opened."), field="actual_start"
            )
        cleaned: dict[str, Any] = {"actual_start": start, "actual_end": end}
        if "execution_notes" in fields:
            cleaned["execution_notes"] = (fields["execution_notes"] or "").strip()
        cleaned = {k: v for k, v in cleaned.items() if getattr(conf, k) != v}
        if not cleaned:
            return conf
        before = _conference_fields(conf, cleaned)
        for name, value in cleaned.items():
            setattr(conf, name, value)
        _save_versioned(conf, cleaned)
        _log(actor, "conference.execution.record", conf, before, _conference_fields(conf, cleaned))
    return conf


EVALUATION_FIELDS = {
    "lessons_learned",
    "evaluation_notes",
    "coverage_count",
    "coverage_positive",
    "coverage_neutral",
    "coverage_negative",
    "coverage_reach",
    "coverage_accurate",
}


def _clean_evaluation(conf: Conference, fields: dict) -> dict:
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("lessons_learned", "evaluation_notes"):
            value = (value or "").strip()
        elif name == "coverage_accurate":
            value = None if value is None else bool(value)
        elif value is not None:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InvalidInput(_("Enter a whole number."), field=name) from None
            if value < 0:
                raise InvalidInput(_("The number cannot be negative."), field=name)
        cleaned[name] = value
    merged = {n: cleaned.get(n, getattr(conf, n)) for n in EVALUATION_FIELDS}
    tones = [merged[n] for n in ("coverage_positive", "coverage_neutral", "coverage_negative")]
    if (
        merged["coverage_count"] is not None
        and sum(t or 0 for t in tones) > merged["coverage_count"]
    ):
        raise InvalidInput(
            _("Positive, neutral and negative items add up to more than the number of news items."),
            field="coverage_count",
        )
    return {k: v for k, v in cleaned.items() if getattr(conf, k) != v}


def record_evaluation(
    actor: User,
    conference: Conference,
    *,
    expected_version: int | None = None,
    **fields: Any,
) -> Conference:
    """Save evaluation data (lessons learned, notes, coverage figures entered by hand)."""
    unknown = set(fields) - EVALUATION_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    _check(actor, "conference.edit", conference)
    with transaction.atomic():
        conf = _lock(conference)
        _check_version(conf, expected_version)
        _require_active(conf)
        _require_stage(
            conf, [Stage.EVALUATION], _("The evaluation is recorded after the conference.")
        )
        cleaned = _clean_evaluation(conf, fields)
        if not cleaned:
            return conf
        before = _conference_fields(conf, cleaned)
        for name, value in cleaned.items():
            setattr(conf, name, value)
        _save_versioned(conf, cleaned)
        _log(actor, "conference.evaluation.record", conf, before, _conference_fields(conf, cleaned))
    return conf


def complete_evaluation(
    actor: User,
    conference: Conference,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    confirm: Iterable[str] = (),
    reason: str = "",
    **fields: Any,
) -> Conference:
    """Save the last evaluation data (optional, as :func:`record_evaluation`) and close the
    conference, in one step and one audit entry. Unusual closings need ``confirm`` and a
    ``reason`` as in :func:`advance`."""
    unknown = set(fields) - EVALUATION_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    now = _now(now)
    _check(actor, "conference.close", conference)
    with transaction.atomic():
        conf = _lock(conference)
        _check_version(conf, expected_version)
        _require_active(conf)
        _require_stage(
            conf, [Stage.EVALUATION], _("The evaluation is recorded after the conference.")
        )
        conference_before = Conference.objects.get(pk=conf.pk)
        cleaned = _clean_evaluation(conf, fields)
        for name, value in cleaned.items():
            setattr(conf, name, value)
        if cleaned:
            # The last data may prove checklist items (lessons learned, coverage checked):
            # write it first (the version moves with the closing below), then check.
            Conference.objects.filter(pk=conf.pk).update(**cleaned)
        items_before, items_after = _with_checklist(conf, {}, dict.fromkeys(cleaned))
        target = Stage.CLOSED
        found = blockers(conf, now=now)
        if found:
            raise GateError(found, target)
        confirmation = require_confirmation(cautions(conf, now=now), confirm, reason)
        names = list(cleaned) + ["stage", "stage_entered_at", "status", "completed_at"]
        before = _conference_fields(conference_before, names)
        conf.stage, conf.stage_entered_at = target, now
        conf.status, conf.completed_at = Status.COMPLETED, now
        _save_versioned(conf, names)
        after = _conference_fields(conf, names) | confirmation
        _log(actor, "conference.close", conf, before | items_before, after | items_after)
    return conf
