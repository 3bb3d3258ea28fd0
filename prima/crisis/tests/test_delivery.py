"""Delivering notifications: e-mail through Django's mail backends, the chat webhook
through the guarded sender, claims with a lease, retries, giving up."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from prima.crisis import assessment, cases, delivery
from prima.crisis.models import Channel, Notification
from prima.crisis.tests.conftest import NOW
from prima.crisis.tests.test_escalation import TINGGI

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(soetta, pr_staff, pr_lead, head):
    for person in (pr_lead, head):
        person.email = f"{person.username}@imigrasi.example.go.id"
        person.save()
    opened = cases.open_case(pr_staff, soetta, title="Autogate mati", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    return opened


def emails(case):
    return Notification.objects.filter(case=case, channel=Channel.EMAIL).order_by("pk")


def test_escalation_emails_are_sent_once_with_a_stable_message_id(case, head):
    assert emails(case).count() == 2
    counts = delivery.deliver_pending(NOW + timedelta(seconds=30), worker="w1")
    assert counts == {"sent": 2, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [head.email])
    note = emails(case).get(recipient=head)
    assert message.extra_headers["Message-ID"] == f"<{note.key}@prima.example.go.id>"
    assert message.subject.startswith("Krisis Tinggi: Autogate mati")
    assert note.sent_at == NOW + timedelta(seconds=30) and note.attempts == 1
    assert delivery.deliver_pending(NOW + timedelta(minutes=10)) == {
        "sent": 0, "failed": 0, "skipped": 0
    }  # fmt: skip
    assert len(mail.outbox) == 2
    assert case.events.filter(kind="notification").count() == 2


def test_a_message_held_by_a_live_worker_is_not_taken(case, settings):
    note = emails(case).first()
    assert delivery.claim(note.pk, "w1", NOW)
    assert not delivery.claim(note.pk, "w2", NOW + timedelta(seconds=60))
    lease = timedelta(seconds=settings.CRISIS_DELIVERY_LEASE_SECONDS)
    # w1 died: once its lease has passed, another worker sends the message.
    assert delivery.deliver_one(note.pk, "w2", NOW + lease + timedelta(seconds=1)) is True
    note.refresh_from_db()
    assert note.claimed_by == "w2" and note.sent_at is not None and note.attempts == 2
    assert len(mail.outbox) == 1


class Refusing:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_failures_are_retried_then_given_up(case, settings, monkeypatch):
    settings.CRISIS_DELIVERY_MAX_ATTEMPTS = 3
    monkeypatch.setattr("prima.crisis.delivery.get_connection", lambda **kwargs: Refusing())
    at = NOW
    counts = delivery.deliver_pending(at)
    assert counts["failed"] == 2
    note = emails(case).first()
    assert (
        note.next_attempt_at == at + timedelta(minutes=1) and "mail server down" in note.last_error
    )
    assert delivery.deliver_pending(at + timedelta(seconds=59))["failed"] == 0  # not yet
    assert delivery.deliver_pending(at + timedelta(minutes=1))["failed"] == 2
    note.refresh_from_db()
    assert note.next_attempt_at == at + timedelta(minutes=3)  # 1 + 2 minutes
    delivery.deliver_pending(at + timedelta(minutes=3))
    note.refresh_from_db()
    assert note.failed_at is not None and note.attempts == 3
    assert delivery.deliver_pending(at + timedelta(hours=1))["failed"] == 0
    failed = case.events.filter(kind="notification", data__failed=True)
    assert failed.count() == 2
    # The in-app notice is still there for the responders.
    assert Notification.objects.filter(case=case, channel=Channel.IN_APP).count() == 2


class Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], dict]] = []

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Hook.received.append((dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def webhook(settings) -> Iterator[str]:
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks/humas"
    settings.CRISIS_WEBHOOK_URL = url
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_the_chat_webhook_gets_one_message_per_tier(soetta, pr_staff, head, webhook, settings):
    settings.FETCH_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    opened = cases.open_case(pr_staff, soetta, title="Antrean mengular", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    (note,) = Notification.objects.filter(case=opened, channel=Channel.WEBHOOK)
    delivery.deliver_pending(NOW)
    ((headers, payload),) = Hook.received
    assert headers["Idempotency-Key"] == note.key
    assert payload["text"].startswith("Krisis Tinggi: Antrean mengular")
    assert payload["text"].endswith(f"/crisis/cases/{opened.pk}/")


def test_the_webhook_guard_refuses_internal_addresses(soetta, pr_staff, webhook, settings):
    settings.FETCH_ALLOWED_PRIVATE_NETWORKS = []  # loopback not allowed: refused, retried
    opened = cases.open_case(pr_staff, soetta, title="Antrean mengular", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    assert delivery.deliver_pending(NOW)["failed"] == 1
    assert Hook.received == []
    assert "BlockedAddress" in Notification.objects.get(channel=Channel.WEBHOOK).last_error


def test_exercises_never_reach_the_chat_channel(soetta, pr_staff, head, webhook):
    opened = cases.open_case(pr_staff, soetta, title="Latihan", is_exercise=True, now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    assert not Notification.objects.filter(case=opened, channel=Channel.WEBHOOK).exists()
    subjects = set(Notification.objects.filter(case=opened).values_list("subject", flat=True))
    assert subjects and all(s.startswith("[LATIHAN] ") for s in subjects)
