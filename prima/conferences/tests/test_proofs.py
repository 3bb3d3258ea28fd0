"""Checklist items that what PRIMA recorded proves complete themselves, say what proved
them, and reopen when the fact is undone; the rest stay with people."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from prima.conferences import checklists, proofs, workflow
from prima.conferences.models import (
    BriefingKind,
    ChecklistItem,
    ConferenceRole,
    MaterialKind,
    MediaContact,
    Stage,
)
from prima.conferences.tests.helpers import NOW, complete_stage_items, material_content
from prima.conftest import client_for
from prima.organizations.models import AuditEntry

pytestmark = pytest.mark.usefixtures("english")


def item(conference, code) -> ChecklistItem:
    return ChecklistItem.objects.get(conference=conference, code=code)


def test_every_item_of_the_data_file_is_either_provable_or_left_to_people():
    codes = {i["code"] for spec in checklists.load_data()["types"].values() for i in spec["items"]}
    assert set(proofs.PROOFS) | set(proofs.MANUAL) == codes
    assert not set(proofs.PROOFS) & set(proofs.MANUAL)
    assert len(proofs.PROOFS) >= 30
    for code, rule in proofs.PROOFS.items():
        assert rule.reads, code
        assert rule.reads <= {"conference", *proofs.PART_OF_KEY.values()}, code


def test_an_approval_ticks_its_items_and_a_new_version_reopens_them(conference, personas):
    staff, head = personas["pr_staff"], personas["head"]
    kind = MaterialKind.KEY_MESSAGES
    material = workflow.edit_material(staff, conference, kind, **material_content(kind), now=NOW)
    assert not item(conference, "mat-key-messages").is_done
    material = workflow.submit_material(staff, material, now=NOW)
    entries = AuditEntry.objects.count()
    material = workflow.approve_material(head, material, now=NOW + timedelta(minutes=5))
    done = item(conference, "mat-key-messages")
    assert done.done_automatically and done.done_by is None
    assert done.done_at == NOW + timedelta(minutes=5)  # when the approval happened
    # One audit entry for the approval, which records the item it completed.
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "material.approve"
    assert entry.after[f"checklistitem:{done.pk}"]["done_automatically"] is True
    assert "approved by Budi Santoso" in entry.after[f"checklistitem:{done.pk}"]["proof"]

    with pytest.raises(workflow.InvalidTransition):
        workflow.reopen_item(staff, done)  # the record decides, not a click

    workflow.edit_material(
        staff, conference, kind, **material_content(kind, 2), expected_version=material.version
    )
    reopened = item(conference, "mat-key-messages")
    assert not reopened.is_done and not reopened.done_automatically


def test_editing_a_verified_fact_reopens_the_verification_item(conference, personas):
    staff, staff2 = personas["pr_staff"], personas["pr_staff2"]
    fact = workflow.add_fact(
        staff, conference, statement="Dua WNA", source="SIMKIM", source_date=date(2025, 11, 18)
    )
    assert item(conference, "info-facts-received").done_automatically
    assert not item(conference, "info-sources-checked").is_done
    fact = workflow.verify_fact(staff2, fact, now=NOW)
    assert item(conference, "info-sources-checked").done_automatically
    workflow.edit_fact(
        staff, fact, expected_version=fact.version, statement="Tiga WNA", source="SIMKIM"
    )
    assert not item(conference, "info-sources-checked").is_done
    assert not item(conference, "info-facts-received").is_done  # the date was dropped


def test_items_ticked_by_hand_are_left_alone(conference, personas):
    staff = personas["pr_staff"]
    roles = item(conference, "plan-roles")
    workflow.complete_item(staff, roles, note="Ditugaskan lewat nota dinas", now=NOW)
    workflow.assign_role(staff, conference, role=ConferenceRole.MODERATOR, name="Andi")
    roles.refresh_from_db()
    assert roles.done_by == staff and not roles.done_automatically
    workflow.reopen_item(staff, roles, expected_version=roles.version)


def test_planning_items_follow_the_planning_records(conference, personas):
    staff = personas["pr_staff"]
    conference = workflow.update_conference(
        staff, conference, expected_version=conference.version, scheduled_at=NOW + timedelta(days=7)
    )
    assert item(conference, "plan-date").done_automatically
    workflow.add_rundown_item(staff, conference, starts_at=time(10), activity="Pembukaan")
    assert item(conference, "plan-rundown").done_automatically
    for role in (ConferenceRole.MODERATOR, ConferenceRole.DOCUMENTATION):
        workflow.assign_role(staff, conference, role=role, name="Andi")
    assert not item(conference, "plan-roles").is_done
    workflow.assign_role(staff, conference, role=ConferenceRole.MEDIA_LIAISON, user=staff)
    assert item(conference, "plan-roles").done_automatically
    for r in conference.readiness.filter(kind__in=["recording"]):
        workflow.set_readiness(staff, r, is_ready=True)
    assert item(conference, "plan-recording").done_automatically
    workflow.set_readiness(staff, conference.readiness.get(kind="recording"), is_ready=False)
    assert not item(conference, "plan-recording").is_done


def test_the_page_says_what_proved_an_item_and_what_is_missing(conference, personas):
    staff = personas["pr_staff"]
    workflow.update_conference(
        staff, conference, expected_version=conference.version, scheduled_at=NOW + timedelta(days=7)
    )
    page = client_for(staff).get(conference.get_absolute_url()).content.decode()
    date_item = page[page.index('data-testid="check-plan-date"') :]
    date_item = date_item[: date_item.index("</li>")]
    assert "Selesai otomatis" in date_item and "Dijadwalkan Rabu, 26 November 2025" in date_item
    assert 'data-testid="reopen-plan-date"' not in date_item
    roles_item = page[page.index('data-testid="check-plan-roles"') :]
    roles_item = roles_item[: roles_item.index("</li>")]
    assert "Tercentang sendiri bila moderator/MC" in roles_item
    assert "Belum ditugaskan: Moderator / pembawa acara" in roles_item
    assert "Centang secara manual" in roles_item  # done outside PRIMA: still possible


def move_on(conf, stage, actor, now=NOW):
    """Tick by hand the open required items of ``stage`` that no record proves, then move
    the conference on."""
    for open_item in conf.checklist_items.filter(stage=stage, done_at__isnull=True):
        if open_item.required and open_item.code in proofs.MANUAL:
            complete_stage_items(conf, stage, actor, now)
            break
    conf.refresh_from_db()
    return workflow.advance(actor, conf, expected_version=conf.version, now=now)


def test_a_conference_run_fully_in_prima_needs_no_provable_tick_by_hand(
    conference, personas, jubir, offices
):
    """Walk a regular conference through every stage, recording everything in PRIMA and
    ticking by hand only the items no record proves: each provable item ticks itself."""
    p = personas
    staff, staff2, lead, head = p["pr_staff"], p["pr_staff2"], p["pr_lead"], p["head"]
    fact = workflow.add_fact(
        staff, conference, statement="Dua WNA", source="SIMKIM", source_date=date(2025, 11, 18)
    )
    workflow.verify_fact(staff2, fact, now=NOW)
    conf = workflow.update_conference(
        staff,
        conference,
        expected_version=conference.version,
        scheduled_at=NOW + timedelta(hours=3),
        venue="Ruang Konferensi Pers",
    )
    workflow.add_rundown_item(staff, conf, starts_at=time(12), activity="Pembukaan")
    for role in ConferenceRole:
        workflow.assign_role(staff, conf, role=role, name=f"Petugas {role}")
    for r in conf.readiness.all():
        workflow.set_readiness(staff, r, is_ready=True, now=NOW)
    contact = MediaContact.objects.create(office=offices["soetta"], outlet="Antara", journalist="A")
    invitation = workflow.invite(staff, conf, contact, now=NOW)
    workflow.update_invitation(staff, invitation, confirmed=True, accredited=True, now=NOW)
    for kind in (MaterialKind.KEY_MESSAGES, MaterialKind.STATEMENT, MaterialKind.QA):
        m = workflow.edit_material(staff, conf, kind, **material_content(kind), now=NOW)
        workflow.approve_material(head, workflow.submit_material(staff, m, now=NOW), now=NOW)
    appointment = workflow.appoint_spokesperson(lead, conf, jubir, now=NOW)
    for kind in BriefingKind:  # type: ignore[assignment]
        workflow.record_briefing(lead, appointment, held_on=date(2025, 11, 19), kind=kind, now=NOW)
    for stage in (Stage.INFORMATION, Stage.PLANNING, Stage.MATERIAL, Stage.SPOKESPERSON):
        conf = move_on(conf, stage, staff)
    start = NOW + timedelta(hours=3, minutes=2)
    conf = workflow.record_execution(
        staff,
        conf,
        expected_version=conf.version,
        actual_start=start,
        actual_end=start + timedelta(minutes=25),
        now=start + timedelta(minutes=30),
    )
    workflow.add_attendance(staff, conf, journalist="A", outlet="Antara", contact=contact)
    workflow.log_question(staff, conf, asker="A", outlet="Antara", question="Berapa WNA?")
    conf = move_on(conf, Stage.EXECUTION, staff, now=start + timedelta(hours=1))
    workflow.add_coverage(staff, conf, title="Imigrasi deportasi dua WNA", is_accurate=True)
    conf.refresh_from_db()
    workflow.record_evaluation(
        staff,
        conf,
        expected_version=conf.version,
        coverage_accurate=True,
        lessons_learned="Data perbandingan disiapkan lebih awal.",
    )
    provable = conf.checklist_items.filter(code__in=list(proofs.PROOFS))
    assert provable.count() >= 20
    by_hand = [i.code for i in provable if not i.done_automatically]
    assert by_hand == []


@pytest.mark.parametrize(
    ("delay", "minutes", "holds", "says"),
    [
        (3, 25, True, "Started on time and lasted 25 min"),
        (-2, 25, True, "Started on time"),
        (-7 * 24 * 60, 25, False, "Started 7 d before the scheduled time"),
        (20, 25, False, "Started 20 min late"),
        (0, 45, False, "lasted 45 min"),
    ],
)
def test_on_time_means_on_the_scheduled_time(conference, delay, minutes, holds, says):
    conference.scheduled_at = NOW
    conference.actual_start = NOW + timedelta(minutes=delay)
    conference.actual_end = conference.actual_start + timedelta(minutes=minutes)
    proof = proofs.PROOFS["exe-on-time"].check(proofs.Record(conference))
    assert proof.holds is holds
    assert says in proof.text
