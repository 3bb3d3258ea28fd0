"""The conference and its parts: creation, stale edits, cancelling, exercises, facts,
checklist evidence, planning, execution and evaluation data, and the audit trail."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from prima.conferences import workflow
from prima.conferences.models import (
    ChecklistItem,
    Conference,
    ConferenceType,
    CoverageLink,
    EvidenceKind,
    ReadinessKind,
    Stage,
    Status,
)
from prima.organizations.models import AuditEntry

from .helpers import NOW, pdf, walk_to

# The tests read the workflow's messages: in English.
pytestmark = pytest.mark.usefixtures("english")


def item_of(conference, kind: EvidenceKind) -> ChecklistItem:
    return conference.checklist_items.filter(evidence_kind=kind).first()


# --- Creation ---------------------------------------------------------------------------
def test_creating_copies_the_checklist_and_readiness_and_writes_one_entry(
    templates, offices, pr_staff
):
    before = AuditEntry.objects.count()
    conf = workflow.create_conference(
        pr_staff, office=offices["soetta"], type="incidental", title="Deportasi WNA", now=NOW
    )
    assert (conf.stage, conf.status, conf.version, conf.opened_at) == (
        Stage.INFORMATION,
        Status.ACTIVE,
        1,
        NOW,
    )
    assert conf.checklist_items.count() == conf.checklist_template.items.count() > 10
    assert {r.kind for r in conf.readiness.all()} >= {ReadinessKind.SOUND, ReadinessKind.PODIUM}
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.first()
    assert (entry.action, entry.actor, entry.office) == (
        "conference.create",
        pr_staff,
        offices["soetta"],
    )


def test_later_template_edits_do_not_change_a_running_conference(conference):
    template = conference.checklist_template
    template.items.update(label="Diubah")
    assert not conference.checklist_items.filter(label="Diubah").exists()


def test_it_refuses_creation_without_title_or_right(
    templates, offices, spokesperson, outsider, pr_staff
):
    with pytest.raises(workflow.InvalidInput):
        workflow.create_conference(pr_staff, office=offices["soetta"], type="regular", title=" ")
    with pytest.raises(workflow.InvalidInput):
        workflow.create_conference(pr_staff, office=offices["soetta"], type="party", title="X")
    with pytest.raises(PermissionDenied):
        workflow.create_conference(
            spokesperson, office=offices["soetta"], type="regular", title="X"
        )
    with pytest.raises(Http404):
        workflow.create_conference(outsider, office=offices["soetta"], type="regular", title="X")
    assert not Conference.objects.exists()


# --- Updates and stale edits ------------------------------------------------------------
def test_a_stale_edit_is_refused_not_overwritten(conference, pr_staff, pr_staff2):
    seen = conference.version
    workflow.update_conference(pr_staff, conference, expected_version=seen, venue="Aula")
    before = AuditEntry.objects.count()
    with pytest.raises(workflow.ConflictError) as refused:
        workflow.update_conference(pr_staff2, conference, expected_version=seen, venue="Lobi")
    assert refused.value.status_code == 409 and "Reload" in refused.value.message
    assert Conference.objects.get(pk=conference.pk).venue == "Aula"
    assert AuditEntry.objects.count() == before


def test_an_update_logs_only_what_changed(conference, pr_staff):
    conf = workflow.update_conference(
        pr_staff, conference, expected_version=1, title=conference.title, venue="Aula Soetta"
    )
    entry = AuditEntry.objects.get(action="conference.update")
    assert entry.before == {"venue": ""} and entry.after == {"venue": "Aula Soetta"}
    assert conf.version == 2
    same = workflow.update_conference(pr_staff, conf, expected_version=2, venue="Aula Soetta")
    assert same.version == 2 and AuditEntry.objects.filter(action="conference.update").count() == 1


def test_the_exercise_flag_changes_only_in_the_first_stage(conference, personas):
    conf = workflow.update_conference(
        personas["pr_staff"], conference, expected_version=1, is_exercise=True
    )
    assert conf.is_exercise
    conf = walk_to(conf, Stage.PLANNING, personas)
    with pytest.raises(workflow.InvalidTransition):
        workflow.update_conference(
            personas["pr_staff"], conf, expected_version=conf.version, is_exercise=False
        )


def test_exercises_are_left_out_of_performance_figures(templates, offices, pr_staff):
    real = workflow.create_conference(
        pr_staff, office=offices["soetta"], type="crisis", title="Gangguan autogate", now=NOW
    )
    drill = workflow.create_conference(
        pr_staff,
        office=offices["soetta"],
        type="crisis",
        title="Simulasi krisis",
        is_exercise=True,
        now=NOW,
    )
    assert list(workflow.performance_queryset()) == [real]
    assert list(Conference.objects.performance()) == [real]
    assert set(Conference.objects.all()) == {real, drill}
    # An exercise runs the same way: deadlines and all.
    assert workflow.deadlines(drill, now=NOW)


# --- Cancelling -------------------------------------------------------------------------
def test_cancelling_needs_a_reason(conference, pr_lead):
    with pytest.raises(workflow.InvalidInput) as refused:
        workflow.cancel(pr_lead, conference, reason="   ")
    assert refused.value.field == "reason"
    assert Conference.objects.get(pk=conference.pk).status == Status.ACTIVE


def test_a_cancelled_conference_refuses_every_change(conference, pr_lead, pr_staff):
    conf = workflow.cancel(
        pr_lead, conference, reason="Digabung dengan rilis bulanan", expected_version=1, now=NOW
    )
    assert (conf.status, conf.cancelled_by, conf.cancelled_at) == (Status.CANCELLED, pr_lead, NOW)
    with pytest.raises(workflow.InvalidTransition):
        workflow.advance(pr_staff, conf)
    with pytest.raises(workflow.InvalidTransition):
        workflow.add_fact(pr_staff, conf, statement="X", source="Y")
    with pytest.raises(workflow.InvalidTransition):
        workflow.cancel(pr_lead, conf, reason="Lagi")


def test_pr_staff_may_not_cancel(conference, pr_staff):
    with pytest.raises(PermissionDenied):
        workflow.cancel(pr_staff, conference, reason="Tidak jadi")


# --- Facts ------------------------------------------------------------------------------
def test_a_fact_is_verified_only_by_a_second_person(conference, pr_staff, pr_staff2):
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="Inteldakim")
    with pytest.raises(workflow.FourEyesError):
        workflow.verify_fact(pr_staff, fact)
    fact = workflow.verify_fact(pr_staff2, fact, now=NOW)
    assert fact.is_verified and fact.verified_by == pr_staff2
    with pytest.raises(workflow.InvalidTransition):
        workflow.verify_fact(pr_staff2, fact)


def test_editing_a_fact_voids_its_verification(conference, pr_staff, pr_staff2, pr_lead):
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="Inteldakim")
    fact = workflow.verify_fact(pr_staff2, fact)
    fact = workflow.edit_fact(
        pr_staff2, fact, expected_version=fact.version, statement="Tiga WNA", source="Inteldakim"
    )
    assert not fact.is_verified
    with pytest.raises(workflow.FourEyesError):  # the editor cannot verify their own wording
        workflow.verify_fact(pr_staff2, fact)
    with pytest.raises(workflow.ConflictError):
        workflow.edit_fact(pr_staff, fact, expected_version=1, statement="Empat", source="X")
    assert workflow.verify_fact(pr_lead, fact).is_verified


# --- Checklist evidence -----------------------------------------------------------------
def test_a_note_item_needs_a_note(conference, pr_staff):
    item = item_of(conference, EvidenceKind.NOTE)
    with pytest.raises(workflow.EvidenceError):
        workflow.complete_item(pr_staff, item)
    item = workflow.complete_item(pr_staff, item, note="Sudah", expected_version=1, now=NOW)
    assert (item.done_at, item.done_by, item.version) == (NOW, pr_staff, 2)
    with pytest.raises(workflow.InvalidTransition):
        workflow.complete_item(pr_staff, item, note="Lagi")


def test_a_link_item_needs_a_valid_link(conference, pr_staff):
    item = item_of(conference, EvidenceKind.LINK)
    with pytest.raises(workflow.InvalidInput):
        workflow.complete_item(pr_staff, item, link="javascript:alert(1)")
    with pytest.raises(workflow.EvidenceError):
        workflow.complete_item(pr_staff, item, note="Tanpa tautan")
    item = workflow.complete_item(pr_staff, item, link="https://imigrasi.go.id/a")
    assert item.evidence_link == "https://imigrasi.go.id/a"


def test_a_file_item_stores_the_file_under_media_root(conference, pr_staff, settings):
    item = item_of(conference, EvidenceKind.FILE)
    with pytest.raises(workflow.EvidenceError):
        workflow.complete_item(pr_staff, item, note="Lupa lampiran")
    item = workflow.complete_item(pr_staff, item, file=pdf("undangan.pdf"))
    assert item.evidence_file.name.startswith("conferences/evidence/")
    assert (settings.MEDIA_ROOT / item.evidence_file.name).exists()
    entry = AuditEntry.objects.first()
    assert entry.after[f"checklistitem:{item.pk}"]["evidence_file"] == item.evidence_file.name


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("palsu.pdf", b"<html>not a pdf</html>", "does not match"),
        ("kosong.pdf", b"", "does not match"),
    ],
)
def test_it_refuses_bad_evidence_files(conference, pr_staff, name, content, words):
    item = item_of(conference, EvidenceKind.FILE)
    with pytest.raises(workflow.EvidenceError) as refused:
        workflow.complete_item(pr_staff, item, file=SimpleUploadedFile(name, content))
    assert words in refused.value.message and refused.value.field == "file"


def test_it_refuses_evidence_files_over_the_limit(conference, pr_staff, settings):
    settings.CONFERENCE_EVIDENCE_MAX_BYTES = 10
    item = item_of(conference, EvidenceKind.FILE)
    with pytest.raises(workflow.EvidenceError) as refused:
        workflow.complete_item(pr_staff, item, file=pdf())
    assert "too large" in refused.value.message


def test_reopening_keeps_the_evidence(conference, pr_staff):
    item = workflow.complete_item(pr_staff, item_of(conference, EvidenceKind.NOTE), note="Ok")
    item = workflow.reopen_item(pr_staff, item, expected_version=item.version)
    assert not item.is_done and item.evidence_note == "Ok"
    assert workflow.complete_item(pr_staff, item).is_done  # the kept note counts


# --- Planning ---------------------------------------------------------------------------
def test_planning_parts(conference, pr_staff, pr_lead, pr_staff2, offices):
    workflow.add_rundown_item(
        pr_staff, conference, starts_at=time(10), activity="Pembukaan", person="MC"
    )
    workflow.assign_role(pr_staff, conference, role="moderator", user=pr_lead)
    again = workflow.assign_role(pr_staff, conference, role="moderator", name="MC tamu")
    assert conference.role_assignments.get().person_name == "MC tamu" == again.person_name
    readiness = workflow.set_readiness(
        pr_staff2, conference.readiness.first(), is_ready=True, now=NOW
    )
    assert readiness.is_ready and readiness.checked_by == pr_staff2
    contact = workflow.save_media_contact(
        pr_staff,
        office=offices["soetta"],
        outlet="Antara",
        journalist="Ahmad Fauzi",
        email="ahmad@antaranews.com",
    )
    invitation = workflow.invite(pr_staff, conference, contact, now=NOW)
    contact.refresh_from_db()
    assert contact.last_contact_on.isoformat() == "2025-11-19"
    with pytest.raises(workflow.InvalidInput):
        workflow.invite(pr_staff, conference, contact, now=NOW)
    invitation = workflow.update_invitation(pr_staff, invitation, confirmed=True, now=NOW)
    assert invitation.confirmed_at == NOW and invitation.accredited_at is None


def test_journalists_of_another_office_cannot_be_invited(conference, pr_staff, outsider, offices):
    other = workflow.save_media_contact(
        outsider, office=offices["jakpus"], outlet="Kompas", journalist="Dewi"
    )
    with pytest.raises(workflow.InvalidInput):
        workflow.invite(pr_staff, conference, other)


def test_media_contacts_need_outlet_journalist_and_a_valid_email(pr_staff, offices):
    with pytest.raises(workflow.InvalidInput):
        workflow.save_media_contact(pr_staff, office=offices["soetta"], outlet="", journalist="A")
    with pytest.raises(workflow.InvalidInput):
        workflow.save_media_contact(
            pr_staff, office=offices["soetta"], outlet="A", journalist="B", email="bukan-email"
        )


# --- Execution and evaluation -----------------------------------------------------------
def test_execution_data_can_be_recorded_only_once_under_way(conference, pr_staff):
    with pytest.raises(workflow.InvalidTransition):
        workflow.record_execution(pr_staff, conference, actual_start=NOW)
    with pytest.raises(workflow.InvalidTransition):
        workflow.add_attendance(pr_staff, conference, journalist="A", outlet="B")


def test_execution_and_evaluation_figures(conference, personas, jubir, offices):
    staff = personas["pr_staff"]
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    contact = workflow.save_media_contact(
        staff, office=offices["soetta"], outlet="RRI", journalist="Agus"
    )
    with pytest.raises(workflow.InvalidInput):
        workflow.record_execution(
            staff, conf, actual_start=NOW, actual_end=NOW - timedelta(1), now=NOW
        )
    with pytest.raises(workflow.InvalidInput):
        workflow.record_execution(staff, conf, actual_start=NOW + timedelta(days=1), now=NOW)
    conf = workflow.record_execution(
        staff,
        conf,
        expected_version=conf.version,
        actual_start=NOW + timedelta(hours=2, minutes=7),
        actual_end=NOW + timedelta(hours=2, minutes=45),
        now=NOW + timedelta(hours=3),
    )
    workflow.add_attendance(staff, conf, journalist="Agus", outlet="RRI", contact=contact)
    q = workflow.log_question(
        staff,
        conf,
        asker="Agus",
        outlet="RRI",
        question="Berapa WNA?",
        answered_by="Sri",
        follow_up_needed=True,
    )
    workflow.log_question(staff, conf, asker="Dewi", question="Kapan?")
    summary = workflow.evaluation_summary(conf)
    assert (summary.attended, summary.questions, summary.answered) == (1, 2, 1)
    assert (summary.follow_ups_pending, summary.start_delay_minutes) == (1, 7)
    assert summary.started_on_time is False and summary.duration_minutes == 38
    assert summary.within_target_duration is False
    workflow.complete_follow_up(staff, q, note="Data dikirim lewat WhatsApp")
    assert workflow.evaluation_summary(conf).follow_ups_done == 1


def test_evaluation_data_and_coverage(conference, personas, jubir):
    staff = personas["pr_staff"]
    conf = walk_to(conference, Stage.EVALUATION, personas, spokesperson=jubir)
    with pytest.raises(workflow.InvalidInput):
        workflow.record_evaluation(staff, conf, coverage_count=2, coverage_positive=3)
    with pytest.raises(workflow.InvalidInput):
        workflow.record_evaluation(staff, conf, coverage_reach=-1)
    conf = workflow.record_evaluation(
        staff,
        conf,
        expected_version=conf.version,
        coverage_count=5,
        coverage_positive=3,
        lessons_learned="Siapkan infografik",
    )
    workflow.add_coverage(
        staff,
        conf,
        title="Imigrasi deportasi dua WNA",
        outlet="Antara",
        tone="neutral",
        url="https://antaranews.com/x",
    )
    link, created = workflow.link_coverage(
        conf,
        source_app="evaluation",
        source_id="m-9",
        title="Berita dari pemantauan",
        outlet="Detik",
    )
    again, created_again = workflow.link_coverage(
        conf,
        source_app="evaluation",
        source_id="m-9",
        title="Berita dari pemantauan",
        outlet="Detik",
    )
    assert created and not created_again and link == again
    assert CoverageLink.objects.filter(conference=conf).count() == 2
    assert AuditEntry.objects.filter(action="conference.coverage.link").count() == 1


# --- The audit trail and access ---------------------------------------------------------
def test_every_change_writes_exactly_one_entry_about_the_conference(conference, personas, jubir):
    before = AuditEntry.objects.count()
    conf = walk_to(conference, Stage.CLOSED, personas, spokesperson=jubir)
    entries = list(workflow.history(conf))
    assert len(entries) == AuditEntry.objects.count() - before + 1  # + creation
    assert entries[0].action == "conference.close" and entries[-1].action == "conference.create"
    advances = [e for e in entries if e.action == "conference.advance"]
    assert [e.after["stage"] for e in reversed(advances)] == [
        "planning",
        "material",
        "spokesperson",
        "execution",
        "evaluation",
    ]


def test_outsiders_get_404_and_people_without_the_right_403(
    conference, outsider, spokesperson, regional_supervisor
):
    with pytest.raises(Http404):
        workflow.add_fact(outsider, conference, statement="X", source="Y")
    with pytest.raises(Http404):
        workflow.advance(outsider, conference)
    for user in (spokesperson, regional_supervisor):
        with pytest.raises(PermissionDenied):
            workflow.advance(user, conference)
    assert workflow.permissions(regional_supervisor, conference) == {
        "view": True,
        "edit": False,
        "advance": False,
        "verify_fact": False,
        "appoint": False,
        "brief": False,
        "cancel": False,
        "close": False,
        "edit_material": False,
        "approve_material": False,
    }
    assert list(workflow.visible_conferences(regional_supervisor)) == [conference]
    assert list(workflow.visible_conferences(outsider)) == []


def test_the_checklist_progress_per_stage(conference, pr_staff):
    rows = workflow.checklist_progress(conference)
    assert [r.stage for r in rows] == [s for s in Stage if s != Stage.CLOSED]
    assert rows[0].state == "current" and rows[1].state == "todo"
    assert rows[0].required_open == rows[0].required_total > 0
    assert conference.type == ConferenceType.REGULAR
