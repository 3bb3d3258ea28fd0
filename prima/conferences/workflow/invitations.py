"""Invitations in the flow: the journalist's personal RSVP link, the invitation text (for
e-mail and WhatsApp, which is how most journalists are reached in Indonesia) and signing
in journalists who confirmed.

The RSVP link carries a token signed with the site's secret key for this one purpose
(its own salt), naming the invitation and its ``rsvp_key``: it cannot be forged or reused
for anything else, a new key voids it, and it expires ``CONFERENCE_RSVP_MAX_DAYS`` after
it was made — and in any case once the conference has started, was cancelled or closed.
Answering needs no log-in; the answer is audited like any other change (no actor: the
journalist).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.lib import dates
from prima.organizations.models import User

from ..models import (
    Attendance,
    Conference,
    Invitation,
    ReplyVia,
    Stage,
    Status,
    rsvp_max_days,
)
from .base import (
    EXECUTION_STAGES,
    InvalidInput,
    InvalidTransition,
    WorkflowError,
    _check,
    _key,
    _lock,
    _log,
    _now,
    _part,
    _require_active,
    _require_stage,
)

RSVP_SALT = "prima.conferences.rsvp"


class RsvpLinkError(WorkflowError):
    """The link is not (or no longer) valid."""

    default_message = gettext_lazy("This invitation link is not valid.")
    status_code = 404


class RsvpLinkExpired(RsvpLinkError):
    default_message = gettext_lazy("This invitation link has expired.")
    status_code = 410


def rsvp_token(invitation: Invitation) -> str:
    """The signed token of the invitation's personal RSVP link (no query)."""
    return signing.dumps({"i": invitation.pk, "k": invitation.rsvp_key}, salt=RSVP_SALT)


def rsvp_url(invitation: Invitation) -> str:
    """The absolute RSVP link (``PRIMA_SITE_URL`` + path), for e-mail and WhatsApp."""
    path = reverse("rsvp", kwargs={"token": rsvp_token(invitation)})
    return settings.SITE_URL.rstrip("/") + path


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token names, or :class:`RsvpLinkError` (forged, tampered with,
    made for another purpose, or voided) / :class:`RsvpLinkExpired`. One query."""
    try:
        data = signing.loads(token, salt=RSVP_SALT, max_age=timedelta(days=rsvp_max_days()))
    except signing.SignatureExpired:
        raise RsvpLinkExpired() from None
    except signing.BadSignature:
        raise RsvpLinkError() from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise RsvpLinkError()
    invitation = (
        Invitation.objects.select_related("conference__office", "contact", "invited_by")
        .filter(pk=data["i"])
        .first()
    )
    if invitation is None or not constant_time_compare(invitation.rsvp_key, str(data.get("k"))):
        raise RsvpLinkError()
    return invitation


def rsvp_closed(conference: Conference, now: datetime) -> str:
    """Why answers are no longer taken ("" while they are)."""
    if conference.status == Status.CANCELLED:
        return _("This press conference was cancelled.")
    if conference.status == Status.COMPLETED or conference.actual_start is not None:
        return _("This press conference has already taken place.")
    if Stage(conference.stage).position >= Stage.EXECUTION.position:
        return _("This press conference has already started.")
    if conference.scheduled_at is not None and conference.scheduled_at <= now:
        return _("This press conference has already started.")
    return ""


def record_rsvp(token: str, *, attending: bool, now: datetime | None = None) -> Invitation:
    """Record the journalist's answer given through their personal link (no log-in): yes
    (confirmed) or no (declined; an accreditation goes with a yes). Answering again
    changes the answer. Refused once the conference started. Audited without an actor as
    ``conference.invitation.rsvp``."""
    now = _now(now)
    invitation = invitation_for_token(token)
    with transaction.atomic():
        conf = _lock(invitation.conference_id)
        closed = rsvp_closed(conf, now)
        if closed:
            raise InvalidTransition(closed)
        invitation = Invitation.objects.get(pk=invitation.pk)
        before = _part(invitation)
        if attending:
            invitation.confirmed_at = invitation.confirmed_at or now
            invitation.declined_at = None
        else:
            invitation.declined_at = invitation.declined_at or now
            invitation.confirmed_at = invitation.accredited_at = None
        invitation.replied_via = ReplyVia.LINK
        after = _part(invitation)
        if after == before:
            return invitation
        invitation.save(
            update_fields=["confirmed_at", "declined_at", "accredited_at", "replied_via"]
        )
        key = _key(invitation)
        _log(None, "conference.invitation.rsvp", conf, {key: before}, {key: after})
    return invitation


# --- The invitation text ------------------------------------------------------------------
def invitation_text(invitation: Invitation, *, language: str | None = None) -> str:
    """The invitation as plain text (for e-mail and WhatsApp), in the office's language by
    default: who invites, what, when (in the office's zone), where, the personal RSVP link
    and the contact person."""
    conference = invitation.conference
    tz = conference.office.timezone or dates.DEFAULT_TZ
    lang = language or settings.LANGUAGE_CODE
    with translation.override(lang):
        context = {
            "invitation": invitation,
            "conference": conference,
            "contact": invitation.contact,
            "office": conference.office,
            "day": dates.format_date(conference.scheduled_at, lang, tz_name=tz)
            if conference.scheduled_at
            else "",
            "time": dates.format_time(conference.scheduled_at, lang, tz_name=tz)
            if conference.scheduled_at
            else "",
            "rsvp_url": rsvp_url(invitation),
            "sender": invitation.invited_by,
        }
        text = render_to_string("conferences/invitation.txt", context)
    # Templates leave blank lines where optional parts are empty: at most one in a row.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def invitation_subject(invitation: Invitation, *, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return _("Press invitation: %(title)s") % {"title": invitation.conference.title}


def whatsapp_number(phone: str) -> str:
    """An Indonesian phone number in the international form WhatsApp links need
    ("0812-1000-2001" → "6281210002001"); "" when it does not look like one."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if 9 <= len(digits) <= 15 else ""


def whatsapp_url(invitation: Invitation) -> str:
    """A wa.me link that opens a chat with the journalist with the text filled in ("" when
    the contact has no usable number)."""
    number = whatsapp_number(invitation.contact.phone)
    if not number:
        return ""
    return f"https://wa.me/{number}?text={quote(invitation_text(invitation))}"


def editable_invitation(actor: User, invitation: Invitation) -> Invitation:
    """The invitation fresh from the database with its conference and contact, once the
    policy lets ``actor`` change the conference (404 / 403 otherwise)."""
    fresh = Invitation.objects.select_related("conference__office", "contact").get(pk=invitation.pk)
    _check(actor, "conference.edit", fresh.conference)
    return fresh


# --- Attendance from the confirmed list -----------------------------------------------------
def sign_in_invitee(
    actor: User, invitation: Invitation, *, now: datetime | None = None
) -> Attendance:
    """Sign in an invited journalist at the reception (name and outlet from the media
    contacts, not typed again). Once per journalist."""
    invitation = editable_invitation(actor, invitation)
    with transaction.atomic():
        conf = _lock(invitation.conference_id)
        _require_active(conf)
        _require_stage(conf, EXECUTION_STAGES, _("Attendance is recorded during the conference."))
        contact = invitation.contact
        if Attendance.objects.filter(conference=conf, contact=contact).exists():
            raise InvalidInput(_("%(who)s is already signed in.") % {"who": contact})
        attendance = Attendance.objects.create(
            conference=conf,
            journalist=contact.journalist,
            outlet=contact.outlet,
            contact=contact,
            signed_in_at=_now(now),
        )
        _log(actor, "conference.attendance.add", conf, {}, {_key(attendance): _part(attendance)})
    return attendance
