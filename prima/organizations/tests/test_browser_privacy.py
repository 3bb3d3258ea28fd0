"""Personal data in a real browser, in Indonesian, as the head of office: the record of
processing, registering a breach (records chosen from the record), its live 3 x 24-hour
countdown, marking a notification sent. Screenshots go to
test-artifacts/screenshots/ (privacy-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prima.conftest import browser_login, screenshot
from prima.organizations.models import AuditEntry, Breach

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_registers_a_breach_and_notifies_within_72_hours(page, personas):
    browser_login(page, personas["head"])
    page.goto("/")
    page.get_by_role("link", name="Data pribadi").click()
    expect(page.locator("h2").first).to_have_text("Catatan kegiatan pemrosesan data pribadi")
    expect(page.locator('[data-testid="record-conferences.MediaContact"]')).to_contain_text(
        "730 hari sejak terakhir digunakan"
    )
    screenshot(page, "privacy-record-kakanim")

    page.get_by_role("link", name="Kegagalan pelindungan").click()
    page.get_by_test_id("breach-create").click()
    page.fill("#id_title", "Laptop humas berisi ekspor kontak wartawan hilang")
    page.fill("#id_description", "Laptop tertinggal di taksi bandara; berisi ekspor kontak media.")
    page.get_by_label("Kontak media", exact=True).check()
    page.get_by_label("Data kontak (telepon, WhatsApp, e-mail)").check()
    page.get_by_label("Wartawan dan kontak media").check()
    page.fill("#id_estimated_people", "120")
    page.fill("#id_measures", "Akun staf dinonaktifkan; laporan kehilangan dibuat.")
    screenshot(page, "privacy-breach-form-kakanim")
    page.get_by_role("button", name="Catat dan susun draf pemberitahuan").click()

    countdown = page.get_by_test_id("countdown-authority")
    first = countdown.inner_text()
    assert first.strip().startswith("sisa 2 hari")
    expect(countdown).not_to_have_text(first, timeout=5000)  # it ticks
    notice = page.get_by_test_id("notice-subjects")
    expect(notice).to_contain_text("PEMBERITAHUAN KEGAGALAN PELINDUNGAN DATA PRIBADI")
    expect(notice).to_contain_text("Data kontak (telepon, WhatsApp, e-mail)")
    screenshot(page, "privacy-breach-kakanim")

    page.get_by_test_id("mark-authority").click()
    expect(page.get_by_test_id("deadline-authority")).to_contain_text("dikirim")
    breach = Breach.objects.get()
    assert breach.authority_notified_at is not None and breach.subjects_notified_at is None
    assert AuditEntry.objects.filter(action="breach.notify_authority").count() == 1
