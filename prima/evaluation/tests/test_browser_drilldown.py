"""The drill-down in a real browser: the directorate general's supervisor opens the
indicators, goes down to the Kanwil, to Soekarno-Hatta, to the conferences behind the
full-workflow figure and to one conference — with charts drawn under the strict CSP and
no console error. Screenshots (Indonesian) of the DG, Kanwil, head-of-office and
behind-the-number pages go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prima import conftest
from prima.conftest import screenshot
from prima.evaluation.models import IndicatorTarget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user) -> None:
    """Log in through the real form, in Indonesian."""
    page.context.add_cookies([{"name": "django_language", "value": "id", "url": live_server.url}])
    conftest.browser_login(page, user)


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    return problems


def test_drill_down_from_the_dg_to_one_conference(page, live_server, scenario, personas):
    IndicatorTarget.objects.create(
        office=scenario.offices["dg"], level="office", indicator="conf_full_share", value=80
    )
    problems = watch(page)
    login(page, live_server, personas["dg_supervisor"])

    page.goto("/evaluation/indicators/?period=2026-05")
    expect(page.get_by_test_id("indicators-title")).to_contain_text("Direktorat Jenderal")
    expect(page.locator(".chart.chart-ready").first).to_be_visible()
    screenshot(page, "evaluation-indicators-dg")

    page.get_by_test_id("unit-link").filter(has_text="Kanwil DKI").first.click()
    expect(page.get_by_test_id("indicators-title")).to_contain_text("Kanwil DK Jakarta")
    screenshot(page, "evaluation-indicators-kanwil")

    page.get_by_test_id("unit-link").filter(has_text="Kanim Soetta").first.click()
    expect(page.get_by_test_id("indicators-title")).to_contain_text("Soekarno-Hatta")
    # the full-workflow share misses its target: said in words, not only in colour
    cell = page.locator('[data-testid="section-conferences"] td[data-code="conf_full_share"]')
    expect(cell.first).to_contain_text("tidak mencapai target")
    cell.first.get_by_test_id("cell-link").click()
    expect(page.get_by_test_id("behind-conference")).to_have_count(4)
    screenshot(page, "evaluation-behind-conferences")

    page.get_by_role("link", name="Kinerja Mei").click()
    page.wait_for_url(f"**{scenario.conferences['full'].get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("Kinerja Mei")
    assert problems == [], problems


def test_head_of_office_sees_the_office_alone(page, live_server, scenario, personas):
    problems = watch(page)
    login(page, live_server, personas["head"])
    page.goto("/evaluation/indicators/?period=2026-05")
    expect(page.get_by_test_id("indicators-title")).to_contain_text("Soekarno-Hatta")
    expect(page.get_by_test_id("unit-link")).to_have_count(0)
    expect(page.get_by_test_id("crumb")).to_have_count(0)
    screenshot(page, "evaluation-indicators-head")
    assert problems == [], problems
