"""Delivering notifications: e-mail (Django's mail backends) and the chat webhook.

Workers (the crisis tick, the ``deliver_notifications`` task, ``prima crisis-tick``) call
:func:`deliver_pending`. Each message is claimed with a conditional UPDATE that takes a
lease (``CRISIS_DELIVERY_LEASE_SECONDS``), handed to its channel, then marked sent — so
two workers never send the same message, and a message whose worker was killed is sent
by the next worker once the lease has passed. Nothing is lost; the only repeat possible
is a worker killed in the instant between the channel accepting a message and the
mark, and then the message carries the same ``Message-ID`` / ``Idempotency-Key``.

In-app notices need no delivery: they are shown as soon as they are stored.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from prima.monitoring import fetch

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from . import events
from .models import Case, Channel, EventKind, Notification

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    pass


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _message_id(notification: Notification) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "prima"
    return f"<{notification.key}@{domain}>"


def send_email(notification: Notification) -> None:
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={
            "Message-ID": _message_id(notification),
            "X-PRIMA-Case": str(notification.case_id),
        },
        connection=get_connection(fail_silently=False),
    )
    if message.send() != 1:
        raise DeliveryError("the mail backend did not accept the message")


def send_webhook(notification: Notification) -> None:
    link = notification.body.rsplit("\n", 1)[-1]
    payload = {"text": f"{notification.subject}\n{link}"}
    try:
        fetch.post_json(
            notification.address,
            json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Idempotency-Key": notification.key},
        )
    except fetch.FetchError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None


SENDERS = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}


def claim(notification_id: int, worker: str, now: datetime) -> bool:
    """Take the lease on one message; False when it is sent, given up or held."""
    return bool(
        Notification.objects.deliverable(now)
        .filter(pk=notification_id)
        .update(claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1)
    )


def _delivered(notification: Notification, worker: str, now: datetime) -> None:
    marked = Notification.objects.filter(pk=notification.pk, claimed_by=worker).update(sent_at=now)
    if not marked:
        return
    Case.objects.filter(pk=notification.case_id, notified_at__isnull=True).update(notified_at=now)
    case = Case(pk=notification.case_id)
    events.log(
        case,
        EventKind.NOTIFICATION,
        at=now,
        channel=notification.channel,
        recipient=notification.recipient.display_name if notification.recipient else "",
        subject=notification.subject,
    )


def _failed(notification: Notification, worker: str, now: datetime, error: str) -> None:
    attempts = notification.attempts  # counted by the claim
    if attempts >= settings.CRISIS_DELIVERY_MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk, claimed_by=worker).update(
            failed_at=now, last_error=error[:2000], claimed_at=None
        )
        events.log(
            Case(pk=notification.case_id),
            EventKind.NOTIFICATION,
            at=now,
            channel=notification.channel,
            recipient=notification.recipient.display_name if notification.recipient else "",
            failed=True,
            error=error[:300],
        )
        return
    Notification.objects.filter(pk=notification.pk, claimed_by=worker).update(
        claimed_at=None,
        last_error=error[:2000],
        next_attempt_at=now + timedelta(minutes=2 ** (attempts - 1)),
    )


def deliver_one(notification_id: int, worker: str, now: datetime | None = None) -> bool | None:
    """Claim, send and mark one message. True sent, False failed (retried later), None
    when another worker holds it or it needs no delivery."""
    now = now or timezone.now()
    if not claim(notification_id, worker, now):
        return None
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    sender = SENDERS.get(Channel(notification.channel))
    if sender is None:
        _delivered(notification, worker, now)
        return True
    try:
        sender(notification)
    except Exception as exc:  # noqa: BLE001 - any channel failure is recorded and retried
        logger.warning("notification %s not delivered: %s", notification.key, exc)
        _failed(notification, worker, now, f"{type(exc).__name__}: {exc}")
        return False
    _delivered(notification, worker, now)
    return True


def deliver_pending(
    now: datetime | None = None, *, worker: str | None = None, limit: int = 200
) -> dict[str, int]:
    """Deliver every message due (at most ``limit``); returns counts."""
    worker = worker or worker_id()
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    ids = list(
        Notification.objects.deliverable(now)
        .filter(~Q(channel=Channel.IN_APP))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for notification_id in ids:
        outcome = deliver_one(notification_id, worker, now)
        counts["sent" if outcome else "failed" if outcome is False else "skipped"] += 1
    return counts


@task()  # type: ignore[untyped-decorator]
def deliver_notifications() -> dict[str, int]:
    """Deliver what is due (enqueued when messages are stored; the rounds do it too)."""
    return deliver_pending()


def deliver_soon() -> None:
    """Have the messages just stored delivered by a worker once the transaction commits
    (the next round would deliver them anyway)."""
    transaction.on_commit(deliver_notifications.enqueue)
