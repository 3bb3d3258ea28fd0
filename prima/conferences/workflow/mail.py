"""Invitation e-mails: rows claimed atomically by a background task, sent through Django's
mail backend (SMTP on a server; files under var/mail/ in the demo).

An invitation made "by e-mail" is ``pending``; :func:`send_pending_invitation_emails`
claims each pending row (``pending → sending`` in one conditional UPDATE, so two workers
never send the same e-mail), sends it and records ``sent`` or ``failed`` with the error,
audited against the conference. A failed e-mail stays visible on the conference page with
a button to try again; nothing is lost if no worker runs for a while: the rows wait.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from prima.organizations.models import User

try:  # Django 6 ships tasks; on 5.2 the django-tasks backport provides them
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from ..models import Channel, EmailStatus, Invitation
from .base import InvalidTransition, _key, _lock, _log, _now, _part, _require_active
from .invitations import editable_invitation, invitation_subject, invitation_text

logger = logging.getLogger(__name__)


@task()
def send_invitation_emails() -> int:
    """Background task: send every pending invitation e-mail; returns how many went out."""
    return send_pending_invitation_emails()


def enqueue_invitation_emails() -> None:
    """Ask a worker to send the pending invitation e-mails (call after the commit)."""
    send_invitation_emails.enqueue()


def send_pending_invitation_emails(*, now: datetime | None = None, limit: int = 200) -> int:
    """Claim and send pending invitation e-mails (at most ``limit``); returns the number
    sent. A row another worker claimed first is skipped."""
    sent = 0
    ids = list(
        Invitation.objects.filter(email_status=EmailStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        claimed = Invitation.objects.filter(pk=pk, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.SENDING
        )
        if not claimed:
            continue  # another worker got there first
        sent += _send_one(pk, _now(now))
    return sent


def _reply_to(invitation: Invitation) -> list[str]:
    addresses = [invitation.conference.office.email]
    if invitation.invited_by and invitation.invited_by.email:
        addresses.insert(0, invitation.invited_by.email)
    return [a for a in addresses if a]


def _send_one(pk: int, now: datetime) -> int:
    invitation = Invitation.objects.select_related(
        "conference__office", "contact", "invited_by"
    ).get(pk=pk)
    error = ""
    try:
        EmailMessage(
            subject=invitation_subject(invitation),
            body=invitation_text(invitation),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.contact.email],
            reply_to=_reply_to(invitation),
        ).send()
    except Exception as exc:  # noqa: BLE001 - any mail failure is recorded on the row
        logger.warning("invitation %s: e-mail not sent: %s", pk, exc)
        error = f"{type(exc).__name__}: {exc}"[:300]
    with transaction.atomic():
        conf = _lock(invitation.conference_id)
        row = Invitation.objects.get(pk=pk)
        before = _part(row)
        row.email_status = EmailStatus.FAILED if error else EmailStatus.SENT
        row.emailed_at = None if error else now
        row.email_error = error
        row.save(update_fields=["email_status", "emailed_at", "email_error"])
        action = "conference.invitation.email_failed" if error else "conference.invitation.emailed"
        _log(None, action, conf, {_key(row): before}, {_key(row): _part(row)})
    return 0 if error else 1


def resend_invitation_email(
    actor: User, invitation: Invitation, *, now: datetime | None = None
) -> Invitation:
    """Send an invitation e-mail again (after a failure, or a changed address)."""
    invitation = editable_invitation(actor, invitation)
    with transaction.atomic():
        conf = _lock(invitation.conference_id)
        _require_active(conf)
        row = Invitation.objects.select_related("contact").get(pk=invitation.pk)
        if not row.contact.email:
            raise InvalidTransition(
                _("%(who)s has no e-mail address in the media contacts.") % {"who": row.contact}
            )
        # "sending" is allowed: a worker that died while sending leaves the row there.
        if row.email_status == EmailStatus.PENDING:
            raise InvalidTransition(_("This e-mail is already on its way."))
        before = _part(row)
        row.email_status, row.email_error = EmailStatus.PENDING, ""
        row.channel = Channel.EMAIL
        row.save(update_fields=["email_status", "email_error", "channel"])
        _log(actor, "conference.invitation.email_again", conf, {_key(row): before},
             {_key(row): _part(row)})  # fmt: skip
        transaction.on_commit(enqueue_invitation_emails)
    return row
