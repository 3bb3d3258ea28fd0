"""Errors, result types and the internals every workflow function shares: locking the
conference row, version checks, conditional writes and the one audit entry."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from prima.lib import dates
from prima.organizations import audit, policy
from prima.organizations.models import Office, Role, User

from ..models import (
    ChecklistItem,
    Conference,
    DelegatedRight,
    Delegation,
    IssueLevel,
    Stage,
    Status,
)
from ..proofs import touched_parts
from .autocheck import sync_checklist

MAX_SPEAKERS = 4
EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".docx",
    ".xlsx",
    ".pptx",
    ".txt",
    ".mp3",
    ".m4a",
    ".mp4",
}


class WorkflowError(Exception):
    """A refused change. Nothing was written. ``message`` is translated for the user;
    ``field`` names the form field at fault, if any."""

    default_message = gettext_lazy("This change is not possible.")
    status_code = 400

    def __init__(self, message: Any = None, *, field: str | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.field = field
        super().__init__(self.message)


class ConflictError(WorkflowError):
    """Someone else changed the record since the user loaded it (or at the same moment)."""

    default_message = gettext_lazy(
        "Someone else changed this conference in the meantime. Reload the page and try again."
    )
    status_code = 409


class InvalidTransition(WorkflowError):
    """The conference is not in a state where this is possible."""


class GateError(InvalidTransition):
    """The next stage is blocked; ``blockers`` says by what and who must act."""

    def __init__(self, blockers: Sequence[Blocker], target: Stage | None = None) -> None:
        self.blockers = list(blockers)
        self.target = target
        head = (
            _("The conference cannot move to “%(stage)s” yet:") % {"stage": target.label}
            if target is not None
            else _("The conference cannot move on yet:")
        )
        details = "; ".join(b.message for b in self.blockers[:5])
        more = len(self.blockers) - 5
        if more > 0:
            details += "; " + _("and %(count)d more.") % {"count": more}
        super().__init__(f"{head} {details}")


class FourEyesError(WorkflowError):
    """The same person may not write and approve (or enter and verify)."""


class ApprovalBlocked(InvalidTransition):
    """A pre-approval check (see :mod:`prima.conferences.hooks`) objects; the approver may
    approve anyway only by giving a reason (``waiver_reason``)."""

    def __init__(self, objections: Sequence[Any]) -> None:
        self.objections = list(objections)
        details = " ".join(o.message for o in self.objections)
        super().__init__(
            _("Approval is blocked: %(details)s Correct the text, or approve with a reason.")
            % {"details": details},
            field="waiver_reason",
        )


class SpokespersonError(WorkflowError):
    """The spokesperson is not valid for this conference."""


class EvidenceError(WorkflowError):
    """Missing or unacceptable checklist evidence."""


class InvalidInput(WorkflowError):
    """A value is missing or not acceptable."""


@dataclass(frozen=True)
class Blocker:
    """Something that keeps a conference from entering its next stage."""

    code: str
    message: str
    stage: Stage | None
    roles: tuple[Role, ...]
    office: Office
    users: tuple[User, ...] = ()
    obj: Any = None

    @property
    def who(self) -> str:
        """ "PR staff, PR lead (Kanim Soekarno-Hatta): Rina Wulandari, Dimas Prasetyo"."""
        if not self.roles:
            return ""
        text = ", ".join(str(Role(r).label) for r in self.roles)
        text = f"{text} ({self.office.short_name})"
        if self.users:
            text += ": " + ", ".join(str(u) for u in self.users)
        return text


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    VOID = "void"  # the conference was cancelled before the deadline

    @property
    def label(self) -> str:
        return str(DEADLINE_STATUS_LABELS[self])


DEADLINE_STATUS_LABELS = {
    DeadlineStatus.OPEN: gettext_lazy("Running"),
    DeadlineStatus.MET: gettext_lazy("Met"),
    DeadlineStatus.MISSED: gettext_lazy("Missed"),
    DeadlineStatus.VOID: gettext_lazy("Void (cancelled)"),
}


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    due: datetime
    met_at: datetime | None
    status: DeadlineStatus
    remaining_seconds: int | None  # negative when overdue; None once met or void

    @property
    def is_missed(self) -> bool:
        return self.status is DeadlineStatus.MISSED

    @property
    def is_open(self) -> bool:
        return self.status is DeadlineStatus.OPEN


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    label: str
    done: int
    total: int
    required_total: int
    required_open: int
    state: str  # "done" | "current" | "todo"


@dataclass(frozen=True)
class EvaluationSummary:
    invited: int
    confirmed: int
    accredited: int
    attended: int
    attendance_rate: float | None
    questions: int
    answered: int
    follow_ups_pending: int
    follow_ups_done: int
    start_delay_minutes: int | None
    started_on_time: bool | None
    duration_minutes: int | None
    within_target_duration: bool | None
    deadlines: list[Deadline]
    coverage_items: int


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _lock(conference: Conference | int) -> Conference:
    """Re-read the conference, locking its row until the transaction ends."""
    pk = conference.pk if isinstance(conference, Conference) else conference
    try:
        return (
            Conference.objects.select_for_update(of=("self",)).select_related("office").get(pk=pk)
        )
    except Conference.DoesNotExist:
        raise ConflictError(_("This conference no longer exists.")) from None


def _check_version(obj: Any, expected: int | None) -> None:
    if expected is not None and int(expected) != obj.version:
        raise ConflictError()


def _save_versioned(obj: Any, fields: Iterable[str]) -> None:
    """Write ``fields`` only if the row still has the version we read; bump it."""
    values = {name: getattr(obj, name) for name in fields}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=obj.version)
        .update(version=obj.version + 1, **values)
    )
    if updated != 1:
        # Nothing was updated: another transaction changed the row first.
        raise ConflictError()
    obj.version += 1


def _require_active(conference: Conference) -> None:
    if conference.status == Status.CANCELLED:
        raise InvalidTransition(_("This conference was cancelled; it can no longer be changed."))
    if conference.status == Status.COMPLETED:
        raise InvalidTransition(_("This conference is closed; it can no longer be changed."))


def _require_stage(conference: Conference, allowed: Iterable[Stage], message: str) -> None:
    if Stage(conference.stage) not in set(allowed):
        raise InvalidTransition(message)


def _before(stage: Stage) -> list[Stage]:
    return [s for s in Stage if s.position < stage.position]


def _text(value: Any, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not text:
        raise InvalidInput(message, field=field)
    return text


def _choice(enum: type[models.TextChoices], value: Any, field: str) -> str:
    if value not in enum.values:
        raise InvalidInput(_("“%(value)s” is not a valid choice.") % {"value": value}, field=field)
    return str(value)


def _level(value: Any, field: str = "level") -> int:
    """A level of the product's 1–4 scale, given as a number or a numeric string."""
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in IssueLevel.values or isinstance(value, bool):
        raise InvalidInput(_("“%(value)s” is not a valid choice.") % {"value": value}, field=field)
    return level


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        raise InvalidInput(_("A time zone is needed for this time."), field=field)
    return value


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise InvalidInput(
                _("Enter a valid link (http:// or https://)."), field=field
            ) from None
    return value


def _local_today(office: Office, now: datetime) -> date:
    return dates.to_local(now, office.timezone).date()


def _format_day(day: date) -> str:
    return dates.format_date(day, get_language() or "id", weekday=False)


def _log(actor: User | None, action: str, conference: Conference, before: dict, after: dict):
    """One audit entry about the conference (also for changes to its parts), which also
    records the checklist items that the change proved or disproved (see
    :mod:`.autocheck`)."""
    before, after = _with_checklist(conference, _jsonable(before), _jsonable(after))
    return audit.log(actor, action, conference, before=before, after=after, only_if_changed=False)


def _with_checklist(
    conference: Conference, before: dict, after: dict, *, everything: bool = False
) -> tuple[dict, dict]:
    """``before``/``after`` of a change with the checklist items it completed or reopened
    (only those whose proof reads what the change touched, unless ``everything``)."""
    touched = None if everything else touched_parts(set(before) | set(after))
    items_before, items_after = sync_checklist(conference, touched)
    for key in items_after:
        if key not in before and key not in after:
            before[key], after[key] = items_before[key], items_after[key]
    return before, after


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _conference_fields(conference: Conference, fields: Iterable[str]) -> dict:
    return audit.snapshot(conference, fields) or {}


def _part(obj: models.Model) -> dict:
    """A snapshot of a part of a conference, for the conference's audit entry."""
    data = audit.snapshot(obj) or {}
    if isinstance(obj, ChecklistItem):
        data["evidence_file"] = obj.evidence_file.name or ""
    return data


def _key(obj: models.Model) -> str:
    return f"{obj._meta.model_name}:{obj.pk}"


def _check(actor: User, action: str, obj: Any) -> None:
    policy.check(actor, action, obj)


def permissions(user: User, conference: Conference, *, now: datetime | None = None) -> dict:
    """What ``user`` may do on ``conference`` (rights only; combine with its state).

    Keys: view, edit, advance, verify_fact, appoint, brief, cancel, close, edit_material,
    approve_material. No query beyond cached memberships, except ``approve_material`` for
    delegates (one).
    """
    office = conference.office
    rights = {
        key: policy.can(user, action, office)
        for key, action in [
            ("view", "conference.view"),
            ("edit", "conference.edit"),
            ("advance", "conference.advance"),
            ("verify_fact", "conference.verify_fact"),
            ("appoint", "conference.appoint"),
            ("brief", "conference.brief"),
            ("cancel", "conference.cancel"),
            ("close", "conference.close"),
            ("edit_material", "material.edit"),
        ]
    }
    rights["approve_material"] = may_approve(user, office, now=now)
    return rights


def active_delegations(*, now: datetime | None = None) -> models.QuerySet[Delegation]:
    """Delegations of the right to approve material that are in force at ``now``."""
    moment = _now(now)
    return Delegation.objects.filter(
        right=DelegatedRight.APPROVE_MATERIAL,
        revoked_at__isnull=True,
        valid_from__lte=moment,
        valid_until__gte=moment,
    )


def _delegations(office: Office, moment: datetime) -> models.QuerySet[Delegation]:
    """Active delegations of the right to approve the office's material."""
    return active_delegations(now=moment).filter(office=office)


def may_approve(user: User, office: Office, *, now: datetime | None = None) -> bool:
    """The head of the office, or someone holding an active delegation of the right (and
    who may see the office's material). One query for non-heads."""
    if policy.can(user, "material.approve", office):
        return True
    if not policy.can(user, "material.view", office):
        return False
    return _delegations(office, _now(now)).filter(delegate=user).exists()


def approvers(
    office: Office, *, now: datetime | None = None, holders: policy.Holders | None = None
) -> tuple[User, ...]:
    """Everyone who may approve material of ``office`` now: those whose roles carry
    ``material.approve`` (the policy) and the delegates who may see the material. Two
    queries (one when ``holders`` for the office is given)."""
    who = holders if holders is not None else policy.Holders(office)
    viewers = {u.pk for u in who.users("material.view")}
    delegates = [
        d.delegate
        for d in _delegations(office, _now(now)).select_related("delegate")
        if d.delegate_id in viewers
    ]
    return who.users("material.approve", also=delegates)


UNTIL_EXECUTION = [s for s in Stage if s.position <= Stage.EXECUTION.position]


BEFORE_EXECUTION = [s for s in Stage if s.position < Stage.EXECUTION.position]


EXECUTION_STAGES = [Stage.EXECUTION, Stage.EVALUATION]
