"""A drill in a real browser, with a controllable clock: a storm is replayed through the
shipped detector, the team answers through the pages.

The worker's rounds are run by the test, minute by minute, up to the present (the clock
it controls); what people do in the browser happens at the real present. The drill shows
the playbook's promises: the signal comes within one 5-minute bucket of the burst, the
responders are notified within 5 minutes of the signal, and an approved holding statement
goes out within 60 minutes of the burst. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prima import conftest
from prima.conferences import checklists
from prima.conftest import screenshot
from prima.crisis import drills, streaming, tasks
from prima.crisis.models import Case, Channel, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCENARIO = {"history_hours": 72, "burst_hours": 2, "peak_per_bucket": 40, "seed": 11}


def login(page, user) -> None:
    conftest.browser_login(page, user)


def watch(page) -> list[str]:
    """Console errors (CSP violations among them), page errors, failed requests."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 500 or r.status in (403, 404)
            else None
        ),
    )
    return problems


@pytest.fixture
def session(browser, live_server):
    contexts = []

    def open_as(user):
        context = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.problems = watch(page)
        login(page, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_drill_from_storm_to_approved_holding_statement(
    session, personas, offices, real_detector, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Delivery happens in the worker rounds this test runs on its clock, not in the
    # background at the real time.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    checklists.ensure_templates()
    soetta = offices["soetta"]
    head, lead, staff = personas["head"], personas["pr_lead"], personas["pr_staff"]
    for person in (head, lead, staff):
        person.email = f"{person.username}@imigrasi.example.go.id"
        person.save()
    drill = drills.create(
        lead, soetta, name="Latihan: autogate lumpuh", scenario=drills.generate_storm(**SCENARIO)
    )

    # --- The storm plays; the worker's rounds run minute by minute (controlled clock) ----
    now = timezone.now()
    started = now - timedelta(minutes=35)
    drill = drills.start(lead, drill, now=started)
    burst = streaming.drill_bucket_time(drill, drill.burst_index)
    moment = started
    while moment <= now:
        tasks.run_tick(moment)
        moment += timedelta(minutes=1)
    case = Case.objects.get(drill=drill)
    signal = case.signals.order_by("bucket_start").first()
    assert case.is_exercise and case.burst_started_at == burst
    # Signal within one 5-minute bucket of the burst.
    assert signal.bucket_start - burst <= timedelta(minutes=5)
    # Responders notified within 5 minutes of the signal: in the app and by e-mail.
    first_tier = case.escalations.get(round=1, tier=0)
    emails = Notification.objects.filter(escalation=first_tier, channel=Channel.EMAIL)
    assert emails.exists() and all(n.sent_at for n in emails)
    assert max(n.sent_at or now for n in emails) - signal.raised_at <= timedelta(minutes=5)
    assert case.notified_at - signal.raised_at <= timedelta(minutes=5)

    # --- The head of office sees it on the home page and acknowledges --------------------
    budi = session(head)
    attention = budi.locator('[data-testid="attention"] li', has_text="Latihan")
    expect(attention).to_have_count(1)
    screenshot(budi, "crisis-drill-home-attention")
    attention.locator("a").click()
    expect(budi.locator('[data-testid="exercise-banner"]')).to_be_visible()
    expect(budi.locator('[data-testid="chart-case"]')).to_have_class(re.compile("chart-ready"))
    budi.click('[data-testid="acknowledge"]')
    expect(budi.locator('[data-testid="acknowledged"]')).to_contain_text(head.full_name)

    # --- PR staff assess the case: a service disruption of national reach → Tinggi --------
    rina = session(staff)
    rina.goto(case.get_absolute_url())
    if not rina.locator('[data-testid="assess-form"]').is_visible():
        rina.click('[data-testid="assess-toggle"]')
    rina.select_option("#id_category", "service_disruption")
    rina.select_option("#id_affected", "1")
    rina.select_option("#id_safety", "0")
    rina.select_option("#id_rights", "0")
    rina.select_option("#id_vulnerable", "0")
    rina.select_option("#id_reputation", "1")
    rina.select_option("#id_political", "0")
    rina.click('[data-testid="assess-submit"]')
    expect(rina.locator('[data-testid="case-level"]')).to_have_text("Tinggi")
    expect(rina.locator('[data-testid="explanation"]')).to_contain_text("Gangguan layanan")
    screenshot(rina, "crisis-drill-case-assessed")

    # --- One action opens the crisis press conference with the holding-statement draft ---
    rina.click('[data-testid="open-conference"]')
    rina.wait_for_url("**/conferences/*/")
    conference_url = rina.url
    rina.goto(conference_url + "?open=material")
    rina.click('[data-testid="submit-holding_statement"]')
    expect(rina.locator("#material-holding_statement")).to_have_class(
        "conf-material state-submitted"
    )
    budi.goto(conference_url + "?open=material")
    budi.click('[data-testid="approve-holding_statement"]')
    expect(budi.locator("#material-holding_statement")).to_have_class(
        "conf-material state-approved"
    )

    # --- The next worker round writes it into the case; 60 minutes kept ------------------
    tasks.run_tick(timezone.now())
    case.refresh_from_db()
    assert case.first_statement_at is not None
    assert case.first_statement_at - case.burst_started_at <= timedelta(minutes=60)
    budi.goto(case.get_absolute_url())
    expect(budi.locator('[data-testid="timing-statement"]')).to_have_class(re.compile(r"\bmet\b"))
    expect(budi.locator('[data-testid="timing-signal"]')).to_have_class(re.compile(r"\bmet\b"))
    expect(budi.locator('[data-testid="timing-notified"]')).to_have_class(re.compile(r"\bmet\b"))
    expect(budi.locator('[data-testid="timeline"]')).to_contain_text("Pernyataan sementara")
    screenshot(budi, "crisis-drill-case-answered")
    budi.goto("/crisis/?exercises=1")
    expect(budi.locator('[data-testid="case-row"]')).to_have_count(1)
    screenshot(budi, "crisis-board")
    # Exercises never count: the board's figures are empty for real cases.
    budi.goto("/crisis/")
    expect(budi.locator('[data-testid="case-row"]')).to_have_count(0)
    expect(budi.locator('[data-testid="performance"]')).to_contain_text("0 dari 0")
    assert budi.problems == [] and rina.problems == []
