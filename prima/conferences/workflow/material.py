"""Material (versions, four-eyes approval) and spokesperson appointments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from prima.organizations.models import User

from .. import hooks
from ..models import (
    MAX_KEY_MESSAGES,
    Appointment,
    Briefing,
    BriefingKind,
    Conference,
    Material,
    MaterialKind,
    MaterialState,
    MaterialVersion,
    Spokesperson,
)
from .base import (
    BEFORE_EXECUTION,
    MAX_SPEAKERS,
    ApprovalBlocked,
    ConflictError,
    FourEyesError,
    InvalidInput,
    InvalidTransition,
    SpokespersonError,
    WorkflowError,
    _check,
    _check_version,
    _choice,
    _key,
    _local_today,
    _lock,
    _log,
    _now,
    _part,
    _require_active,
    _require_stage,
    _save_versioned,
    _text,
    may_approve,
    permissions,
)
from .queries import (
    spokesperson_problems,
)


def clean_material(kind: str, *, body: str = "", items: list | None = None) -> tuple[str, list]:
    """Validate material content for its kind; return (body, items) normalised.

    Key messages: one to three non-empty points. Q&A: at least one question, each with an
    answer. Statements and holding statements: a text.
    """
    kind = _choice(MaterialKind, kind, "kind")
    body = (body or "").strip()
    items = list(items or [])
    if kind == MaterialKind.KEY_MESSAGES:
        points = [str(p).strip() for p in items if str(p).strip()]
        if not points:
            raise InvalidInput(_("Write at least one key message."), field="items")
        if len(points) > MAX_KEY_MESSAGES:
            raise InvalidInput(
                _("At most %(max)d key messages: the audience remembers no more.")
                % {"max": MAX_KEY_MESSAGES},
                field="items",
            )
        return body, points
    if kind == MaterialKind.QA:
        pairs = []
        for entry in items:
            question = str((entry or {}).get("question", "")).strip()
            answer = str((entry or {}).get("answer", "")).strip()
            if not question and not answer:
                continue
            if not question or not answer:
                raise InvalidInput(_("Every anticipated question needs an answer."), field="items")
            pairs.append({"question": question, "answer": answer})
        if not pairs:
            raise InvalidInput(
                _("Write at least one anticipated question with its answer."), field="items"
            )
        return body, pairs
    if not body:
        raise InvalidInput(_("Write the text."), field="body")
    return body, []


class MaterialAction(StrEnum):
    """What can be done with a material (each is one workflow function)."""

    EDIT = "edit"  # edit_material: write a new version (or the first)
    SUBMIT = "submit"  # submit_material
    APPROVE = "approve"  # approve_material
    RETURN = "return"  # return_material


# The right each action needs (material.approve also by delegation: may_approve).
_RIGHT = {
    MaterialAction.EDIT: "edit_material",
    MaterialAction.SUBMIT: "edit_material",
    MaterialAction.APPROVE: "approve_material",
    MaterialAction.RETURN: "approve_material",
}


def material_refusal(
    conf: Conference,
    material: Material | None,
    action: MaterialAction,
    actor_id: int | None,
    authors: Iterable[int | None] | None = None,
) -> WorkflowError | None:
    """Why the workflow refuses ``action`` on ``material`` (None: not written yet) of
    ``conf`` in their present state — the error it would raise — or None when it does not.
    Rights and stale versions are checked apart (:func:`material_actions` adds the
    rights). ``authors`` (ids of everyone who wrote a version) saves a query."""
    try:
        _require_active(conf)
        if action in (MaterialAction.EDIT, MaterialAction.SUBMIT):
            _require_stage(
                conf,
                BEFORE_EXECUTION,
                _("Material cannot change once the conference is under way."),
            )
    except InvalidTransition as exc:
        return exc
    if action is MaterialAction.EDIT:
        return None
    state = material.state if material is not None else None
    if action is MaterialAction.SUBMIT:
        if material is None or material.current_id is None:
            return InvalidTransition(_("There is no text to submit yet."))
        if state == MaterialState.SUBMITTED:
            return InvalidTransition(_("This material is already awaiting approval."))
        if state == MaterialState.APPROVED:
            return InvalidTransition(_("This material is already approved."))
        return None
    if action is MaterialAction.APPROVE and state == MaterialState.APPROVED:
        return InvalidTransition(_("This material is already approved."))
    if material is None or state != MaterialState.SUBMITTED:
        if action is MaterialAction.APPROVE:
            return InvalidTransition(_("Only material submitted for approval can be approved."))
        return InvalidTransition(_("Only material awaiting approval can be returned."))
    wrote = set(authors) if authors is not None else material.author_ids()
    if actor_id in wrote:
        if action is MaterialAction.APPROVE:
            return FourEyesError(
                _("You wrote (part of) this material; someone else must approve it.")
            )
        return FourEyesError(_("You wrote (part of) this material; someone else must review it."))
    return None


def _refuse(
    conf: Conference, material: Material | None, action: MaterialAction, actor: User
) -> None:
    refusal = material_refusal(conf, material, action, actor.pk)
    if refusal is not None:
        raise refusal


def material_actions(
    user: User,
    conference: Conference,
    material: Material | None,
    *,
    rights: dict[str, bool] | None = None,
    authors: Iterable[int | None] | None = None,
    now: datetime | None = None,
) -> frozenset[MaterialAction]:
    """What ``user`` may do now with ``material`` of ``conference`` (None: the material
    of that kind, not written yet): exactly what the workflow functions would accept —
    the rights (``permissions``; pass ``rights`` if you have them), the conference's
    state and stage, the material's state and the four-eyes rule — short of a stale
    version. Pages, the API and templates ask this instead of re-deriving it. No query
    with ``rights`` and ``authors`` given."""
    rights = rights if rights is not None else permissions(user, conference, now=now)
    return frozenset(
        action
        for action in MaterialAction
        if rights[_RIGHT[action]]
        and material_refusal(conference, material, action, user.pk, authors) is None
    )


def _material_state(material: Material) -> dict:
    current = material.current
    return {
        "kind": material.kind,
        "state": material.state,
        "version": current.number if current else None,
        "approved_by": current.approved_by_id if current else None,
    }


def edit_material(
    actor: User,
    conference: Conference,
    kind: str,
    *,
    body: str = "",
    items: list | None = None,
    title: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Material:
    """Write a new version of a material (creating the material on its first edit).

    The new version is a draft: an approval of the previous version is void. Possible
    until the conference is under way. ``expected_version`` is the Material's ``version``
    the editor saw (0 when they saw no material yet). Nothing happens when the text is
    unchanged.
    """
    _check(actor, "material.edit", conference)
    body, items = clean_material(kind, body=body, items=items)
    title = (title or "").strip()
    now = _now(now)
    with transaction.atomic():
        conf = _lock(conference)
        _refuse(conf, None, MaterialAction.EDIT, actor)
        material = (
            Material.objects.select_related("current").filter(conference=conf, kind=kind).first()
        )
        if material is None:
            if expected_version not in (None, 0):
                raise ConflictError()
            material = Material.objects.create(conference=conf, kind=kind)
            before: dict | None = None
            number = 1
        else:
            _check_version(material, expected_version)
            current = material.current
            if current and (current.title, current.body, current.items) == (title, body, items):
                return material
            before = _material_state(material)
            number = (current.number if current else 0) + 1
        voided = material.state == MaterialState.APPROVED
        version = MaterialVersion.objects.create(
            material=material,
            number=number,
            title=title,
            body=body,
            items=items,
            author=actor,
            created_at=now,
        )
        material.current = version
        material.state = MaterialState.DRAFT
        material.submitted_by, material.submitted_at = None, None
        _save_versioned(material, ["current_id", "state", "submitted_by_id", "submitted_at"])
        after = _material_state(material) | {"approval_voided": voided}
        _log(actor, "material.edit", conf, {_key(material): before}, {_key(material): after})
    return material


def _fresh_material(material: Material | int) -> Material:
    pk = material.pk if isinstance(material, Material) else material
    return Material.objects.select_related("current", "conference__office").get(pk=pk)


def submit_material(
    actor: User,
    material: Material,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Material:
    """Ask for approval of the current version."""
    material = _fresh_material(material)
    _check(actor, "material.edit", material.conference)
    with transaction.atomic():
        conf = _lock(material.conference_id)
        # The conference's state first, then a stale version, then the material's state.
        _refuse(conf, None, MaterialAction.EDIT, actor)
        material = _fresh_material(material)
        _check_version(material, expected_version)
        _refuse(conf, material, MaterialAction.SUBMIT, actor)
        before = _material_state(material)
        material.state = MaterialState.SUBMITTED
        material.submitted_by, material.submitted_at = actor, _now(now)
        _save_versioned(material, ["state", "submitted_by_id", "submitted_at"])
        _log(
            actor,
            "material.submit",
            conf,
            {_key(material): before},
            {_key(material): _material_state(material)},
        )
    return material


def _check_approver(actor: User, material: Material, now: datetime) -> None:
    office = material.conference.office
    if not may_approve(actor, office, now=now):
        _check(actor, "material.approve", material.conference)  # 404 or 403
        raise PermissionDenied


def approve_material(
    actor: User,
    material: Material,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    waiver_reason: str = "",
) -> Material:
    """Approve the submitted version (head of office or a delegate). Nobody approves
    material they wrote any version of. The first approved holding statement stops the
    crisis clock for that deadline.

    Registered pre-approval checks (:mod:`prima.conferences.hooks`, e.g. the automatic
    verification) may object: the approval is then refused (:class:`ApprovalBlocked`)
    unless ``waiver_reason`` says why it is approved anyway; the checks record the waiver
    and the approval's audit entry carries it."""
    now = _now(now)
    material = _fresh_material(material)
    _check_approver(actor, material, now)
    with transaction.atomic():
        conf = _lock(material.conference_id)
        _require_active(conf)
        material = _fresh_material(material)
        _check_version(material, expected_version)
        _refuse(conf, material, MaterialAction.APPROVE, actor)
        before = _material_state(material)
        version = cast(MaterialVersion, material.current)  # submitted: it has a text
        waived = _pre_approval(actor, material, version, waiver_reason, now)
        version.approved_by, version.approved_at = actor, now
        version.save(update_fields=["approved_by", "approved_at"])
        material.state = MaterialState.APPROVED
        _save_versioned(material, ["state"])
        after = _material_state(material)
        if waived:
            after["waiver"] = {"reason": waiver_reason.strip(), "checks": waived}
        if material.kind == MaterialKind.HOLDING_STATEMENT and conf.holding_statement_at is None:
            # Not a user edit of the conference: its version stays, open forms stay valid.
            Conference.objects.filter(pk=conf.pk).update(holding_statement_at=now)
            conf.holding_statement_at = now
            after["conference_holding_statement_at"] = now.isoformat()
        _log(actor, "material.approve", conf, {_key(material): before}, {_key(material): after})
    return material


def _pre_approval(
    actor: User, material: Material, version: MaterialVersion, reason: str, now: datetime
) -> dict:
    """Run the registered pre-approval checks; refuse unless a reason waives their
    objections. Returns what the checks recorded about a waiver ({} when none)."""
    found = hooks.objections(material, version, now=now)
    if not found:
        return {}
    reason = (reason or "").strip()
    if not reason:
        raise ApprovalBlocked(found)
    return hooks.waive(actor, material, version, found, reason[:2000], now=now)


def return_material(
    actor: User,
    material: Material,
    *,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Material:
    """Send submitted material back to its authors with a reason."""
    now = _now(now)
    material = _fresh_material(material)
    _check_approver(actor, material, now)
    reason = _text(reason, "reason", _("Say what must change."))
    with transaction.atomic():
        conf = _lock(material.conference_id)
        _require_active(conf)
        material = _fresh_material(material)
        _check_version(material, expected_version)
        _refuse(conf, material, MaterialAction.RETURN, actor)
        before = _material_state(material)
        version = cast(MaterialVersion, material.current)  # submitted: it has a text
        version.returned_by, version.returned_at, version.return_reason = actor, now, reason
        version.save(update_fields=["returned_by", "returned_at", "return_reason"])
        material.state = MaterialState.RETURNED
        _save_versioned(material, ["state"])
        _log(
            actor,
            "material.return",
            conf,
            {_key(material): before},
            {_key(material): _material_state(material) | {"reason": reason}},
        )
    return material


def appoint_spokesperson(
    actor: User,
    conference: Conference,
    spokesperson: Spokesperson,
    *,
    is_principal: bool | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Appoint a registry spokesperson; refused if they are not valid on the conference
    date, for its topic and level. At most four speakers; the first is the principal."""
    _check(actor, "conference.appoint", conference)
    with transaction.atomic():
        conf = _lock(conference)
        _require_active(conf)
        _require_stage(
            conf,
            BEFORE_EXECUTION,
            _("The spokesperson cannot change once the conference is under way."),
        )
        spokesperson = Spokesperson.objects.select_related("office").get(pk=spokesperson.pk)
        problems = spokesperson_problems(spokesperson, conf)
        if problems:
            raise SpokespersonError(" ".join(problems), field="spokesperson")
        existing = list(Appointment.objects.filter(conference=conf))
        if any(a.spokesperson_id == spokesperson.pk for a in existing):
            raise InvalidInput(
                _("%(name)s is already appointed.") % {"name": spokesperson.display_name},
                field="spokesperson",
            )
        if len(existing) >= MAX_SPEAKERS:
            raise InvalidInput(
                _("At most %(max)d speakers per conference.") % {"max": MAX_SPEAKERS},
                field="spokesperson",
            )
        principal = (
            not any(a.is_principal for a in existing)
            if is_principal is None
            else (bool(is_principal))
        )
        if principal:
            Appointment.objects.filter(conference=conf, is_principal=True).update(
                is_principal=False
            )
        appointment = Appointment.objects.create(
            conference=conf,
            spokesperson=spokesperson,
            is_principal=principal,
            appointed_by=actor,
            appointed_at=_now(now),
        )
        _log(
            actor,
            "conference.spokesperson.appoint",
            conf,
            {},
            {_key(appointment): _part(appointment)},
        )
    return appointment


def remove_appointment(actor: User, appointment: Appointment) -> None:
    appointment = Appointment.objects.select_related("conference__office").get(pk=appointment.pk)
    _check(actor, "conference.appoint", appointment.conference)
    with transaction.atomic():
        conf = _lock(appointment.conference_id)
        _require_active(conf)
        _require_stage(
            conf,
            BEFORE_EXECUTION,
            _("The spokesperson cannot change once the conference is under way."),
        )
        key = _key(appointment)
        before = {key: _part(appointment)}
        appointment.delete()
        _log(actor, "conference.spokesperson.remove", conf, before, {key: None})


def record_briefing(
    actor: User,
    appointment: Appointment,
    *,
    held_on: date,
    kind: str = BriefingKind.BRIEFING,
    notes: str = "",
    now: datetime | None = None,
) -> Briefing:
    """Record a briefing or rehearsal of an appointed spokesperson (not in the future)."""
    appointment = Appointment.objects.select_related("conference__office").get(pk=appointment.pk)
    _check(actor, "conference.brief", appointment.conference)
    kind = _choice(BriefingKind, kind, "kind")
    now = _now(now)
    if not isinstance(held_on, date):
        raise InvalidInput(_("Give the date."), field="held_on")
    if held_on > _local_today(appointment.conference.office, now):
        raise InvalidInput(
            _("A briefing can be recorded only once it has taken place."), field="held_on"
        )
    with transaction.atomic():
        conf = _lock(appointment.conference_id)
        _require_active(conf)
        briefing = Briefing.objects.create(
            appointment=appointment,
            kind=kind,
            held_on=held_on,
            notes=(notes or "").strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        _log(actor, "conference.briefing.record", conf, {}, {_key(briefing): _part(briefing)})
    return briefing
