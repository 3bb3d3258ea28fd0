"""The shell in a real browser (Chromium): log-in, home page, language switch, phone size.

Each test saves screenshots under test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prima.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOETTA = "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"
DAY_ID = re.compile(r"^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), ")
DAY_EN = re.compile(r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), ")


def test_pr_staff_logs_in_and_sees_their_office(page, pr_staff):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    screenshot(page, "login-id")
    browser_login(page, pr_staff)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("[data-testid=my-office]")).to_contain_text(SOETTA)
    expect(page.locator("[data-testid=whoami]")).to_contain_text("Rina Wulandari")
    expect(page.locator("[data-testid=today]")).to_have_text(DAY_ID)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    screenshot(page, "home-id")


def test_the_language_switches_to_english_and_back(page, pr_staff):
    browser_login(page, pr_staff)
    today = page.locator("[data-testid=today]")
    expect(today).to_have_text(DAY_ID)
    heading_id = page.locator("[data-testid=my-office] h2").inner_text()

    page.click("[data-testid=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(today).to_have_text(DAY_EN)
    expect(page.locator("[data-testid=my-office] h2")).to_have_text("Your office and roles")
    expect(page.locator("[data-testid=lang-en]")).to_have_class(re.compile(r"\bactive\b"))
    screenshot(page, "home-en")

    page.click("[data-testid=lang-id]")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(today).to_have_text(DAY_ID)
    expect(page.locator("[data-testid=my-office] h2")).to_have_text(heading_id)


def test_a_wrong_password_shows_an_error(page, pr_staff):
    page.goto("/accounts/login/")
    page.fill("#id_username", "rina")
    page.fill("#id_password", "salah-sekali")
    page.click("button[type=submit]")
    error = page.locator("[data-testid=login-error]")
    expect(error).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("#id_username")).to_have_value("rina")
    screenshot(page, "login-error-id")


def test_the_home_page_fits_a_phone(page, pr_staff):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, pr_staff)
    toggle = page.locator("label.nav-toggle-label")
    nav = page.locator("nav.mainnav")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    expect(page.locator("[data-testid=my-office]")).to_contain_text(SOETTA)
    # Nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-mobile-id")

    toggle.click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link").first).to_be_visible()
    screenshot(page, "home-mobile-menu-id")


def test_the_head_walks_through_offices_and_the_audit_trail(page, head, pr_staff, offices):
    from prima.organizations import audit

    with audit.tracking(head, "office.update", offices["soetta"]):
        offices["soetta"].city = "Tangerang"
        offices["soetta"].save()
    browser_login(page, head)
    page.click("nav.mainnav >> a[href='/offices/']")
    expect(page.locator("main table")).to_contain_text(SOETTA)
    screenshot(page, "offices-id")

    page.click(f"main table >> text={SOETTA}")
    expect(page.locator("main h1")).to_have_text(SOETTA)
    expect(page.locator("main")).to_contain_text("Rina Wulandari")  # the head sees people
    screenshot(page, "office-detail-id")

    page.click("nav.mainnav >> a[href='/audit/']")
    expect(page.locator("main table.audit")).to_contain_text("office.update")
    expect(page.locator("[data-testid=export-csv]")).to_be_visible()
    screenshot(page, "audit-id")

    page.click("main table.audit >> text=" + SOETTA)
    expect(page.locator("main table.audit")).to_contain_text("Tangerang")
    page.click("main table.audit summary")
    screenshot(page, "history-id")
