"""Clarifications of misinformation (the hoax register).

A clarification is written on a case (the claim as it circulates, the facts, the
verdict), submitted, and published by someone else who may publish (four eyes), with
where it was published. Publishing is an approved public statement: the first one stops
the case's response clock. The public portal shows ``Clarification.objects.public()``
(published, never an exercise).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.organizations import audit, policy
from prima.organizations.models import User

from . import events
from .cases import first_statement
from .errors import FourEyesError, InvalidAction, InvalidInput
from .models import Case, Clarification, ClarificationStatus, EventKind, Verdict
from .playbook import done_actions

CHANNELS = ("website", "instagram", "x", "facebook", "tiktok", "youtube", "whatsapp",
            "press_release", "other")  # fmt: skip
MAX_CHANNELS = 10
# How each place reads (staff pages and the public portal).
CHANNEL_LABELS = {
    "website": gettext_lazy("Office website"),
    "instagram": "Instagram",
    "x": "X",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "whatsapp": gettext_lazy("WhatsApp (journalists' groups)"),
    "press_release": gettext_lazy("Press release"),
    "other": gettext_lazy("Other"),
}
_EDITABLE = {"title", "claim", "facts", "verdict", "title_en", "claim_en", "facts_en"}
_OPTIONAL = {"title_en", "claim_en", "facts_en"}  # English versions, where given


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _EDITABLE & set(fields):
        value = str(fields[name] or "").strip()
        if name not in _OPTIONAL and name != "verdict" and not value:
            messages = {
                "title": _("Give the clarification a headline."),
                "claim": _("Quote the claim as it circulates."),
                "facts": _("Write the facts."),
            }
            raise InvalidInput(messages[name], field=name)
        if name == "verdict" and value not in Verdict.values:
            raise InvalidInput(_("Choose a verdict."), field="verdict")
        out[name] = value[:250] if name in ("title", "title_en") else value[:10000]
    return out


def clean_channels(channels: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """``[{"channel": …, "url": …}]`` validated (a channel from the list, an http(s) URL
    or none for channels without one, e.g. a WhatsApp group)."""
    out = []
    validator = URLValidator(schemes=["http", "https"])
    for row in channels:
        channel = str(row.get("channel", "")).strip()
        url = str(row.get("url", "") or "").strip()
        if not channel and not url:
            continue
        if channel not in CHANNELS:
            raise InvalidInput(_("Choose where it was published."), field="channels")
        if url:
            try:
                validator(url)
            except ValidationError:
                raise InvalidInput(_("Enter a valid web address."), field="channels") from None
        out.append({"channel": channel, "url": url[:500]})
    if len(out) > MAX_CHANNELS:
        raise InvalidInput(_("At most %(n)d places.") % {"n": MAX_CHANNELS}, field="channels")
    return out


def create(actor: User, case: Case, *, now: datetime | None = None, **fields: Any) -> Clarification:
    policy.check(actor, "clarification.edit", case)
    data = _clean({"verdict": Verdict.HOAX, **fields})
    for name in ("title", "claim", "facts"):
        if name not in data:
            _clean({name: ""})
    now = now or timezone.now()
    with transaction.atomic():
        item = Clarification.objects.create(
            case=case,
            office=case.office,
            is_exercise=case.is_exercise,
            written_by=actor,
            **data,
        )
        events.log(case, EventKind.CLARIFICATION, actor=actor, at=now, clarification=item.pk,
                   action="created", title=item.title)  # fmt: skip
        audit.log(actor, "clarification.create", item, after=audit.snapshot(item))
    return item


def _lock(item: Clarification) -> Clarification:
    return (
        Clarification.objects.select_for_update().select_related("case", "office").get(pk=item.pk)
    )


def edit(
    actor: User, item: Clarification, *, expected_version: int | None = None, **fields: Any
) -> Clarification:
    """Change the text of a draft (or returned) clarification; a submitted one goes back
    to draft."""
    policy.check(actor, "clarification.edit", item)
    data = _clean(fields)
    with transaction.atomic():
        item = _lock(item)
        if expected_version is not None and item.version != expected_version:
            raise InvalidAction(_("Someone else changed this clarification. Reload the page."))
        if item.status in (ClarificationStatus.PUBLISHED, ClarificationStatus.WITHDRAWN):
            raise InvalidAction(_("A published clarification cannot be changed; withdraw it."))
        before = audit.snapshot(item)
        for name, value in data.items():
            setattr(item, name, value)
        item.status = ClarificationStatus.DRAFT
        item.version += 1
        item.save()
        audit.log(actor, "clarification.edit", item, before=before, after=audit.snapshot(item))
    return item


def submit(actor: User, item: Clarification, *, now: datetime | None = None) -> Clarification:
    policy.check(actor, "clarification.edit", item)
    now = now or timezone.now()
    with transaction.atomic():
        item = _lock(item)
        if item.status != ClarificationStatus.DRAFT:
            raise InvalidAction(_("Only a draft can be submitted."))
        item.status, item.submitted_at = ClarificationStatus.SUBMITTED, now
        item.version += 1
        item.save(update_fields=["status", "submitted_at", "version", "updated_at"])
        events.log(item.case, EventKind.CLARIFICATION, actor=actor, at=now,
                   clarification=item.pk, action="submitted", title=item.title)  # fmt: skip
        audit.log(actor, "clarification.submit", item, after={"status": item.status})
    return item


def publish(
    actor: User,
    item: Clarification,
    *,
    channels: Iterable[Mapping[str, Any]],
    published_at: datetime | None = None,
    now: datetime | None = None,
) -> Clarification:
    """Approve and record where it was published (four eyes: not by its writer)."""
    policy.check(actor, "clarification.publish", item)
    now = now or timezone.now()
    published_at = published_at or now
    if published_at > now:
        raise InvalidInput(_("It cannot be published in the future."), field="published_at")
    places = clean_channels(channels)
    if not places:
        raise InvalidInput(_("Say where the clarification was published."), field="channels")
    with transaction.atomic():
        item = _lock(item)
        if item.status != ClarificationStatus.SUBMITTED:
            raise InvalidAction(_("Only a submitted clarification can be published."))
        if item.written_by_id == actor.pk:
            raise FourEyesError(_("You wrote this clarification; someone else must publish it."))
        before = audit.snapshot(item)
        item.status = ClarificationStatus.PUBLISHED
        item.published_at, item.published_by, item.channels = published_at, actor, places
        item.version += 1
        item.save()
        events.log(item.case, EventKind.CLARIFICATION, actor=actor, at=published_at,
                   clarification=item.pk, action="published", title=item.title,
                   channels=places)  # fmt: skip
        first_statement(item.case, published_at)
        done_actions(item.case, ["clarification_post"], actor, now)
        audit.log(actor, "clarification.publish", item, before=before, after=audit.snapshot(item))
    return item


def withdraw(
    actor: User, item: Clarification, *, reason: str, now: datetime | None = None
) -> Clarification:
    policy.check(actor, "clarification.publish", item)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for withdrawing it."), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        item = _lock(item)
        if item.status != ClarificationStatus.PUBLISHED:
            raise InvalidAction(_("Only a published clarification can be withdrawn."))
        before = audit.snapshot(item)
        item.status, item.withdrawn_at, item.withdraw_reason = (
            ClarificationStatus.WITHDRAWN, now, reason[:2000]
        )  # fmt: skip
        item.version += 1
        item.save()
        events.log(item.case, EventKind.CLARIFICATION, actor=actor, at=now,
                   clarification=item.pk, action="withdrawn", title=item.title,
                   text=reason)  # fmt: skip
        audit.log(actor, "clarification.withdraw", item, before=before, after=audit.snapshot(item))
    return item
