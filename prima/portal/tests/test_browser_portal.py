"""The public portal in a real browser (Chromium): WCAG 2.1 AA checked with axe-core on
every public page in both languages, the question form used without JavaScript, and
screenshots (desktop and phone) under test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from prima.conftest import CHROMIUM_ARGS, browser_login, screenshot  # noqa: F401
from prima.portal import services
from prima.portal.models import Inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "/static/vendor/axe-core-4.14.1.min.js"
SH = "soetta"


def _public_pages(world) -> dict[str, str]:
    svc = world["service"].code
    return {
        "index": "/public/",
        "office": f"/public/{SH}/",
        "service": f"/public/{SH}/services/{svc}/",
        "newsroom": f"/public/{SH}/news/",
        "publication": f"/public/{SH}/news/{world['release'].slug}/",
        "clarification": f"/public/{SH}/clarifications/{world['clarification'].pk}/",
        "clarifications": f"/public/{SH}/news/?kind=clarification",
        "search": f"/public/{SH}/search/?q=paspor",
        "ask": f"/public/{SH}/ask/",
        "track": "/public/track/?ref=PRM-AAAA-AAAB",
    }


def _axe_violations(page) -> list[str]:
    page.add_script_tag(url=AXE)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_public_page_passes_axe_wcag_21_aa(page, world, lang):
    problems = {}
    for name, url in _public_pages(world).items():
        sep = "&" if "?" in url else "?"
        page.goto(url + (f"{sep}lang=en" if lang == "en" else ""))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        violations = _axe_violations(page)
        if violations:
            problems[name] = violations
        screenshot(page, f"portal-{name}-{lang}")
    assert not problems, problems


def test_public_pages_on_a_phone(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="id-ID",
        java_script_enabled=False,
    )  # fmt: skip
    phone = context.new_page()
    for name, url in _public_pages(world).items():
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (name, width)  # no sideways scrolling
        screenshot(phone, f"portal-{name}-phone")
    context.close()


@override_settings(PORTAL_FORM_MIN_SECONDS=0)
def test_a_person_asks_without_javascript_and_reads_the_answer(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False,
        viewport={"width": 1024, "height": 900},
    )  # fmt: skip
    person = context.new_page()
    person.goto(f"/public/{SH}/services/{world['service'].code}/")
    person.get_by_role("link", name="Laporkan di portal ini").first.click()
    expect(person.locator("#id_kind_2")).to_be_checked()  # "report of extortion" preselected
    person.select_option("#id_service", label="Paspor Biasa")
    person.fill("#id_message", "Petugas di loket meminta uang tambahan Rp 200.000 supaya cepat.")
    person.fill("#id_phone", "0812-1111-2222")
    screenshot(person, "portal-ask-filled")
    person.click("[data-testid=send]")
    reference = person.locator("[data-testid=reference]")
    expect(reference).to_have_text(Inquiry.objects.get().reference)
    screenshot(person, "portal-ask-sent")
    inquiry = Inquiry.objects.get()
    assert inquiry.kind == "extortion" and inquiry.phone == "0812-1111-2222"
    answer = "Terima kasih. Laporan sudah diteruskan ke pengawas internal."
    services.answer_inquiry(world["release"].created_by, inquiry, answer)
    person.goto(f"/public/track/?ref={inquiry.reference}")
    expect(person.locator("[data-testid=answer]")).to_contain_text("pengawas internal")
    expect(person.locator("body")).not_to_contain_text("0812-1111-2222")
    context.close()


def test_staff_see_the_case_and_the_catalogue(page, world, personas):
    inquiry = services.submit_inquiry(
        world["office"], kind="question", message="Berapa lama paspor elektronik selesai?",
        name="Budi", address="203.0.113.77",
    )  # fmt: skip
    browser_login(page, personas["pr_staff"])
    page.goto("/portal/inquiries/")
    expect(page.locator("[data-testid=inquiry-table]")).to_contain_text(inquiry.reference)
    screenshot(page, "portal-staff-inquiries")
    page.goto(f"/portal/inquiries/{inquiry.pk}/")
    expect(page.locator("[data-testid=sender]")).to_contain_text("Budi")
    page.fill("#id_answer", "Paspor elektronik selesai 4 (empat) hari kerja sejak wawancara.")
    page.click("[data-testid=send-answer]")
    expect(page.locator("[data-testid=answer]")).to_contain_text("4 (empat) hari kerja")
    screenshot(page, "portal-staff-inquiry")
    page.goto("/portal/publications/")
    screenshot(page, "portal-staff-publications")
    page.goto(f"/catalogue/{world['service'].pk}/")
    expect(page.locator("[data-testid=history]")).to_contain_text("Rp 300.000")
    screenshot(page, "catalogue-service")


def test_the_axe_check_can_fail(browser):
    """The same check on a page with known faults reports them (no silent pass)."""
    from django.conf import settings

    blank = browser.new_page()
    blank.set_content(
        '<html><body><img src="x.png"><a href="#"></a>'
        '<p style="color:#ccc;background:#fff">faint</p></body></html>'
    )
    blank.add_script_tag(path=str(settings.BASE_DIR / "prima/portal/static/vendor"
                                  / "axe-core-4.14.1.min.js"))  # fmt: skip
    result = blank.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    found = {v["id"] for v in result["violations"]}
    assert {"image-alt", "link-name", "color-contrast", "html-has-lang"} <= found
    blank.close()
