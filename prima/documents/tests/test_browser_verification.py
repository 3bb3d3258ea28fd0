"""The automatic verification in a real browser, in Indonesian: PR staff see the findings
beside the release as they write it (htmx, under the strict CSP), the head of office sees
what blocks approval and approves only with a reason.

Screenshots go to test-artifacts/screenshots/verification-*.png (desktop and phone).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prima.conferences import workflow
from prima.conferences.models import Material, MaterialState
from prima.conferences.tests.helpers import NOW
from prima.conferences.tests.test_browser_conferences import login, watch
from prima.conftest import screenshot
from prima.documents.models import Waiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RELEASE = """SIARAN PERS
Tarif Resmi Paspor Biasa Sesuai PP 45/2024
Tangerang, Rabu, 19 November 2025 – Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta \
menggelar konferensi pers pada Kamis, 19 November 2025 pukul 10.00 di Terminal 3 untuk \
menyampaikan tarif resmi paspor dan mengimbau masyarakat tidak menggunakan jasa calo.

Tarif paspor biasa masa berlaku 10 tahun Rp 350.000 dan paspor selesai dalam 4 (lima) hari \
kerja sejak wawancara.

“Bayar hanya melalui kanal resmi PNBP,” kata Sri Handayani, Kepala Seksi Lalu Lintas.

Tentang Kantor Imigrasi Soekarno-Hatta
Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta melayani bandara tersibuk di Indonesia.

Narahubung: Andi Saputra, 0812-1000-3001
***"""


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_page(user, viewport=None):
        context = browser.new_context(
            base_url=live_server.url, locale="id-ID", timezone_id="Asia/Jakarta",
            viewport=viewport or {"width": 1280, "height": 900},
        )  # fmt: skip
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.problems = watch(page)
        login(page, user)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_findings_beside_the_draft_and_approval_with_a_reason(
    open_as, conference, sri, pr_staff, head
):
    # PR staff write the release; the panel beside it checks the text as they type.
    writer = open_as(pr_staff)
    writer.goto(f"/conferences/{conference.pk}/material/statement/")
    panel = writer.get_by_test_id("side-verification")
    expect(panel).to_contain_text("Verifikasi materi otomatis")
    writer.fill("#id_material_title", "Siaran Pers")
    writer.fill("#id_material_body", RELEASE)
    expect(panel.get_by_test_id("verification-errors")).to_contain_text("kesalahan")
    expect(panel.locator('[data-kind="contradiction"]')).to_contain_text("Rp 650.000")
    expect(panel.locator('[data-kind="weekday"]')).to_contain_text("Rabu")
    expect(panel.locator('[data-kind="spelled_number"]')).to_be_visible()
    expect(panel.locator('[data-kind="title"]')).to_contain_text("Kepala Bidang")
    expect(panel.locator('[data-kind="time_zone"]')).to_contain_text("10.00 WIB")
    expect(panel.locator("mark.ver-error").first).to_be_visible()
    screenshot(writer, "verification-editor")
    writer.get_by_test_id("save-material").click()
    writer.wait_for_url(lambda url: "/material/" not in url)
    assert writer.problems == []

    material = Material.objects.get(conference=conference, kind="statement")
    workflow.submit_material(pr_staff, material, now=NOW)

    # The head of office reads the text with the findings beside it, then decides.
    approver = open_as(head)
    approver.goto(f"/conferences/{conference.pk}/material/statement/review/")
    expect(approver.get_by_test_id("side-verification")).to_contain_text("kesalahan")
    expect(approver.get_by_test_id("objections-statement")).to_contain_text("Rp 350.000")
    screenshot(approver, "verification-review")
    approver.goto(f"/conferences/{conference.pk}/?open=material#panel-material")
    objections = approver.get_by_test_id("objections-statement")
    expect(objections).to_contain_text("kesalahan")
    screenshot(approver, "verification-approval")
    approver.get_by_test_id("approve-statement").click()
    expect(approver.get_by_test_id("row-error")).to_contain_text("Persetujuan tertahan")
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    approver.get_by_test_id("waiver-statement").fill(
        "Koreksi disampaikan lisan oleh juru bicara; rilis diperbaiki sebelum dikirim."
    )
    approver.get_by_test_id("approve-statement").click()
    expect(
        approver.get_by_test_id("material-statement").get_by_test_id("material-state")
    ).to_contain_text("Disetujui")
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
    assert Waiver.objects.get().waived_by == head

    # The saved version's findings, with the waiver, on the material page (and a phone).
    approver.goto(f"/conferences/{conference.pk}/material/statement/")
    side = approver.get_by_test_id("side-verification")
    expect(side.get_by_test_id("waivers")).to_contain_text("Koreksi disampaikan lisan")
    screenshot(approver, "verification-approved")
    phone = open_as(pr_staff, viewport={"width": 390, "height": 844})
    phone.goto(f"/conferences/{conference.pk}/material/statement/")
    expect(phone.get_by_test_id("side-verification")).to_contain_text("kesalahan")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the material page is {width}px wide on a phone"
    screenshot(phone, "verification-editor-phone")
    assert approver.problems == [] and phone.problems == []
