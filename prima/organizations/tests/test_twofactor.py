"""Two-step verification: the service (enrol, codes, recovery codes, reset, requirement
per role) and the sign-in's second step."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from prima.conftest import PASSWORD, client_for
from prima.organizations import twofactor
from prima.organizations.models import (
    AuditEntry,
    LoginFailure,
    RecoveryCode,
    Role,
    TwoFactorDevice,
    TwoFactorRequirement,
)
from prima.organizations.twofactor_views import PENDING_KEY

from .helpers import entries_after, last_seq

LOGIN = reverse("login")


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The app's code now (or ``steps_ahead`` 30-second steps later, still accepted)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrolled(user, secret: str | None = None) -> tuple[str, list[str]]:
    secret = secret or twofactor.new_secret()
    codes = twofactor.enrol(user, secret, code_for(secret, -1))
    return secret, codes


def actions_after(seq: int) -> list[str]:
    return [e.action for e in entries_after(seq)]


# --- Service -------------------------------------------------------------------------------


def test_enrolment_needs_a_matching_code(pr_staff):
    secret = twofactor.new_secret()
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.enrol(pr_staff, secret, "000000" if code_for(secret) != "000000" else "111111")
    assert not twofactor.has_device(pr_staff)


def test_enrolment_stores_the_device_and_hashed_recovery_codes_and_is_audited(pr_staff):
    start = last_seq()
    secret, codes = enrolled(pr_staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=pr_staff).values_list("code_hash", flat=True))
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)
    assert actions_after(start) == ["twofactor.enrol"]
    entry = AuditEntry.objects.get(action="twofactor.enrol")
    assert secret not in str(entry.after) and secret not in str(entry.before)


def test_a_code_is_accepted_once_only(pr_staff):
    secret, _codes = enrolled(pr_staff)
    code = code_for(secret, 1)
    assert twofactor.verify(pr_staff, code, ip=None, context="login").method == "totp"
    start = last_seq()
    assert not twofactor.verify(pr_staff, code, ip=None, context="login").ok
    assert actions_after(start) == ["twofactor.failed"]
    assert LoginFailure.objects.filter(username="rina").count() == 1


def test_a_recovery_code_works_once_and_is_audited(pr_staff):
    _secret, codes = enrolled(pr_staff)
    start = last_seq()
    result = twofactor.verify(
        pr_staff, codes[3].upper().replace("-", " "), ip=None, context="login"
    )
    assert result.ok and result.method == "recovery"
    assert twofactor.recovery_codes_left(pr_staff) == 9
    assert not twofactor.verify(pr_staff, codes[3], ip=None, context="login").ok
    assert actions_after(start) == ["twofactor.recovery_used", "twofactor.failed"]


def test_wrong_codes_lock_the_account_like_wrong_passwords(pr_staff, settings):
    enrolled(pr_staff)
    for _i in range(settings.LOGIN_MAX_FAILURES):
        twofactor.verify(pr_staff, "abcde-fghjk", ip=None, context="login")
    assert AuditEntry.objects.filter(action="auth.locked_out").count() == 1
    secret = TwoFactorDevice.objects.get(user=pr_staff).secret
    assert twofactor.verify(pr_staff, code_for(secret, 1), ip=None, context="login").locked


def test_regenerating_recovery_codes_invalidates_the_old_ones(pr_staff):
    _secret, old = enrolled(pr_staff)
    new = twofactor.regenerate_recovery_codes(pr_staff)
    assert not twofactor.verify(pr_staff, old[0], ip=None, context="login").ok
    assert twofactor.verify(pr_staff, new[0], ip=None, context="login").ok
    assert AuditEntry.objects.filter(action="twofactor.codes_regenerated").count() == 1


def test_required_roles_follow_the_defaults_and_the_administrators_choice(personas):
    assert twofactor.is_required(personas["head"])
    assert twofactor.is_required(personas["regional_supervisor"])
    assert twofactor.is_required(personas["administrator"])
    assert not twofactor.is_required(personas["pr_staff"])
    twofactor.set_requirement(personas["administrator"], Role.PR_STAFF, True)
    twofactor.set_requirement(personas["administrator"], Role.HEAD, False)
    assert twofactor.is_required(personas["pr_staff"])
    assert not twofactor.is_required(personas["head"])
    assert TwoFactorRequirement.objects.get(role=Role.HEAD).required is False
    assert AuditEntry.objects.filter(action="twofactor.requirement").count() == 2


def test_a_person_whose_role_requires_it_cannot_turn_it_off(head, pr_staff):
    enrolled(head)
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.disable(head)
    enrolled(pr_staff)
    twofactor.disable(pr_staff)
    assert not twofactor.has_device(pr_staff)
    assert RecoveryCode.objects.filter(user=pr_staff).count() == 0


def test_reset_needs_a_reason_and_the_right(administrator, regional_supervisor, head, outsider):
    enrolled(head)
    with pytest.raises(twofactor.TwoFactorError):
        twofactor.reset(administrator, head, reason="  ")
    with pytest.raises(PermissionDenied):
        twofactor.reset(regional_supervisor, head, reason="lost phone")
    start = last_seq()
    twofactor.reset(administrator, head, reason="Phone lost, confirmed by call")
    assert not twofactor.has_device(head)
    [entry] = entries_after(start)
    assert entry.action == "twofactor.reset" and entry.actor == administrator
    assert entry.after["reason"] == "Phone lost, confirmed by call"
    assert entry.office == head.office


def test_the_qr_code_is_an_inline_svg_of_the_otpauth_address(pr_staff):
    secret = twofactor.new_secret()
    uri = twofactor.provisioning_uri(pr_staff, secret)
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    svg = twofactor.qr_svg(uri)
    assert svg.startswith("<svg") and "<script" not in svg


# --- Sign-in -------------------------------------------------------------------------------


def password_step(username: str, next_url: str = "") -> tuple[Client, Any]:
    client = Client()
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": username, "password": PASSWORD})
    return client, response


def test_without_a_factor_and_not_required_the_password_is_enough(pr_staff):
    client, response = password_step("rina")
    assert response["Location"] == reverse("home")
    assert client.get(reverse("office-list")).status_code == 200


def test_with_a_factor_the_password_alone_opens_nothing(pr_staff):
    secret, _codes = enrolled(pr_staff)
    start = last_seq()
    client, response = password_step("rina", "/offices/")
    assert response["Location"] == reverse("login-code")
    assert actions_after(start) == []  # not logged in yet
    for url in ("/", "/offices/", "/audit/", "/conferences/", "/admin/", "/api/v1/me"):
        answer = client.get(url)
        assert answer.status_code in (302, 401), url
        if answer.status_code == 302:
            assert "login/?next=" in answer["Location"], url
    response = client.post(reverse("login-code"), {"code": code_for(secret, 1)})
    assert response.status_code == 302 and response["Location"] == "/offices/"
    assert actions_after(start) == ["auth.login"]
    assert client.get("/offices/").status_code == 200
    assert PENDING_KEY not in client.session


def test_a_wrong_second_step_code_is_refused_and_audited(pr_staff):
    enrolled(pr_staff)
    client, _response = password_step("rina")
    start = last_seq()
    response = client.post(reverse("login-code"), {"code": "123"})
    assert response.status_code == 200 and b"code-error" in response.content
    assert actions_after(start) == ["twofactor.failed"]
    assert client.get("/offices/").status_code == 302


def test_sign_in_with_a_recovery_code(pr_staff):
    _secret, codes = enrolled(pr_staff)
    client, _response = password_step("rina")
    response = client.post(reverse("login-code"), {"code": codes[0]}, follow=True)
    assert response.status_code == 200
    assert twofactor.recovery_codes_left(pr_staff) == 9
    assert b"9" in response.content  # the notice says how many are left


def test_the_second_step_without_a_password_first_goes_back_to_the_log_in(pr_staff):
    enrolled(pr_staff)
    response = Client().get(reverse("login-code"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    response = Client().get(reverse("login-setup"))
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_a_required_role_without_a_factor_must_enrol_before_anything_else(head):
    client, response = password_step("budi")
    assert response["Location"] == reverse("login-setup")
    assert client.get("/conferences/").status_code == 302
    page = client.get(reverse("login-setup"))
    assert page.status_code == 200 and b"<svg" in page.content
    secret = client.session["prima_2fa_setup_secret"]
    response = client.post(reverse("login-setup"), {"code": code_for(secret)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert twofactor.has_device(head)
    assert client.get("/conferences/").status_code == 200


def test_the_admin_log_in_form_is_not_a_way_around(administrator):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- Own settings, re-authentication and reset pages ------------------------------------------


def test_settings_page_shows_the_status(pr_staff):
    client = client_for(pr_staff)
    response = client.get(reverse("twofactor"))
    assert response.status_code == 200 and response.context["device"] is None
    enrolled(pr_staff)
    response = client.get(reverse("twofactor"))
    assert response.context["device"] is not None and response.context["codes_left"] == 10


def test_enrolling_from_the_settings_page(pr_staff):
    client = client_for(pr_staff)
    client.get(reverse("twofactor-setup"))
    secret = client.session["prima_2fa_setup_secret"]
    response = client.post(reverse("twofactor-setup"), {"code": code_for(secret)})
    assert response.status_code == 200 and len(response.context["codes"]) == 10


def stale(client: Client) -> None:
    session = client.session
    session["prima_verified_at"] = 0
    session.save()


def test_turning_off_needs_a_fresh_confirmation(pr_staff):
    secret, _codes = enrolled(pr_staff)
    client = client_for(pr_staff)
    stale(client)
    response = client.post(
        reverse("twofactor-disable"), HTTP_REFERER="http://testserver/accounts/two-factor/"
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    assert twofactor.has_device(pr_staff)
    response = client.post(
        reverse("reauth"), {"code": code_for(secret, 1), "next": "/accounts/two-factor/"}
    )
    assert response["Location"] == "/accounts/two-factor/"
    client.post(reverse("twofactor-disable"))
    assert not twofactor.has_device(pr_staff)
    assert AuditEntry.objects.filter(action="twofactor.disable").count() == 1


def test_reauth_without_a_factor_asks_for_the_password(pr_staff):
    client = client_for(pr_staff)
    stale(client)
    response = client.post(reverse("reauth"), {"password": "wrong", "next": "/offices/"})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 1
    response = client.post(reverse("reauth"), {"password": PASSWORD, "next": "/offices/"})
    assert response["Location"] == "/offices/"
    assert AuditEntry.objects.filter(action="auth.reauth").count() == 1


def test_reauth_does_not_follow_another_site(pr_staff):
    client = client_for(pr_staff)
    response = client.post(
        reverse("reauth"), {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_administrator_reset_page(administrator, head):
    enrolled(head)
    client = client_for(administrator)
    url = reverse("twofactor-reset", args=[head.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and twofactor.has_device(head)
    response = client.post(url, {"reason": "Ponsel hilang, dikonfirmasi lewat telepon"})
    assert response.status_code == 302 and not twofactor.has_device(head)
    entry = AuditEntry.objects.get(action="twofactor.reset")
    assert entry.after["reason"] == "Ponsel hilang, dikonfirmasi lewat telepon"
