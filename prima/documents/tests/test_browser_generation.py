"""Generating a document in a real browser, in Indonesian: PR staff press "Buat" on the
conference's documents page, the row appears at the top of the list (htmx, strict CSP),
polls while the worker generates and ends "Siap" with its checksum and download link.

Screenshot: test-artifacts/screenshots/documents-conference.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prima.conferences.tests.test_browser_conferences import login, watch
from prima.conftest import screenshot
from prima.documents.models import GeneratedDocument

from .generation_helpers import STATEMENT, approved, letterhead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generating_a_release_shows_its_row_until_it_is_ready(
    page, settings, conference, sri, pr_staff, head, offices
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    letterhead(offices["soetta"])
    approved(pr_staff, head, conference, "statement", title="Loket tambahan", body=STATEMENT)
    problems = watch(page)
    login(page, pr_staff)
    page.goto(f"/documents/conferences/{conference.pk}/")
    page.get_by_test_id("generate-press_release").get_by_role("button").click()
    row = page.get_by_test_id("document-row").first
    expect(row).to_have_attribute("data-status", "done", timeout=20000)
    doc = GeneratedDocument.objects.get()
    expect(row.get_by_test_id("checksum")).to_contain_text(doc.sha256[:12])
    expect(row.get_by_test_id("download")).to_have_text("Siaran pers")
    screenshot(page, "documents-conference")
    assert problems == []
