"""The conference pages in a real browser.

1. A regular conference planned from creation to evaluation through the pages, each step
   by the persona whose job it is: PR staff create it and fill facts and checklists, a
   second PR staff member verifies the fact, the head of office approves the material, the
   PR lead appoints the spokesperson, who records a rehearsal; execution and evaluation
   are recorded, and the PR lead closes it.
2. A crisis conference shows its deadlines counting down, live, under the strict CSP; a
   missed one is flagged.

Screenshots of every page go to test-artifacts/screenshots/ (desktop and a 390-px phone).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect

from prima import conftest
from prima.conferences import proofs, workflow
from prima.conferences.models import (
    ChecklistItem,
    Conference,
    ConferenceType,
    IssueLevel,
    Spokesperson,
    Stage,
    Status,
    Topic,
)
from prima.conftest import screenshot
from prima.lib import dates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def login(page, user) -> None:
    """Log in through the real form. (conftest's helper clicks the first submit button of
    the page, which is the language switcher's.)"""
    conftest.browser_login(page, user)


def watch(page) -> list[str]:
    """Collect console errors (CSP violations among them), page errors and failed
    requests; a refused change (400/409) is an expected answer, not a failure."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 500 or r.status in (403, 404) and "favicon" not in r.url
            else None
        ),
    )
    return problems


@pytest.fixture
def session(browser, live_server):
    """Open a logged-in page for a persona: ``session(user)`` (one browser context each,
    as if on their own laptop or phone)."""
    contexts = []

    def open_as(user, viewport=None):
        context = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            viewport=viewport or {"width": 1280, "height": 900},
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


def shoot_phone(session, user, url: str, name: str) -> None:
    page = session(user, viewport=PHONE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
    screenshot(page, f"{name}-phone")


def tick_required(page, conference: Conference, stage: Stage, tmp_path) -> None:
    """Complete the stage's required checklist items through the page (htmx), with the
    evidence each asks for."""
    codes = list(
        ChecklistItem.objects.filter(
            conference=conference, stage=stage, required=True, done_at__isnull=True
        )
        .order_by("order")
        .values_list("code", "evidence_kind")
    )
    for code, kind in codes:
        manual = page.locator(f'[data-testid="check-{code}"] details.conf-manual')
        if manual.count():  # an item PRIMA ticks itself, done outside PRIMA here
            manual.locator("summary").click()
        if kind == "note":
            page.fill(f'[data-testid="note-{code}"]', "Sudah diperiksa dan dicatat.")
        elif kind == "link":
            page.fill(f'[data-testid="link-{code}"]', "https://www.imigrasi.go.id/berita/1")
        else:
            pdf = tmp_path / f"{code}.pdf"
            pdf.write_bytes(b"%PDF-1.4\n% bukti\n")
            page.set_input_files(f'[data-testid="file-{code}"]', str(pdf))
        page.click(f'[data-testid="complete-{code}"]')
        expect(page.locator(f'[data-testid="check-{code}"]')).to_have_class(
            re.compile(r"conf-check-item done")
        )


def advance(page, to: Stage) -> None:
    # Moving on before the scheduled day (this test runs the conference early) asks why.
    reason = page.locator("#id_advance_reason")
    if reason.count():
        reason.fill("Jadwal dimajukan atas arahan kepala kantor.")
    button = page.locator('[data-testid="advance"]')
    expect(button).to_be_enabled()
    button.click()
    expect(page.locator(f'[data-testid="track-{to}"]')).to_have_attribute(
        "data-state", re.compile(r"^current")
    )


def test_a_regular_conference_from_creation_to_evaluation(
    session, personas, offices, templates, tmp_path
):
    staff, staff2, lead = personas["pr_staff"], personas["pr_staff2"], personas["pr_lead"]
    head, sri = personas["head"], personas["spokesperson"]
    today = timezone.localdate()
    Spokesperson.objects.create(
        office=offices["soetta"],
        user=sri,
        position="Kepala Bidang Lalu Lintas Keimigrasian",
        decree_number="W.9.IMI.IMI.2-UM.01.01-1234",
        valid_from=today - timedelta(days=365),
        valid_until=today + timedelta(days=365),
        topics=list(Topic.values),
        levels=list(IssueLevel.values),
        last_media_training_on=date(2025, 3, 12),
    )
    scheduled = dates.to_local(timezone.now() + timedelta(days=7), "Asia/Jakarta").replace(
        hour=10, minute=0
    )

    # --- PR staff open the conference --------------------------------------------------
    rina = session(staff)
    rina.goto("/conferences/")
    rina.click('[data-testid="new-conference"]')
    rina.select_option("#id_type", "regular")
    rina.fill("#id_title", "Rilis Kinerja Pelayanan Keimigrasian Kanim Soekarno-Hatta")
    rina.fill("#id_summary", "Capaian layanan paspor, visa dan perlintasan bulan ini.")
    rina.select_option("#id_topic", "performance")
    rina.fill("#id_scheduled_at", scheduled.strftime("%Y-%m-%dT%H:%M"))
    rina.fill("#id_venue", "Ruang Konferensi Pers, Terminal 3")
    screenshot(rina, "conference-create")
    rina.click('[data-testid="create-form"] button[type=submit]')
    rina.wait_for_url("**/conferences/*/")
    conference = Conference.objects.get()
    assert conference.created_by == staff
    expect(rina.locator('[data-testid="scheduled-at"]')).to_have_text(
        dates.format_datetime(scheduled, "id")
    )
    expect(rina.locator('[data-testid="track-information"]')).to_have_attribute(
        "data-state", "current blocked"
    )

    # --- Information gathering: a fact, verified by a second person ---------------------
    rina.fill(
        "#id_fact_statement",
        "Sepanjang Oktober 2026 Kanim Soekarno-Hatta melayani 1,2 juta perlintasan orang.",
    )
    rina.fill("#id_fact_source", "Sistem Informasi Manajemen Keimigrasian (SIMKIM)")
    rina.click('[data-testid="fact-form"] button[type=submit]')
    expect(rina.locator('[data-testid="fact"]')).to_have_count(1)
    expect(rina.locator('[data-testid="verify-fact"]')).to_have_count(0)  # not her own
    # A refusal (no evidence) comes back into the panel with the message: the htmx
    # configuration swaps 400 answers too.
    first = (
        ChecklistItem.objects.filter(
            conference=conference, stage=Stage.INFORMATION, evidence_kind="note"
        )
        .exclude(code__in=list(proofs.PROOFS))  # an item only people can tick
        .order_by("order")
        .first()
    )
    rina.click(f'[data-testid="complete-{first.code}"]')
    row_error: Locator = rina.locator(
        f'[data-testid="check-{first.code}"] [data-testid="row-error"]'
    )
    expect(row_error).to_be_visible()
    tick_required(rina, conference, Stage.INFORMATION, tmp_path)
    # Only the fact is left, and someone other than Rina must act.
    expect(rina.locator('[data-testid="blockers"] li')).to_have_count(1)
    expect(rina.locator('[data-testid="blockers"]')).to_contain_text("Dimas Prasetyo")
    screenshot(rina, "conference-detail-information")

    dimas = session(staff2)
    dimas.goto(conference.get_absolute_url())
    dimas.click('[data-testid="verify-fact"]')
    expect(dimas.locator('[data-testid="fact-verified"]')).to_be_visible()
    expect(dimas.locator('[data-testid="nothing-blocks"]')).to_be_visible()

    rina.reload()
    advance(rina, Stage.PLANNING)

    # --- Technical planning ------------------------------------------------------------
    rina.click('[data-testid="ready-sound"]')
    expect(rina.locator('[data-testid="readiness"] li.ready')).to_have_count(1)
    tick_required(rina, conference, Stage.PLANNING, tmp_path)
    screenshot(rina, "conference-detail-planning")
    advance(rina, Stage.MATERIAL)

    # --- Material: written by PR staff, approved by the head --------------------------
    rina.click('[data-testid="edit-key_messages"]')
    rina.fill("#id_material_message_1", "Pelayanan paspor tetap cepat: rata-rata 3 hari kerja.")
    rina.fill("#id_material_message_2", "Autogate mempercepat pemeriksaan di Terminal 3.")
    rina.fill("#id_material_message_3", "Laporkan pungutan liar melalui kanal pengaduan resmi.")
    screenshot(rina, "conference-material-editor")
    rina.click('[data-testid="save-material"]')
    rina.click('[data-testid="edit-statement"]')
    rina.fill("#id_material_title", "SIARAN PERS Nomor 12/HUMAS/XI/2026")
    rina.fill(
        "#id_material_body",
        "Tangerang – Kantor Imigrasi Kelas I Khusus TPI "
        "Soekarno-Hatta menyampaikan capaian kinerja pelayanan.\n"
        "Narahubung: Humas Kanim Soekarno-Hatta\n***",
    )
    rina.click('[data-testid="save-material"]')
    rina.click('[data-testid="edit-qa"]')
    rina.fill(
        "#id_material_qa",
        "Q: Berapa rata-rata waktu layanan paspor?\n"
        "A: Tiga hari kerja sejak wawancara.\n\n"
        "Q: Apakah autogate bisa dipakai WNA?\n"
        "A: Belum; autogate untuk paspor RI elektronik.",
    )
    rina.click('[data-testid="save-material"]')
    for kind in ("key_messages", "statement", "qa"):
        rina.click(f'[data-testid="submit-{kind}"]')
        expect(rina.locator(f"#material-{kind}")).to_have_class("conf-material state-submitted")
    tick_required(rina, conference, Stage.MATERIAL, tmp_path)

    budi = session(head)
    budi.goto(conference.get_absolute_url())
    screenshot(budi, "conference-material-approval")
    for kind in ("key_messages", "statement", "qa"):
        budi.click(f'[data-testid="approve-{kind}"]')
        expect(budi.locator(f"#material-{kind}")).to_have_class("conf-material state-approved")
    rina.reload()
    advance(rina, Stage.SPOKESPERSON)

    # --- Spokesperson: appointed by the PR lead, rehearsal recorded by her ------------
    andi = session(lead)
    andi.goto(conference.get_absolute_url())
    expect(andi.locator('[data-testid="registry"]')).to_contain_text("W.9.IMI.IMI.2-UM.01.01-1234")
    screenshot(andi, "conference-spokesperson-registry")
    andi.click('[data-testid="appoint"]')
    expect(andi.locator('[data-testid="appointments"]')).to_contain_text("Sri Handayani")

    sri_page = session(sri)
    sri_page.goto(conference.get_absolute_url())
    sri_page.click("#panel-spokesperson .conf-add > summary")
    sri_page.select_option("#id_briefing_kind", "rehearsal")
    sri_page.fill("#id_briefing_notes", "Simulasi tanya jawab bersama tim humas.")
    sri_page.click('[data-testid="briefing-form"] button[type=submit]')
    expect(sri_page.locator('[data-testid="appointments"]')).to_contain_text("Simulasi tanya")

    rina.reload()
    tick_required(rina, conference, Stage.SPOKESPERSON, tmp_path)
    expect(rina.locator('[data-testid="caution-early"]')).to_be_visible()
    advance(rina, Stage.EXECUTION)

    # --- Execution -------------------------------------------------------------------
    rina.click('[data-testid="start-now"]')
    expect(rina.locator('[data-testid="end-now"]')).to_be_visible()
    rina.fill("#id_attendance_journalist", "Budi Hartono")
    rina.fill("#id_attendance_outlet", "Antara")
    rina.click('[data-testid="attendance-form"] button[type=submit]')
    expect(rina.locator('[data-testid="attendance"]')).to_contain_text("Antara")
    rina.fill("#id_question_asker", "Budi Hartono")
    rina.fill("#id_question_outlet", "Antara")
    rina.fill("#id_question_question", "Berapa WNA yang ditolak masuk bulan ini?")
    rina.fill("#id_question_answered_by", "Sri Handayani")
    rina.check("#id_question_follow_up_needed")
    rina.click('[data-testid="question-form"] button[type=submit]')
    expect(rina.locator('[data-testid="question"]')).to_have_count(1)
    rina.click('[data-testid="end-now"]')
    expect(rina.locator('[data-testid="actual-end"]')).not_to_have_text("—")
    tick_required(rina, conference, Stage.EXECUTION, tmp_path)
    screenshot(rina, "conference-detail-execution")
    advance(rina, Stage.EVALUATION)

    # --- Evaluation, closed by the PR lead ----------------------------------------------
    rina.fill(
        "#id_evaluation_lessons_learned",
        "Undangan peliputan dikirim H-7; kehadiran media baik. Siapkan data per terminal.",
    )
    rina.fill("#id_evaluation_coverage_count", "9")
    rina.fill("#id_evaluation_coverage_positive", "6")
    rina.fill("#id_evaluation_coverage_neutral", "3")
    rina.click('[data-testid="evaluation-form"] button[type=submit]')
    expect(rina.locator('[data-testid="lessons"]')).to_contain_text("Undangan peliputan")
    tick_required(rina, conference, Stage.EVALUATION, tmp_path)
    expect(rina.locator('[data-testid="evaluation-summary"]')).to_contain_text("1")
    screenshot(rina, "conference-detail-evaluation")

    andi.reload()
    expect(andi.locator('[data-testid="caution-follow_ups_pending"]')).to_be_visible()
    andi.fill("#id_advance_reason", "Data WNA yang ditolak dikirim tertulis minggu depan.")
    andi.click('[data-testid="advance"]')
    expect(andi.locator('[data-testid="track-evaluation"]')).to_have_attribute("data-state", "done")
    conference.refresh_from_db()
    assert conference.status == Status.COMPLETED and conference.stage == Stage.CLOSED
    screenshot(andi, "conference-detail-closed")

    # Every page checked on a phone as well.
    andi.goto("/conferences/")
    screenshot(andi, "conference-list")
    andi.goto("/conferences/calendar/")
    screenshot(andi, "conference-calendar")
    shoot_phone(session, staff, "/conferences/", "conference-list")
    shoot_phone(session, staff, "/conferences/calendar/", "conference-calendar")
    shoot_phone(
        session, staff, conference.get_absolute_url() + "?open=material", "conference-detail"
    )
    for page in (rina, dimas, budi, andi, sri_page):
        assert page.problems == []


def test_a_crisis_conference_counts_down_its_deadlines(session, personas, offices, templates):
    lead = personas["pr_lead"]
    page = session(lead)
    page.goto("/conferences/new/")
    page.select_option("#id_type", "crisis")
    page.fill("#id_title", "Video viral antrean autogate Terminal 3")
    page.select_option("#id_topic", "crisis")
    page.select_option("#id_level", "3")
    page.click('[data-testid="create-form"] button[type=submit]')
    page.wait_for_url("**/conferences/*/")

    countdown = page.locator('[data-testid="countdown-holding_statement"]')
    expect(countdown).to_be_visible()
    first = countdown.inner_text()
    # The script ticks every second (data-ticks counts the updates it made).
    expect(countdown).not_to_have_text(first, timeout=5000)
    assert int(countdown.get_attribute("data-ticks")) >= 1
    assert "59" in countdown.inner_text()
    expect(page.locator('[data-testid="deadline-holding_statement"]')).not_to_have_class(
        "conf-deadline missed"
    )
    screenshot(page, "conference-crisis")

    # A crisis opened two hours ago has missed its holding-statement deadline: red, and
    # the overdue time keeps counting.
    late = workflow.create_conference(
        lead,
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Hoaks pungutan liar pembuatan paspor",
        topic=Topic.CRISIS,
        level=3,
        opened_at=timezone.now() - timedelta(hours=2),
    )
    phone = session(lead, viewport=PHONE)
    phone.goto(late.get_absolute_url())
    missed = phone.locator('[data-testid="deadline-holding_statement"]')
    expect(missed).to_have_class("conf-deadline missed")
    color = missed.evaluate("el => getComputedStyle(el).borderLeftColor")
    assert color == "rgb(179, 38, 30)"  # var(--bad)
    overdue = phone.locator('[data-testid="countdown-holding_statement"]')
    before = overdue.inner_text()
    expect(overdue).not_to_have_text(before, timeout=5000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "conference-crisis-missed-phone")
    assert page.problems == [] and phone.problems == []
