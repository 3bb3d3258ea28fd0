"""Retention (UU No. 27/2022 Ps. 43-44): every declared category is applied by one
service, ``run_retention``, behind ``prima apply-retention`` and the scheduled task; each
run leaves one audit entry with its counts. (The categories of higher apps are tested in
those apps: conferences, monitoring, portal.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.organizations import audit
from prima.organizations.models import (
    ApiToken,
    AuditEntry,
    LoginFailure,
    RetentionSchedulerState,
)
from prima.organizations.privacy import declarations as pdp
from prima.organizations.privacy import tasks
from prima.organizations.privacy.retention import AUDIT_ACTION, run_retention


def _token(user, name: str, revoked_days_ago: int | None) -> ApiToken:
    revoked = (
        None if revoked_days_ago is None else timezone.now() - timedelta(days=revoked_days_ago)
    )
    return ApiToken.objects.create(
        user=user, name=name, key_prefix=name[:8], key_hash=name.ljust(64, "0"), revoked_at=revoked
    )


@pytest.fixture
def old_and_new(personas, settings):
    settings.PDP_API_TOKEN_DAYS = 90
    settings.PDP_LOGIN_FAILURE_DAYS = 30
    now = timezone.now()
    admin = personas["administrator"]
    _token(admin, "old-revoked", 100)
    _token(admin, "new-revoked", 10)
    _token(admin, "active", None)
    LoginFailure.objects.create(username="tebakan", ip="203.0.113.9", at=now - timedelta(days=31))
    LoginFailure.objects.create(username="rina", ip="203.0.113.10", at=now - timedelta(days=1))
    Session.objects.create(
        session_key="a" * 32, session_data="x", expire_date=now - timedelta(minutes=5)
    )
    Session.objects.create(
        session_key="b" * 32, session_data="x", expire_date=now + timedelta(minutes=5)
    )
    return now


def _outcome(report, label):
    return next(o for o in report.outcomes if o.label == label)


def test_every_category_with_a_period_is_applied(old_and_new):
    report = run_retention(old_and_new)
    labels = {o.label for o in report.outcomes}
    declared = {
        m._meta.label
        for m, d in pdp.personal()
        if d.retention.purge and d.retention.period_days is not None
    }
    assert labels == declared
    assert {"organizations.ApiToken", "organizations.LoginFailure", "sessions.Session"} <= labels
    assert "organizations.AuditEntry" not in labels  # the audit trail is kept


def test_it_removes_what_is_past_its_period_and_keeps_the_rest(old_and_new):
    report = run_retention(old_and_new)
    assert _outcome(report, "organizations.ApiToken").removed == 1
    assert _outcome(report, "organizations.LoginFailure").removed == 1
    assert _outcome(report, "sessions.Session").removed == 1
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["active", "new-revoked"]
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["rina"]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    assert report.total >= 3


def test_the_period_comes_from_the_setting(old_and_new, settings):
    settings.PDP_API_TOKEN_DAYS = 5
    report = run_retention(old_and_new)
    token = _outcome(report, "organizations.ApiToken")
    assert token.removed == 2 and token.days == 5
    assert token.cutoff == old_and_new - timedelta(days=5)


def test_a_dry_run_counts_and_changes_nothing(old_and_new):
    entries = AuditEntry.objects.count()
    report = run_retention(old_and_new, dry_run=True)
    assert _outcome(report, "organizations.ApiToken").removed == 1
    assert ApiToken.objects.count() == 3 and LoginFailure.objects.count() == 2
    assert AuditEntry.objects.count() == entries


def test_each_run_writes_one_audit_entry_with_the_counts(old_and_new):
    run_retention(old_and_new)
    entry = AuditEntry.objects.get(action=AUDIT_ACTION)
    rows = {row["code"]: row for row in entry.after["categories"]}
    assert rows["organizations.ApiToken"]["removed"] == 1
    assert rows["organizations.LoginFailure"]["days"] == 30
    assert entry.actor is None and entry.actor_label == "system"
    # No personal data of what was removed in the entry.
    assert "tebakan" not in str(entry.after) and "203.0.113.9" not in str(entry.after)
    assert audit.verify() == []


def test_the_command_prints_each_category(old_and_new, capsys):
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "organizations.LoginFailure: 1 would be removed" in out
    assert LoginFailure.objects.count() == 2
    call_command("apply_retention")
    out = capsys.readouterr().out
    assert "organizations.LoginFailure: 1 removed" in out
    assert LoginFailure.objects.count() == 1
    assert AuditEntry.objects.filter(action=AUDIT_ACTION).count() == 1


def test_the_scheduled_task_runs_once_per_interval(old_and_new):
    first = tasks.retention_tick.call()
    assert first["ran"] is True and first["removed"] >= 3
    assert tasks.retention_tick.call() == {"ran": False}  # the next run is not due yet
    state = RetentionSchedulerState.objects.get()
    assert state.next_tick_at > timezone.now() + timedelta(hours=23)


def test_a_dead_chain_is_restarted(db):
    assert tasks.chain_seems_dead()
    assert tasks.ensure_chain() is True
    assert not tasks.chain_seems_dead()
    assert tasks.ensure_chain() is False


def test_the_record_page_lists_the_runs(old_and_new, personas):
    run_retention(old_and_new)
    response = client_for(personas["head"], "id").get(reverse("privacy-record"))
    runs = response.context["runs"]
    assert len(runs) == 1 and runs[0]["total"] >= 3
    assert ("Token API", 1) in runs[0]["rows"] or any(r[1] == 1 for r in runs[0]["rows"])
    assert 'data-testid="retention-run"' in response.content.decode()


def test_unaccepted_invitations_and_reset_requests_are_removed(personas, offices):
    from prima.organizations.models import Invitation, PasswordResetRequest, Role

    now = timezone.now()
    soetta, admin = offices["soetta"], personas["administrator"]

    def invite(email, expired_days_ago, accepted=False):
        return Invitation.objects.create(
            email=email,
            office=soetta,
            role=Role.PR_STAFF,
            token_hash=email.ljust(64, "0")[:64],
            invited_by=admin,
            expires_at=now - timedelta(days=expired_days_ago),
            accepted_at=now - timedelta(days=200) if accepted else None,
        )

    invite("lama@example.id", 100)
    invite("diterima@example.id", 100, accepted=True)
    invite("baru@example.id", 1)
    PasswordResetRequest.objects.create(
        email_hash="a" * 64, ip="203.0.113.1", at=now - timedelta(days=3)
    )
    PasswordResetRequest.objects.create(email_hash="b" * 64, ip="203.0.113.2", at=now)
    report = run_retention(now)
    assert _outcome(report, "organizations.Invitation").removed == 1
    assert _outcome(report, "organizations.PasswordResetRequest").removed == 1
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "baru@example.id",
        "diterima@example.id",
    ]
    assert PasswordResetRequest.objects.get().email_hash == "b" * 64
