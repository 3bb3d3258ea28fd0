"""The office registers: media contacts, spokespeople, delegations of rights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from ..models import (
    DelegatedRight,
    Delegation,
    IssueLevel,
    MediaContact,
    MediaType,
    Spokesperson,
    Topic,
)
from .base import (
    InvalidInput,
    InvalidTransition,
    _aware,
    _check,
    _check_version,
    _choice,
    _now,
    _save_versioned,
    _text,
)

CONTACT_FIELDS = {
    "outlet",
    "media_type",
    "journalist",
    "beat",
    "phone",
    "email",
    "dewan_pers_verified",
    "last_contact_on",
    "notes",
    "is_active",
}


SPOKESPERSON_FIELDS = {
    "user",
    "name",
    "position",
    "decree_number",
    "decree_date",
    "valid_from",
    "valid_until",
    "topics",
    "levels",
    "last_media_training_on",
    "is_active",
    "notes",
}


def _save_register(actor, obj, fields: dict, kind: str, expected_version: int | None):
    """Create or update a register row with a version check; one audit entry."""
    with transaction.atomic():
        if obj.pk is None:
            for name, value in fields.items():
                setattr(obj, name, value)
            obj.save()
            audit.log(actor, f"{kind}.create", obj, after=audit.snapshot(obj))
            return obj
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        _check_version(current, expected_version)
        before = audit.snapshot(current)
        changed = {n: v for n, v in fields.items() if getattr(current, n) != v}
        if not changed:
            return current
        for name, value in changed.items():
            setattr(current, name, value)
        _save_versioned(current, [f"{n}_id" if n == "user" else n for n in changed])
        audit.log(actor, f"{kind}.update", current, before=before, after=audit.snapshot(current))
        return current


def clean_contact_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate and normalise media-contact fields (also used by forms and the admin)."""
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    fields = dict(fields)
    if creating or "outlet" in fields:
        fields["outlet"] = _text(fields.get("outlet"), "outlet", _("Write the outlet."))
    if creating or "journalist" in fields:
        fields["journalist"] = _text(
            fields.get("journalist"), "journalist", _("Write the journalist's name.")
        )
    if "media_type" in fields:
        _choice(MediaType, fields["media_type"], "media_type")
    for name in ("beat", "phone", "email", "notes"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address."), field="email") from None
    return fields


def save_media_contact(
    actor: User,
    *,
    office: Office,
    contact: MediaContact | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> MediaContact:
    """Add a journalist to the office's register, or change one (version-checked)."""
    target = contact.office if contact is not None else office
    _check(actor, "mediacontact.manage", target)
    fields = clean_contact_fields(fields, creating=contact is None)
    obj = contact if contact is not None else MediaContact(office=office)
    return _save_register(actor, obj, fields, "mediacontact", expected_version)


def clean_spokesperson_fields(
    fields: dict[str, Any], spokesperson: Spokesperson | None = None
) -> dict[str, Any]:
    """Validate and normalise registry fields (also used by forms and the admin): a user or
    a name, a decree number, a start of validity not after its end, and at least one topic
    and one issue level."""
    unknown = set(fields) - SPOKESPERSON_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    fields = dict(fields)
    merged = {n: fields.get(n, getattr(spokesperson, n, None)) for n in SPOKESPERSON_FIELDS}
    if not merged["user"] and not (merged["name"] or "").strip():
        raise InvalidInput(_("Choose a user or write a name."), field="name")
    fields["decree_number"] = _text(
        merged["decree_number"], "decree_number", _("Give the decree (Surat Keputusan) number.")
    )
    if not isinstance(merged["valid_from"], date):
        raise InvalidInput(_("Give the start of validity."), field="valid_from")
    if merged["valid_until"] is not None and merged["valid_until"] < merged["valid_from"]:
        raise InvalidInput(_("The end of validity is before its start."), field="valid_until")
    topics = list(merged["topics"] or [])
    levels = list(merged["levels"] or [])
    if not topics or any(t not in Topic.values for t in topics):
        raise InvalidInput(_("Choose the topics the spokesperson may speak on."), field="topics")
    try:
        levels = [int(v) for v in levels]
    except (TypeError, ValueError):
        levels = []
    if not levels or any(v not in IssueLevel.values for v in levels):
        raise InvalidInput(
            _("Choose the issue levels the spokesperson may speak on."), field="levels"
        )
    if "topics" in fields:
        fields["topics"] = [t for t in Topic.values if t in topics]
    if "levels" in fields:
        fields["levels"] = [int(v) for v in IssueLevel.values if v in levels]
    for name in ("name", "position", "notes"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


def save_spokesperson(
    actor: User,
    *,
    office: Office,
    spokesperson: Spokesperson | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Spokesperson:
    """Add an official spokesperson to the office's registry, or change one
    (version-checked). See :func:`clean_spokesperson_fields` for the rules."""
    target = spokesperson.office if spokesperson is not None else office
    _check(actor, "spokesperson.manage", target)
    fields = clean_spokesperson_fields(fields, spokesperson)
    obj = spokesperson if spokesperson is not None else Spokesperson(office=office)
    return _save_register(actor, obj, fields, "spokesperson", expected_version)


def clean_delegation(
    actor: User,
    *,
    office: Office,
    delegate: User,
    valid_from: datetime | None,
    valid_until: datetime | None,
    right: str = DelegatedRight.APPROVE_MATERIAL,
) -> None:
    """The rules of a delegation (also used by forms and the admin): to someone else who
    works with the office's conferences, for a period that ends after it starts."""
    _choice(DelegatedRight, right, "right")
    if delegate is None:
        raise InvalidInput(_("Choose the delegate."), field="delegate")
    if delegate.pk == actor.pk:
        raise InvalidInput(_("You cannot delegate a right to yourself."), field="delegate")
    if not delegate.is_active or not policy.can(delegate, "material.view", office):
        raise InvalidInput(_("The delegate must work in this office."), field="delegate")
    if valid_from is None or valid_until is None:
        raise InvalidInput(_("Give the period of the delegation."), field="valid_from")
    _aware(valid_from, "valid_from")
    _aware(valid_until, "valid_until")
    if valid_until <= valid_from:
        raise InvalidInput(_("The end of the delegation is before its start."), field="valid_until")


def grant_delegation(
    actor: User,
    *,
    office: Office,
    delegate: User,
    valid_from: datetime,
    valid_until: datetime,
    reason: str = "",
    right: str = DelegatedRight.APPROVE_MATERIAL,
) -> Delegation:
    """The head of office delegates a right for a period (see :func:`clean_delegation`)."""
    _check(actor, "delegation.manage", office)
    clean_delegation(
        actor,
        office=office,
        delegate=delegate,
        valid_from=valid_from,
        valid_until=valid_until,
        right=right,
    )
    with transaction.atomic():
        delegation = Delegation.objects.create(
            office=office,
            delegate=delegate,
            right=right,
            valid_from=valid_from,
            valid_until=valid_until,
            reason=(reason or "").strip(),
            granted_by=actor,
        )
        audit.log(actor, "delegation.create", delegation, after=audit.snapshot(delegation))
    return delegation


def revoke_delegation(
    actor: User, delegation: Delegation, *, now: datetime | None = None
) -> Delegation:
    _check(actor, "delegation.manage", delegation)
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.revoked_at is not None:
            raise InvalidTransition(_("This delegation is already revoked."))
        before = audit.snapshot(delegation)
        delegation.revoked_at = _now(now)
        delegation.save(update_fields=["revoked_at"])
        audit.log(
            actor, "delegation.revoke", delegation, before=before, after=audit.snapshot(delegation)
        )
    return delegation
