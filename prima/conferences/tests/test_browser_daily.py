"""Daily use in a real browser, in Indonesian, as the personas who meet each page:

1. a Kanwil supervisor's home page shows what is late or blocked in the offices below,
   crisis work first with a live countdown; the head of office sees the crisis holding
   statement before a regular release due next week.

Screenshots go to test-artifacts/screenshots/ (daily-*.png).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prima.conferences import workflow
from prima.conferences.models import ConferenceType, IssueLevel, MaterialKind, Stage, Topic
from prima.conftest import screenshot

from .helpers import material_content
from .test_browser_conferences import PHONE, session  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _crisis(user, office, title, opened_minutes_ago):
    return workflow.create_conference(
        user,
        office=office,
        type=ConferenceType.CRISIS,
        title=title,
        topic=Topic.CRISIS,
        level=IssueLevel.HIGH,
        opened_at=timezone.now() - timedelta(minutes=opened_minutes_ago),
    )


def test_home_pages_put_crisis_work_first(session, personas, offices, templates):  # noqa: F811
    staff = personas["pr_staff"]
    late = _crisis(staff, offices["soetta"], "Video viral antrean autogate Terminal 3", 120)
    fresh = _crisis(staff, offices["soetta"], "Hoaks pungutan liar pembuatan paspor", 10)
    regular = workflow.create_conference(
        staff,
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis kinerja bulanan",
        topic=Topic.PERFORMANCE,
        scheduled_at=timezone.now() + timedelta(days=7),
    )
    for conference, kind in ((regular, MaterialKind.STATEMENT), (fresh, "holding_statement")):
        material = workflow.edit_material(staff, conference, kind, **material_content(kind))
        workflow.submit_material(staff, material)

    maya = session(personas["regional_supervisor"])
    maya.goto("/")
    items = maya.locator('[data-testid="attention-item"]')
    expect(items.first).to_contain_text(late.title)
    expect(items.first).to_contain_text("terlambat")
    expect(items.first).to_contain_text("Tertahan:")
    expect(items.nth(1)).to_contain_text(fresh.title)
    expect(items.nth(1)).to_contain_text("Konferensi pers krisis tertahan")
    countdown = items.nth(1).locator('[data-testid="attention-countdown"]')
    first = countdown.inner_text()
    assert first.strip().startswith("sisa")
    expect(countdown).not_to_have_text(first, timeout=5000)  # it ticks
    screenshot(maya, "daily-home-kanwil")

    budi = session(personas["head"], viewport=PHONE)
    budi.goto("/")
    approvals = budi.locator(
        '[data-testid="attention-item"][data-kind="conference.approve_material"]'
    )
    expect(approvals).to_have_count(2)
    expect(approvals.first).to_contain_text(fresh.title)
    expect(approvals.nth(1)).to_contain_text(regular.title)
    assert budi.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(budi, "daily-home-kakanim-phone")
    assert maya.problems == [] and budi.problems == []


def test_the_head_reads_the_whole_release_and_its_changes_before_approving(
    session,  # noqa: F811
    personas,
    conference,
):
    staff, head = personas["pr_staff"], personas["head"]
    first = (
        "SIARAN PERS\nTangerang – Kantor Imigrasi Soekarno-Hatta mencatat 1.612.405 perlintasan "
        "orang sepanjang bulan lalu. Autogate dipakai 71% penumpang keberangkatan."
    )
    m = workflow.edit_material(staff, conference, "statement", title="Siaran Pers", body=first)
    workflow.approve_material(head, workflow.submit_material(staff, m))
    second = first.replace("71%", "74%") + "\nNarahubung: Humas Kanim Soekarno-Hatta.\n***"
    second += " " + " ".join(["Kalimat penjelasan tambahan."] * 20) + " AKHIR-RILIS"
    m = workflow.edit_material(staff, conference, "statement", title="Siaran Pers", body=second)
    workflow.submit_material(staff, m)

    budi = session(head)
    budi.goto(conference.get_absolute_url() + "?open=material#panel-material")
    card = budi.locator('[data-testid="material-statement"]')
    expect(card.locator('[data-testid="material-text"]')).to_contain_text("AKHIR-RILIS")
    expect(card.locator('[data-testid="diff"] del')).to_contain_text(["71%"])
    screenshot(budi, "daily-material-card")
    card.locator('[data-testid="review-statement"]').click()
    budi.wait_for_url("**/review/")
    expect(budi.locator('[data-testid="full-text"]')).to_contain_text("AKHIR-RILIS")
    expect(budi.locator('[data-testid="diff"] ins').first).to_contain_text("74%")
    screenshot(budi, "daily-material-review")
    budi.click('[data-testid="approve-statement"]')
    budi.wait_for_url(f"**{conference.get_absolute_url()}**")
    expect(
        budi.locator('[data-testid="material-statement"] [data-testid="material-state"]')
    ).to_have_text("Disetujui")
    assert budi.problems == []


def test_closing_with_a_pending_follow_up_asks_why(
    session,  # noqa: F811
    personas,
    conference,
    jubir,
):
    from .helpers import complete_stage_items, walk_to

    now = timezone.now()
    conf = walk_to(conference, Stage.EVALUATION, personas, spokesperson=jubir, now=now)
    workflow.log_question(
        personas["pr_staff"],
        conf,
        asker="Rizky Ramadhan",
        outlet="Detikcom",
        question="Siapa oknum petugas yang terlibat dengan calo paspor?",
        follow_up_needed=True,
        now=now,
    )
    conf = workflow.record_evaluation(
        personas["pr_lead"], conf, expected_version=conf.version, lessons_learned="Tepat waktu."
    )
    complete_stage_items(conf, Stage.EVALUATION, personas["pr_staff"], now)

    andi = session(personas["pr_lead"])
    andi.goto(conf.get_absolute_url())
    caution = andi.locator('[data-testid="caution-follow_ups_pending"]')
    expect(caution).to_contain_text("Rizky Ramadhan")
    expect(andi.locator('[data-testid="advance"]')).to_contain_text("Tetap tutup")
    screenshot(andi, "daily-close-with-follow-up")
    andi.click('[data-testid="advance"]')  # no reason: asked again
    expect(andi.locator('[data-testid="error"]').first).to_be_visible()
    andi.fill("#id_advance_reason", "Jawaban tertulis dikirim setelah data Inspektorat masuk.")
    andi.click('[data-testid="advance"]')
    expect(andi.locator('[data-testid="next-step"] h2')).to_have_text("Ditutup")
    assert andi.problems == []


def test_media_relations_pages_for_pr_staff_and_the_head(
    session,  # noqa: F811
    personas,
    offices,
):
    from .helpers import registry_entry

    registry_entry(offices["soetta"], personas["spokesperson"])
    rina = session(personas["pr_staff"])
    rina.goto("/")
    rina.click("text=Hubungan media")
    rina.wait_for_url("**/conferences/contacts/")
    rina.click('[data-testid="add-contact"]')
    rina.fill("#id_journalist", "Dewi Lestari")
    rina.fill("#id_outlet", "Kompas")
    rina.select_option("#id_media_type", "print")
    rina.fill("#id_phone", "0812-1000-2002")
    rina.fill("#id_email", "dewi@redaksi.example.id")
    expect(rina.locator("#id_last_contact_on")).to_have_attribute("placeholder", "hh/bb/tttt")
    rina.fill("#id_last_contact_on", "05/12/2025")
    screenshot(rina, "daily-contact-form")
    rina.click('[data-testid="save"]')
    expect(rina.locator('[data-testid="contact"]')).to_contain_text(["Kompas"])
    expect(rina.locator('[data-testid="contacts"]')).to_contain_text("5 Desember 2025")
    screenshot(rina, "daily-contacts")
    rina.click("text=Juru bicara")
    expect(rina.locator('[data-testid="validity"]').first).to_contain_text("berlaku")
    expect(rina.locator('[data-testid="add-spokesperson"]')).to_have_count(0)  # not hers
    screenshot(rina, "daily-spokespeople")

    budi = session(personas["head"])
    budi.goto("/conferences/delegations/")
    budi.click('[data-testid="grant"] summary')
    budi.select_option("#id_delegate", str(personas["pr_lead"].pk))
    budi.fill("#id_valid_from", "01/12/2025 08.00")
    budi.fill("#id_valid_until", "31/12/2035 17.00")
    budi.fill("#id_reason", "Kepala kantor dinas luar ke Denpasar")
    budi.click('[data-testid="save"]')
    row = budi.locator('[data-testid="delegation"]')
    expect(row).to_contain_text("Andi Saputra")
    expect(row).to_contain_text("berlaku")
    screenshot(budi, "daily-delegations")
    budi.once("dialog", lambda dialog: dialog.accept())
    budi.click('[data-testid="revoke"]')
    expect(row).to_contain_text("dicabut")
    assert rina.problems == [] and budi.problems == []


def test_invitations_by_email_and_whatsapp_and_the_rsvp_page(
    session,  # noqa: F811
    browser,
    live_server,
    personas,
    offices,
    conference,
    settings,
):
    from django.core import mail

    from prima.conferences.models import MediaContact

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    staff = personas["pr_staff"]
    workflow.update_conference(
        staff,
        conference,
        expected_version=conference.version,
        scheduled_at=timezone.now() + timedelta(days=3),
        venue="Ruang Konferensi Pers, Terminal 3",
    )
    for outlet, name, phone, email in [
        ("Kompas", "Dewi Lestari", "0812-1000-2002", "dewi@redaksi.example.id"),
        ("Antara", "Ahmad Fauzi", "0812-1000-2001", "ahmad@redaksi.example.id"),
    ]:
        MediaContact.objects.create(
            office=offices["soetta"], outlet=outlet, journalist=name, phone=phone, email=email
        )
    rina = session(staff)
    rina.goto(conference.get_absolute_url() + "?open=planning#panel-planning")
    form = rina.locator('[data-testid="invite-form"]')
    panel = rina.locator('[data-testid="panel-planning"]')
    panel.locator("summary", has_text="Undang dari kontak media").click()
    form.locator('input[aria-label="Dewi Lestari (Kompas)"]').check()
    form.locator('input[aria-label="Ahmad Fauzi (Antara)"]').check()
    form.locator("select[name=channel]").select_option("email")
    form.locator('[data-testid="invite"]').click()
    expect(rina.locator('[data-testid="invitation"]')).to_have_count(2)
    expect(rina.locator('[data-testid="email-status"]').first).to_contain_text("surel terkirim")
    assert len(mail.outbox) == 2
    link = re.search(r"(http://\S+/rsvp/\S+/)", str(mail.outbox[0].body)).group(1)

    wa = rina.locator('[data-testid="whatsapp"]').first
    wa.locator("summary").click()
    expect(wa.locator('[data-testid="whatsapp-text"]')).to_contain_text("Yth.")
    expect(wa.locator('[data-testid="open-whatsapp"]')).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/62812")
    )
    wa.locator('[data-testid="copy"]').click()
    expect(wa.locator('[data-testid="copy"]')).to_have_text("Tersalin")
    screenshot(rina, "daily-invitations")

    # The journalist, on a phone, without an account.
    phone_context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
    journalist = phone_context.new_page()
    journalist.goto(link)
    expect(journalist.locator("h1")).to_have_text(conference.title)
    journalist.click('[data-testid="rsvp-yes"]')
    expect(journalist.locator('[data-testid="flash"]')).to_contain_text("Terima kasih")
    expect(journalist.locator('[data-testid="answer"]')).to_contain_text("saya akan hadir")
    screenshot(journalist, "daily-rsvp-phone")
    phone_context.close()

    rina.reload()
    answered = rina.locator('[data-testid="reply"]', has_text="dijawab melalui tautan")
    expect(answered).to_have_count(1)
    assert rina.problems == []
