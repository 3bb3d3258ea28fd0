"""The account lifecycle services: deactivation ends sessions and tokens at once,
invitations work once and expire, sessions are indexed and can be ended, password resets
say nothing about who has an account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import login, logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.organizations import accounts
from prima.organizations.models import (
    ApiToken,
    AuditEntry,
    Invitation,
    Membership,
    PasswordResetRequest,
    Role,
    User,
    UserSession,
)
from prima.organizations.sessions import SessionMiddleware

STRONG = "Kata-Sandi-Baru-2026"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = "https://prima.example"


def issue(user) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user, name="bot", key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    return key


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


# --- Deactivation -------------------------------------------------------------------------


def test_a_deactivated_users_open_session_and_api_token_stop_working_at_once(
    pr_staff, administrator
):
    browser = client_for(pr_staff)
    key = issue(pr_staff)
    assert browser.get(reverse("home")).status_code == 200
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200

    sessions, tokens = accounts.deactivate(administrator, pr_staff, reason="left the office")

    assert (sessions, tokens) == (1, 1)
    response = browser.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert not UserSession.objects.filter(user=pr_staff).exists()
    # History and roles are kept.
    assert Membership.objects.filter(user=pr_staff).exists()
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert entry.actor == administrator and entry.after["reason"] == "left the office"
    assert entry.after["is_active"] is False and entry.after["tokens_revoked"] == 1


def test_a_session_not_in_the_index_ends_too(pr_staff, administrator):
    browser = client_for(pr_staff)
    UserSession.objects.all().delete()  # e.g. signed in before the index existed
    accounts.deactivate(administrator, pr_staff)
    assert browser.get(reverse("home")).status_code == 302


def test_reactivation_lets_them_in_again_but_tokens_stay_revoked(pr_staff, administrator):
    key = issue(pr_staff)
    accounts.deactivate(administrator, pr_staff)
    accounts.reactivate(administrator, pr_staff)
    pr_staff.refresh_from_db()
    assert pr_staff.is_active
    assert client_for(pr_staff).get(reverse("home")).status_code == 200
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert [a for a in actions() if a.startswith("user.")] == ["user.deactivate", "user.reactivate"]


def test_only_administrators_of_the_office_may_deactivate(pr_staff, head, outsider, offices):
    with pytest.raises(PermissionDenied):
        accounts.deactivate(head, pr_staff)
    with pytest.raises(Http404):
        accounts.deactivate(outsider, pr_staff)
    pr_staff.refresh_from_db()
    assert pr_staff.is_active


def test_nobody_deactivates_themselves(administrator):
    with pytest.raises(accounts.AccountError):
        accounts.deactivate(administrator, administrator)


# --- Sessions -----------------------------------------------------------------------------


def test_signing_in_indexes_the_session_and_signing_out_removes_it(pr_staff, rf):
    request = rf.get("/", HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Chrome/120")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = AnonymousUser()
    login(request, pr_staff, backend="django.contrib.auth.backends.ModelBackend")
    row = UserSession.objects.get(user=pr_staff)
    assert row.session_key == request.session.session_key
    assert "Android" in row.user_agent and row.ip == "127.0.0.1"
    logout(request)
    assert not UserSession.objects.filter(user=pr_staff).exists()
    assert actions()[-2:] == ["auth.login", "auth.logout"]


def test_sign_out_everywhere_else_keeps_the_current_session(pr_staff):
    laptop, phone, tablet = client_for(pr_staff), client_for(pr_staff), client_for(pr_staff)
    count = accounts.end_sessions(pr_staff, pr_staff, keep=laptop.session.session_key)
    assert count == 2
    assert laptop.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home")).status_code == 302
    assert tablet.get(reverse("home")).status_code == 302
    assert AuditEntry.objects.filter(action="user.sessions_ended").count() == 1


def test_one_session_can_be_ended(pr_staff):
    laptop, phone = client_for(pr_staff), client_for(pr_staff)
    row = UserSession.objects.get(session_key=phone.session.session_key)
    accounts.end_session(pr_staff, pr_staff, row.pk)
    assert phone.get(reverse("home")).status_code == 302
    assert laptop.get(reverse("home")).status_code == 200


def test_nobody_ends_someone_elses_session_without_the_right(pr_staff, pr_staff2):
    client_for(pr_staff)
    row = UserSession.objects.get(user=pr_staff)
    with pytest.raises((PermissionDenied, Http404)):
        accounts.end_session(pr_staff2, pr_staff, row.pk)
    assert Session.objects.filter(session_key=row.session_key).exists()


def test_expired_sessions_are_not_listed(pr_staff):
    client = client_for(pr_staff)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not accounts.active_sessions(pr_staff).exists()


def test_a_renewal_records_the_last_activity(pr_staff):
    client = client_for(pr_staff)
    key = client.session.session_key
    long_ago = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(session_key=key).update(last_seen_at=long_ago)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    client.get(reverse("home"))
    assert UserSession.objects.get(session_key=key).last_seen_at > long_ago


# --- Invitations --------------------------------------------------------------------------


def _invite(administrator, offices, mailoutbox, email="dewi@imigrasi.go.id") -> str:
    _invitation, sent = accounts.invite(
        administrator, email=email, office=offices["soetta"], role=Role.PR_STAFF, full_name="Dewi"
    )
    assert sent
    match = re.search(r"https://prima\.example(/accounts/invitation/[^/\s]+/)", mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_an_invitation_makes_a_member_with_the_role_once(administrator, offices, mailoutbox):
    path = _invite(administrator, offices, mailoutbox)
    assert mailoutbox[-1].to == ["dewi@imigrasi.go.id"]
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    form = {
        "username": "dewi",
        "full_name": "Dewi Lestari",
        "password1": STRONG,
        "password2": STRONG,
    }
    response = anonymous.post(path, form)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    dewi = User.objects.get(username="dewi")
    assert dewi.email == "dewi@imigrasi.go.id" and dewi.office == offices["soetta"]
    assert dewi.check_password(STRONG)
    assert list(dewi.memberships.values_list("office__code", "role")) == [("soetta", "pr_staff")]
    # The link is single-use.
    again = Client().post(path, {**form, "username": "dewi2"})
    assert again.status_code == 410
    assert not User.objects.filter(username="dewi2").exists()
    assert {"invitation.send", "invitation.accept", "user.create"} <= set(actions())


def test_an_expired_invitation_is_refused(administrator, offices, mailoutbox):
    path = _invite(administrator, offices, mailoutbox)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 410
    form = {"username": "dewi", "full_name": "Dewi", "password1": STRONG, "password2": STRONG}
    assert Client().post(path, form).status_code == 410
    assert not User.objects.filter(username="dewi").exists()


def test_a_new_invitation_withdraws_the_earlier_link(administrator, offices, mailoutbox):
    first = _invite(administrator, offices, mailoutbox)
    second = _invite(administrator, offices, mailoutbox)
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_only_the_hash_of_the_token_is_stored(administrator, offices, mailoutbox):
    path = _invite(administrator, offices, mailoutbox)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert Invitation.objects.filter(token_hash=Invitation.hash_token(token)).exists()


def test_a_weak_password_is_refused_and_the_link_stays_usable(administrator, offices, mailoutbox):
    path = _invite(administrator, offices, mailoutbox)
    form = {"username": "dewi", "full_name": "Dewi", "password1": "dewi", "password2": "dewi"}
    assert Client().post(path, form).status_code == 200
    assert Invitation.objects.get().accepted_at is None


def test_invitations_are_scoped_by_office(head, offices):
    with pytest.raises((PermissionDenied, Http404)):
        accounts.invite(
            head, email="x@imigrasi.go.id", office=offices["soetta"], role=Role.PR_STAFF
        )
    assert not Invitation.objects.exists()


def test_an_address_with_an_account_is_not_invited(administrator, pr_staff, offices):
    pr_staff.email = "rina@imigrasi.go.id"
    pr_staff.save()
    with pytest.raises(accounts.AccountError):
        accounts.invite(
            administrator, email="RINA@imigrasi.go.id", office=offices["soetta"], role=Role.PR_STAFF
        )


# --- Password reset -----------------------------------------------------------------------


def test_a_reset_request_answers_the_same_for_known_and_unknown_addresses(
    pr_staff, mailoutbox, django_capture_on_commit_callbacks
):
    pr_staff.email = "rina@imigrasi.go.id"
    pr_staff.save()
    url = reverse("password-reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(url, {"email": "rina@imigrasi.go.id"})
        unknown = Client().post(url, {"email": "nobody@imigrasi.go.id"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password-reset-done")
    # Both took the same path: one rate-limit row each, and the lookup happens in the task.
    assert PasswordResetRequest.objects.count() == 2
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["rina@imigrasi.go.id"]
    # The rows do not keep the address.
    assert not PasswordResetRequest.objects.filter(email_hash__contains="@").exists()


def test_reset_requests_are_rate_limited_per_address_and_per_ip(
    pr_staff, mailoutbox, settings, ask_reset
):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    settings.PASSWORD_RESET_PER_IP = 3
    pr_staff.email = "rina@imigrasi.go.id"
    pr_staff.save()
    for _ in range(4):
        ask_reset("rina@imigrasi.go.id")
    assert len(mailoutbox) == 2
    # The address is within its limit on another day, but this IP has used its three.
    PasswordResetRequest.objects.filter(
        email_hash=PasswordResetRequest.hash_email("rina@imigrasi.go.id")
    ).update(at=timezone.now() - timedelta(hours=2))
    for i in range(3):
        ask_reset(f"other{i}@imigrasi.go.id")
    ask_reset("rina@imigrasi.go.id")
    assert len(mailoutbox) == 2


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    """Ask for a reset link as a visitor would, running what waits for the commit."""

    def ask(email: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(reverse("password-reset"), {"email": email})

    return ask


def _reset_path(mail) -> str:
    match = re.search(r"https://prima\.example(/accounts/reset/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_the_reset_link_sets_a_new_password_once_and_ends_sessions(pr_staff, mailoutbox, ask_reset):
    pr_staff.email = "rina@imigrasi.go.id"
    pr_staff.save()
    old_session = client_for(pr_staff)
    ask_reset("rina@imigrasi.go.id")
    path = _reset_path(mailoutbox[0])
    client = Client()
    response = client.get(path)  # Django moves the token into the session
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302 and response["Location"] == reverse(
        "password-reset-complete"
    )
    pr_staff.refresh_from_db()
    assert pr_staff.check_password(STRONG)
    assert old_session.get(reverse("home")).status_code == 302
    assert Client().get(path).status_code == 200  # shows "link no longer valid"
    assert b"reset-invalid" in Client().get(path, follow=True).content
    assert {"user.password_reset_requested", "user.password_reset"} <= set(actions())


def test_an_administrator_reset_stops_the_password_and_sends_a_link(
    pr_staff, administrator, mailoutbox
):
    pr_staff.email = "rina@imigrasi.go.id"
    pr_staff.save()
    browser = client_for(pr_staff)
    accounts.reset_password_by_admin(administrator, pr_staff)
    pr_staff.refresh_from_db()
    assert not pr_staff.has_usable_password()
    assert browser.get(reverse("home")).status_code == 302
    assert mailoutbox[-1].to == ["rina@imigrasi.go.id"]
    assert "/accounts/reset/" in mailoutbox[-1].body
    assert AuditEntry.objects.filter(
        action="user.password_reset_by_admin", actor=administrator
    ).exists()


def test_an_administrator_reset_needs_an_address(pr_staff, administrator):
    with pytest.raises(accounts.AccountError):
        accounts.reset_password_by_admin(administrator, pr_staff)
    pr_staff.refresh_from_db()
    assert pr_staff.has_usable_password()


def test_a_busy_database_postpones_the_renewal_and_still_serves_the_page(
    pr_staff, monkeypatch, caplog
):
    """SQLite's write lock held past the busy timeout when a session is due for renewal:
    the page (which only read) is served, nothing of the renewal is half-written, and
    the next request renews."""
    from django.contrib.sessions.backends import db as db_sessions
    from django.db import OperationalError

    client = client_for(pr_staff)
    key = client.session.session_key
    long_ago = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(session_key=key).update(last_seen_at=long_ago)
    due = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=due)

    def locked(self, must_create=False):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(db_sessions.SessionStore, "save", locked)
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "postponed" in caplog.text
    # The activity update was rolled back with the failed session write.
    assert UserSession.objects.get(session_key=key).last_seen_at == long_ago
    assert Session.objects.get(session_key=key).expire_date == due
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > due
    assert UserSession.objects.get(session_key=key).last_seen_at > long_ago


def test_other_database_errors_in_a_renewal_are_not_hidden(pr_staff, monkeypatch):
    from django.contrib.sessions.backends import db as db_sessions
    from django.db import OperationalError

    client = client_for(pr_staff)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )

    def broken(self, must_create=False):
        raise OperationalError("no such table: django_session")

    monkeypatch.setattr(db_sessions.SessionStore, "save", broken)
    client.raise_request_exception = True
    with pytest.raises(OperationalError):
        client.get(reverse("home"))
