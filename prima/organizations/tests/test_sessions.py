"""Sessions end after 30 idle minutes; requests push the end back (the session row is
rewritten at most about once a minute, not on every page)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for


def test_the_idle_timeout_is_thirty_minutes_renewed_by_requests():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ENGINE == "prima.organizations.sessions"
    assert settings.SESSION_COOKIE_HTTPONLY is True


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_request_pushes_the_expiry_back(pr_staff):
    client = client_for(pr_staff)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(reverse("home")).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_an_idle_session_has_ended(pr_staff):
    client = client_for(pr_staff)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    writes = ("UPDATE", "INSERT")
    return sum(
        1
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(writes)
    )


def test_pages_opened_within_a_minute_do_not_rewrite_the_session(pr_staff):
    client = client_for(pr_staff)
    client.get(reverse("home"))  # renews if due
    before = _session(client).expire_date
    for _ in range(3):
        assert _session_writes(client, reverse("home")) == 0
    assert _session(client).expire_date == before


def test_the_session_is_renewed_once_its_end_is_a_minute_closer(pr_staff):
    client = client_for(pr_staff)
    key = client.session.session_key
    almost_fresh = timezone.now() + timedelta(minutes=30, seconds=-30)
    Session.objects.filter(session_key=key).update(expire_date=almost_fresh)
    assert _session_writes(client, reverse("home")) == 0  # 30 s old: not yet
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=28)
    )
    assert _session_writes(client, reverse("home")) == 1  # 2 minutes old: renewed
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
