"""Browser: two-step verification from enrolment to the approval it protects.

The head of office (whose role requires two-step verification) signs in for the first
time and is taken to enrolment (QR code + key), keeps the recovery codes, signs out, signs
in with the app's code, then with a recovery code, and — once the confirmation is older
than PRIMA_REAUTH_MINUTES — confirms with a code before approving the statement.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from prima import conftest
from prima.conferences import workflow
from prima.conferences.models import Material, MaterialState, Stage
from prima.conftest import PASSWORD, screenshot, totp_code
from prima.organizations import twofactor

from .helpers import walk_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(r"/accounts/login/(code|setup)/"))


def sign_out(page) -> None:
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def make_stale(page) -> None:
    """Age the session's last confirmation past PRIMA_REAUTH_MINUTES."""
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    store = SessionStore(session_key=cookie["value"])
    store["prima_verified_at"] = 0
    store.save()


def test_enrol_sign_in_recover_and_confirm_before_approving(page, conference, personas, jubir):
    head = personas["head"]
    conf = walk_to(conference, Stage.MATERIAL, personas, spokesperson=jubir)
    workflow.edit_material(personas["pr_staff"], conf, "statement", body="Teks rilis")
    material = Material.objects.get(conference=conf, kind="statement")
    workflow.submit_material(personas["pr_staff"], material, expected_version=material.version)

    # First sign-in: the role requires it, so enrolment comes before anything else.
    password_step(page, "budi")
    expect(page).to_have_url(re.compile(r"/accounts/login/setup/$"))
    expect(page.locator("[data-testid=qr] svg")).to_be_visible()
    screenshot(page, "twofactor-enrol")
    secret = page.locator("[data-testid=secret]").inner_text().replace(" ", "")
    page.goto("/conferences/")  # nothing else opens yet
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/accounts/login/setup/")
    assert page.locator("[data-testid=secret]").inner_text().replace(" ", "") == secret
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.press("#id_code", "Enter")
    expect(page.locator("[data-testid=recovery-codes]")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "twofactor-recovery-codes")
    page.click("[data-testid=codes-continue]")
    expect(page.locator("[data-testid=whoami]")).to_contain_text("Budi")

    # Sign out, sign in again with the app's code.
    sign_out(page)
    password_step(page, "budi")
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    page.fill("#id_code", "000000" if totp_code(head) != "000000" else "111111")
    page.press("#id_code", "Enter")
    expect(page.locator("[data-testid=code-error]")).to_be_visible()
    screenshot(page, "twofactor-login-code")
    page.fill("#id_code", totp_code(head))
    page.press("#id_code", "Enter")
    expect(page.locator("[data-testid=whoami]")).to_contain_text("Budi")

    # Phone left at home: a recovery code instead.
    sign_out(page)
    password_step(page, "budi")
    page.fill("#id_code", codes[0])
    page.press("#id_code", "Enter")
    expect(page.locator("[data-testid=whoami]")).to_contain_text("Budi")
    expect(page.locator(".messages")).to_contain_text("9")
    assert twofactor.recovery_codes_left(head) == 9

    # Later: approving asks for a fresh confirmation first.
    make_stale(page)
    page.goto(conf.get_absolute_url())
    page.click("[data-testid=approve-statement]")
    page.wait_for_url(re.compile(r"/accounts/reauth/"))
    expect(page.locator("[data-testid=reauth]")).to_be_visible()
    screenshot(page, "twofactor-reauth")
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    page.fill("#id_code", totp_code(head))
    page.press("#id_code", "Enter")
    page.wait_for_url(re.compile(re.escape(conf.get_absolute_url())))
    page.click("[data-testid=approve-statement]")
    expect(page.locator("#material-statement")).to_have_class("conf-material state-approved")
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED

    # Own settings page.
    page.goto("/accounts/two-factor/")
    expect(page.locator("[data-testid=twofactor-status]")).to_contain_text("9")
    screenshot(page, "twofactor-settings")


def test_an_administrator_resets_a_lost_factor_with_a_reason(page, personas):
    head, admin = personas["head"], personas["administrator"]
    conftest.ensure_second_factor(head)
    conftest.browser_login(page, admin)
    page.goto(f"/people/{head.pk}/")
    page.click(f"a[href='/accounts/two-factor/reset/{head.pk}/']")
    expect(page.locator("[data-testid=twofactor-reset]")).to_be_visible()
    screenshot(page, "twofactor-admin-reset")
    page.fill("#id_reason", "Ponsel hilang, dikonfirmasi lewat telepon")
    page.click("[data-testid=twofactor-reset] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Budi Santoso")
    assert not twofactor.has_device(head)
