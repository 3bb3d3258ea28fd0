"""The evaluation report in a real browser, in Indonesian: PR staff confirm a proposed
news item with one click (htmx swaps the panel, no reload) and it becomes coverage; the
head of office reads the report. Screenshots: test-artifacts/screenshots/postevent-*.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prima.conftest import browser_login, screenshot
from prima.evaluation import coverage
from prima.evaluation.coverage_models import CoverageProposal

from .conftest import store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_click_confirm_and_the_report(page, held, news_source, pr_staff, head):
    store(
        news_source,
        ("a1", "Tempo", 2, "Autogate percepat pemeriksaan penumpang",
         "Autogate mempercepat pemeriksaan, rata-rata 15 detik per penumpang."),
        ("a2", "Kompas", 5, "Perlintasan lancar", "Perlintasan naik 8 persen, layanan lancar."),
    )  # fmt: skip
    coverage.compute_proposals(held)
    proposal = CoverageProposal.objects.get(conference=held, mention__external_id="a1")
    url = reverse("evaluation:postevent-report", args=[held.pk])

    browser_login(page, pr_staff)
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    page.click(f"[data-testid=confirm-{proposal.pk}]")
    row = page.locator(f"[data-testid=proposal-{proposal.pk}]")
    expect(row).to_have_attribute("data-status", "confirmed")
    expect(row).to_contain_text("Dikonfirmasi")
    assert page.evaluate("window.notReloaded") is True  # swapped by htmx
    assert held.coverage.count() == 1
    screenshot(page, "postevent-pr-staff")

    page.context.clear_cookies()
    browser_login(page, head)
    page.goto(url)
    expect(page.get_by_test_id("section-outtakes")).to_contain_text("Pesan kunci yang dimuat")
    expect(page.get_by_test_id("pickup")).to_contain_text("15 detik per penumpang")
    screenshot(page, "postevent-head")
