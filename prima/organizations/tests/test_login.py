"""/accounts/login/ and log-out: audited log-ins, failures and lockout."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.conftest import PASSWORD, client_for
from prima.organizations.models import LoginFailure

from .helpers import entries_after, last_seq

URL = reverse("login")


def english() -> Client:
    """A client whose pages come in English (the source language of messages)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def attempt(client: Client, username: str, password: str, **extra):
    return client.post(URL, {"username": username, "password": password}, **extra)


def test_anonymous_visitors_see_the_form(db):
    response = Client().get(URL)
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content


def test_a_logged_in_person_is_sent_home(pr_staff):
    response = client_for(pr_staff).get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_good_log_in_is_audited(pr_staff):
    start = last_seq()
    response = attempt(Client(REMOTE_ADDR="203.0.113.7"), "rina", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    [entry] = entries_after(start)
    assert (entry.action, entry.actor, entry.ip) == ("auth.login", pr_staff, "203.0.113.7")
    assert entry.office == pr_staff.office


def test_it_follows_a_local_next_but_not_another_site(pr_staff):
    response = Client().post(URL + "?next=/offices/", {"username": "rina", "password": PASSWORD})
    assert response["Location"] == "/offices/"
    response = Client().post(
        URL + "?next=https://evil.example/", {"username": "rina", "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_and_audited(pr_staff):
    start = last_seq()
    response = attempt(english(), "rina", "wrong")
    assert response.status_code == 200
    assert "The user name or password is wrong" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
    [entry] = entries_after(start)
    assert entry.action == "auth.login_failed"
    assert entry.actor is None
    assert (entry.object_id, entry.object_label) == (str(pr_staff.pk), "rina")
    assert entry.office == pr_staff.office
    assert LoginFailure.objects.filter(username="rina").count() == 1


def test_an_unknown_user_name_is_audited_without_an_office(db):
    start = last_seq()
    attempt(Client(), "siapa", "x")
    [entry] = entries_after(start)
    assert (entry.action, entry.object_id, entry.object_label, entry.office) == (
        "auth.login_failed",
        "",
        "siapa",
        None,
    )


def test_a_good_log_in_clears_earlier_failures(pr_staff):
    attempt(Client(), "rina", "wrong")
    attempt(Client(), "rina", PASSWORD)
    assert not LoginFailure.objects.filter(username="rina").exists()


def _fail_until_locked(username: str = "rina") -> None:
    client = english()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, username, "wrong")


def test_repeated_failures_lock_the_account(pr_staff):
    start = last_seq()
    _fail_until_locked()
    actions = [e.action for e in entries_after(start)]
    assert actions == ["auth.login_failed"] * settings.LOGIN_MAX_FAILURES + ["auth.locked_out"]

    # Even the right password is refused now, with a clear message.
    start = last_seq()
    response = attempt(english(), "rina", PASSWORD)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Too many failed log-in attempts" in text
    assert f"locked for {settings.LOGIN_LOCKOUT_MINUTES} minutes" in text
    assert "_auth_user_id" not in response.wsgi_request.session
    assert [e.action for e in entries_after(start)] == ["auth.login_refused_locked"]


def test_the_lock_ignores_the_case_of_the_user_name(pr_staff):
    _fail_until_locked("RINA")
    response = attempt(english(), "rina", PASSWORD)
    assert "Too many failed log-in attempts" in response.content.decode()


def test_the_lock_ends_after_the_lockout_period(pr_staff):
    _fail_until_locked()
    LoginFailure.objects.update(
        at=timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    )
    response = attempt(Client(), "rina", PASSWORD)
    assert response.status_code == 302


def test_the_lock_of_one_person_does_not_lock_another(pr_staff, pr_staff2):
    _fail_until_locked("rina")
    assert attempt(Client(), "dimas", PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address(pr_staff, settings):
    settings.LOGIN_MAX_FAILURES = 2
    client = english()
    for n in range(settings.LOGIN_MAX_FAILURES * 4):
        attempt(client, f"tebakan{n}", "wrong")
    response = attempt(client, "rina", PASSWORD)
    assert "Too many failed log-in attempts" in response.content.decode()
    # The same person from another address gets in.
    assert attempt(Client(REMOTE_ADDR="198.51.100.9"), "rina", PASSWORD).status_code == 302


def test_the_admin_log_in_form_is_prima_s_own_sign_in(administrator):
    # The admin's form would skip the lock-out's audit and the second factor: it is not
    # served; /admin/login/ leads to PRIMA's sign-in (which applies both).
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"].startswith(URL)
    assert "_auth_user_id" not in client.session
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == URL + "?next=/admin/"


def test_a_signed_in_person_without_the_admin_is_refused_not_looped(pr_staff):
    response = client_for(pr_staff).get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


def test_failure_records_need_no_user_name(db):
    # authenticate() with other credentials must not crash the failure recorder.
    from django.contrib.auth import authenticate

    assert authenticate(None, email="x@example.org", password="x") is None


# --- log-out ----------------------------------------------------------------------------


def test_log_out_needs_a_post_and_ends_the_session(pr_staff):
    client = client_for(pr_staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_the_login_page_is_in_indonesian_by_default(db):
    response = Client().get(URL)
    assert response.wsgi_request.LANGUAGE_CODE == "id"
    assert b'lang="id"' in response.content


def test_a_log_in_that_finds_every_hash_slot_taken_is_told_to_try_again(pr_staff, settings):
    from prima.organizations import throttle

    settings.LOGIN_CONCURRENT_HASHES = 2
    slots = throttle._hash_slots()
    held = [slots.acquire(blocking=False) for _ in range(2)]
    assert held == [True, True]
    try:
        response = attempt(english(), "rina", PASSWORD)
    finally:
        for _ in held:
            slots.release()
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert b"Many people are logging in right now" in response.content
    assert not LoginFailure.objects.exists()  # not a failed attempt: nothing was checked
    assert "_auth_user_id" not in response.wsgi_request.session
    # A slot free again: the same log-in succeeds.
    assert attempt(Client(), "rina", PASSWORD).status_code == 302


def test_a_busy_refusal_never_locks_anyone_out(pr_staff, settings):
    from prima.organizations import throttle

    settings.LOGIN_CONCURRENT_HASHES = 1
    slots = throttle._hash_slots()
    assert slots.acquire(blocking=False)
    try:
        for _ in range(settings.LOGIN_MAX_FAILURES + 1):
            assert attempt(Client(), "rina", PASSWORD).status_code == 503
    finally:
        slots.release()
    assert attempt(Client(), "rina", PASSWORD).status_code == 302
