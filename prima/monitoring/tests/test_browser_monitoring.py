"""The monitoring pages in a real browser: charts drawn under the strict CSP, the stream
filtered and searched, a CSV imported through the UI with its report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prima import conftest
from prima.conftest import screenshot
from prima.monitoring.models import Issue, Source, SourceKind
from prima.monitoring.tests.views_fixtures import coverage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def browser_login(page, user) -> None:
    """Log in through the real form. (conftest's helper clicks the first submit button of
    the page, which is the language switcher's.)"""
    conftest.browser_login(page, user)


def _collect_problems(page) -> list[str]:
    """Console errors, page errors and failed requests (the shell has no favicon yet)."""
    problems: list[str] = []

    def on_console(msg) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(msg.text)

    def on_response(response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", on_response)
    return problems


def test_dashboard_draws_every_chart_under_the_csp(page, pr_staff, offices, settings):
    settings.TASKS = IMMEDIATE_TASKS
    coverage(offices["soetta"])
    problems = _collect_problems(page)
    browser_login(page, pr_staff)
    response = page.goto("/monitoring/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    for chart in ("volume", "share", "comparison", "issues", "outlets", "authors"):
        page.wait_for_selector(f"[data-chart=chart-{chart}].chart-ready svg")
    # Axis labels are formatted with the Indonesian locale carried by the spec.
    assert page.locator("[data-chart=chart-volume] svg").count() == 1
    assert page.locator("[data-testid=kpi-mentions] .kpi-value").inner_text() == "10"
    assert not [p for p in problems if "Content Security Policy" in p or "unsafe-eval" in p]
    assert problems == []
    screenshot(page, "monitoring-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("[data-chart=chart-volume].chart-ready svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard scrolls sideways on a phone ({width}px)"
    screenshot(page, "monitoring-dashboard-phone")


def test_stream_filters_and_searches(page, pr_staff, offices, settings):
    settings.TASKS = IMMEDIATE_TASKS
    coverage(offices["soetta"])
    problems = _collect_problems(page)
    browser_login(page, pr_staff)
    page.goto("/monitoring/mentions/")
    expect(page.locator("[data-testid=mention]")).to_have_count(10)
    page.fill("input[name=q]", "autogate")
    page.click("button:has-text('Cari'), button:has-text('Search')")
    page.wait_for_url("**q=autogate**")
    expect(page.locator("[data-testid=mention]")).to_have_count(7)
    page.locator("details.more-filters summary").click()
    page.select_option("select[name=platform]", "news")
    expect(page.locator("[data-testid=mention]")).to_have_count(3)
    assert "platform=news" in page.url
    assert page.locator("[data-testid=story-size]").first.is_visible()
    page.fill("input[name=q]", "(autogate")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("[data-testid=search-error]")
    assert "1" in page.locator("[data-testid=search-error]").inner_text()
    screenshot(page, "monitoring-stream-search-error")
    page.fill("input[name=q]", "autogate")
    page.press("input[name=q]", "Enter")
    expect(page.locator("[data-testid=mention]")).to_have_count(3)
    screenshot(page, "monitoring-stream")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "monitoring-stream-phone")
    assert problems == []


def test_a_csv_imported_through_the_ui_shows_its_report(
    page, pr_staff, offices, settings, tmp_path
):
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    csv_file = tmp_path / "ekspor_x.csv"
    csv_file.write_text(
        "Akun,Isi Postingan,Tanggal Posting,Suka\n"
        "warga1,Antrean autogate Soetta lancar pagi ini,2025-11-19 08:00,12\n"
        "warga2,,2025-11-19 09:00,3\n"
        "warga3,Petugas imigrasi ramah dan cepat,2025-11-19 10:00,7\n",
        encoding="utf-8",
    )
    problems = _collect_problems(page)
    browser_login(page, pr_staff)
    page.goto("/monitoring/imports/")
    page.set_input_files("input[type=file]", str(csv_file))
    page.fill("input[name=new_source]", "Ekspor X harian")
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=mapping-form]")
    assert page.locator("select[name=map_text]").input_value() == "Isi Postingan"
    assert page.locator("select[name=map_author_handle]").input_value() == "Akun"
    screenshot(page, "monitoring-import-mapping")
    page.click("[data-testid=start-import]")
    page.wait_for_selector("[data-testid=rejections]")
    assert page.locator("[data-testid=accepted]").inner_text() == "2"
    assert page.locator("[data-testid=rejected]").inner_text() == "1"
    assert "3" in page.locator("[data-testid=rejections]").inner_text()
    screenshot(page, "monitoring-import-report")
    assert problems == []


def test_every_page_fits_a_phone(page, pr_staff, offices, settings):
    settings.TASKS = IMMEDIATE_TASKS
    mentions = coverage(offices["soetta"])
    feed = Source.objects.create(
        office=offices["soetta"], name="Feed rusak", kind=SourceKind.RSS,
        url="https://example.org/feed", failure_count=3,
        last_error="HTTP 503: layanan tidak tersedia",
    )  # fmt: skip
    news = next(m for m in mentions if m.platform == "news")
    issue = Issue.objects.order_by("-mention_count").first()
    problems = _collect_problems(page)
    browser_login(page, pr_staff)
    page.set_viewport_size({"width": 390, "height": 844})
    pages = {
        "mention": f"/monitoring/mentions/{news.pk}/", "issue": f"/monitoring/issues/{issue.pk}/",
        "issues": "/monitoring/issues/", "sources": "/monitoring/sources/",
        "source": f"/monitoring/sources/{feed.pk}/", "watchlists": "/monitoring/watchlists/",
        "clipping": "/monitoring/clippings/new/", "imports": "/monitoring/imports/",
    }  # fmt: skip
    for name, url in pages.items():
        page.goto(url)
        if name == "issue":
            page.wait_for_selector("[data-chart=chart-issue].chart-ready svg")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"
        screenshot(page, f"monitoring-{name}-phone")
    # A malformed watch-list query: the message wraps, the caret stays under the query.
    page.goto("/monitoring/watchlists/")
    page.fill("input[name=name]", "Antrean")
    page.fill("textarea[name=query]", "autogate AND (antrean OR")
    page.click("[data-testid=watchlist-form] button[type=submit]")
    page.wait_for_selector("[data-testid=query-error] pre")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "monitoring-watchlist-error-phone")
    assert problems == []


def test_staff_select_mentions_in_the_stream_and_set_their_sentiment(
    page, pr_staff, offices, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    coverage(offices["soetta"])
    problems = _collect_problems(page)
    browser_login(page, pr_staff)
    page.goto("/monitoring/mentions/?period=all")
    expect(page.locator("[data-testid=hit-count]")).to_contain_text("hasil")
    boxes = page.locator("#bulk-correct input[name=mentions]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.select_option("#bulk-label", "negative")
    page.click("#bulk-correct button[type=submit]")
    expect(page.locator("[data-testid=bulk-notice]")).to_contain_text("unggahan dikoreksi")
    screenshot(page, "monitoring-bulk-correct")
    page.goto("/monitoring/issues/")
    expect(page.locator("[data-testid=issue-count]")).to_contain_text("isu")
    screenshot(page, "monitoring-issue-list")
    assert problems == []
